"""External partners under a confidentiality agreement (issue 20, item 1;
S3 §5.1.3, SPEC §6.6): a partner's people ask to view what a live agreement
covers, within its validity; the head of the department in charge signs,
then an executive; access ends with the agreement; a register of what
partners used."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import ArchiveError
from lending.models import AccessRequest
from lending.services.approvals import plan_chain
from lending.services.partners import agreement_end
from lending.services.partners import agreement_register
from lending.services.partners import partner_member_add
from lending.services.partners import partner_save
from tests import samples
from tests.factories import UserFactory
from tests.lending.test_viewing import ask
from tests.lending.test_viewing import chain
from tests.lending.test_viewing import sees
from tests.lending.test_viewing import sign_all


@pytest.fixture
def partner(world):
    partner = partner_save(
        actor=world.archive_head,
        partner=None,
        data={"code": "P01", "name": "华信律师事务所", "department": world.cs1},
    )
    person = UserFactory(
        username="lawyer", display_name="刘律师", role="partner", department=None
    )
    partner_member_add(actor=world.archive_head, partner=partner, person=person)
    today = timezone.localdate()
    agreement_register(
        actor=world.archive_head,
        partner=partner,
        number="BM-2026-01",
        valid_from=today,
        valid_until=today + datetime.timedelta(days=30),
        records=[world.own, world.other_own],
        signed_file=SimpleUploadedFile(
            "保密协议.pdf", samples.pdf(), "application/pdf"
        ),
    )
    partner.person = person
    return partner


def test_a_partner_views_what_its_agreement_covers(world, window, partner):
    person = partner.person
    request = ask(person, [world.own], window)
    assert chain(request) == [("dept_head", "CS1"), ("executive", None)]
    assert request.accompanied and request.agreement.number == "BM-2026-01"
    with pytest.raises(ArchiveError, match="not covered by a live confidentiality"):
        plan_chain(kind="viewing", requester=person, records=[world.cs2_record])
    with pytest.raises(ArchiveError, match="they do not borrow them"):
        plan_chain(kind="lending", requester=person, records=[world.own])
    too_long = (window[0], window[0] + datetime.timedelta(days=40))
    with pytest.raises(ValidationError, match="ends on"):
        ask(person, [world.other_own], too_long)
    request = sign_all(request, world.cs1_head, world.executive)
    assert request.status == AccessRequest.Status.APPROVED
    with time_machine.travel(window[0]):
        assert sees(person, world.own)
    # The agreement ends early: so does the access under it.
    counts = agreement_end(
        actor=world.archive_head, agreement=request.agreement, reason="合作终止"
    )
    assert counts == {"refused": 0, "expired": 1, "out": 0}
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.EXPIRED
    with time_machine.travel(window[0]):
        assert not sees(person, world.own)
    with pytest.raises(ArchiveError, match="not covered by a live"):
        plan_chain(kind="viewing", requester=person, records=[world.own])


def test_the_register_and_the_request_catalogue(client, world, window, partner):
    request = sign_all(
        ask(partner.person, [world.own], window), world.cs1_head, world.executive
    )
    client.force_login(world.archive_head)
    used = client.get(reverse("lending:partner-usage")).content.decode()
    assert request.reference in used and "华信律师事务所" in used
    assert world.own.number in used
    detail = client.get(partner.get_absolute_url()).content.decode()
    assert "BM-2026-01" in detail and "刘律师" in detail
    signed = client.get(reverse("lending:agreement-file", args=[request.agreement_id]))
    assert b"".join(signed.streaming_content).startswith(b"%PDF-")
    client.force_login(partner.person)
    catalogue = client.get(reverse("lending:request-catalogue")).content.decode()
    assert world.own.number in catalogue and world.other_own.number in catalogue
    assert world.cs2_record.number not in catalogue  # outside the agreement
    assert client.get(reverse("lending:partner-list")).status_code == 403


def test_registering_refuses_what_is_wrong(world, partner):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        agreement_register(
            actor=world.archive_head,
            partner=partner,
            number="BM-2026-01",
            valid_from=today,
            valid_until=today - datetime.timedelta(days=1),
            signed_file=SimpleUploadedFile("a.pdf", b"not a pdf"),
        )
    assert set(refused.value.message_dict) == {
        "number",
        "valid_until",
        "categories",
        "signed_file",
    }
    with pytest.raises(ValidationError, match="does not have the partner role"):
        partner_member_add(
            actor=world.archive_head, partner=partner, person=world.staff
        )
