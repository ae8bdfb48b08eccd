"""Presets for the other seeds and owners' dossiers (issue 20, item 6): S4's
property-management archive and S2's building archive load like S3's annual
preset, with their patterns, periods and read-only flags; one dossier per
owner lists every record of the owner across categories, as far as the
reader may know of it, and is what the front desk opens."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import Customer
from archives.services.customers import family_member_add
from archives.services.customers import owner_save
from audit.models import AuditEntry
from core.errors import NotAllowed
from lending.services.owners import owner_request_register
from tests.factories import RecordFactory
from tests.factories import subcode
from tests.lending.test_owners import owner_data

pytestmark = pytest.mark.usefixtures("reference_data")
ID = "11010519491231002X"


def test_the_property_and_building_presets_load_beside_the_others():
    for preset in ("annual", "property", "building"):
        call_command("load_numbering_preset", preset, verbosity=0)
    owners = Category.objects.get(code="YZ")
    assert owners.number_pattern == "YZ{YYYY}{doctype}{seq:4}"
    assert (owners.retention_kind, owners.requires_customer) == ("long_term", True)
    assert owners.names == {"en": "Owner information"}
    assert [s.code for s in owners.dimensions.get().subcodes.all()] == [
        "JB",
        "FC",
        "RZ",
    ]
    # 文书档案只阅不借 (S2): the documents are viewed, never lent.
    assert not Category.objects.get(code="ZF").lendable
    assert not Category.objects.get(code="WJ").lendable
    assert Category.objects.get(code="WG").lendable
    assert Category.objects.get(code="ZZ").retention_kind == "permanent"
    assert Category.objects.filter(scheme="property").count() == 6
    assert Category.objects.filter(scheme="building").count() == 6


def _owner(world):
    owner = owner_save(
        actor=world.archivist,
        owner=None,
        data={
            "code": "YZ-3-1201",
            "name": "陈业主",
            "room": "3栋1201",
            "floor_area": "128.50",
            "layout": "三室两厅",
            "purchased_on": datetime.date(2019, 5, 20),
            "id_type": "id_card",
            "id_number": ID,
            "contact": "13812345678",
        },
    )
    family_member_add(
        actor=world.archivist,
        owner=owner,
        name="陈小明",
        relation="child",
        phone="13900001111",
    )
    return owner


def test_an_owners_personal_data_is_kept_encrypted_and_shown_masked(world):
    owner = _owner(world)
    raw = Customer.objects.filter(pk=owner.pk).values().get()
    assert ID not in str(raw) and "13812345678" not in str(raw)
    assert owner.id_number_masked == "110***********002X"
    assert owner.family.get().phone_masked == "139****1111"
    with pytest.raises(ValidationError, match="check digit"):
        owner_save(
            actor=world.archivist,
            owner=owner,
            data={
                "name": "陈业主",
                "room": "3栋1201",
                "id_number": "110105194912310021",
            },
        )
    with pytest.raises(ValidationError, match="has a dossier already"):
        owner_save(
            actor=world.archivist,
            owner=None,
            data={"code": "YZ-X", "name": "假冒", "room": "9栋", "id_number": ID},
        )
    with pytest.raises(NotAllowed, match="You may not keep owners"):
        owner_save(actor=world.front_desk, owner=owner, data={"name": "x", "room": "y"})


def test_the_dossier_lists_the_owners_records_as_far_as_the_reader_may_know(
    client, world
):
    call_command("load_numbering_preset", "property", verbosity=0)
    owner = _owner(world)
    fee = RecordFactory(
        category=Category.objects.get(code="FY"),
        customer=owner,
        created_by=world.staff,
        codes={"fee": "WYF"},
        status=ArchiveRecord.Status.ARCHIVED,
        number="FY2023WYF0001",
        number_prefix="FY2023WYF",
        sequence_number=1,
        title="2023年物业费缴纳记录",
    )
    secret = RecordFactory(
        category=Category.objects.get(code="YG"),
        customer=owner,
        created_by=world.staff,
        codes={"channel": "DH"},
        status=ArchiveRecord.Status.ARCHIVED,
        number="YG2023DH0001",
        number_prefix="YG2023DH",
        sequence_number=1,
        title="业主投诉邻居噪音",
        confidentiality=ArchiveRecord.Confidentiality.CONFIDENTIAL,
    )
    assert subcode("FY", "fee", "WYF")
    url = reverse("archives:dossier-detail", args=[owner.pk])
    client.force_login(world.archivist)
    page = client.get(url).content.decode()
    assert "3栋1201" in page and "128.50" in page and "三室两厅" in page
    assert "110***********002X" in page and ID not in page
    assert "陈小明" in page and "139****1111" in page
    assert fee.title in page and secret.title in page
    entry = AuditEntry.objects.filter(action="listed", details__list="dossier").get()
    assert set(entry.details["ids"]) == {fee.pk, secret.pk}
    # The front desk: the owner's records by number, no title, nothing secret.
    client.force_login(world.front_desk)
    desk = client.get(url).content.decode()
    assert fee.number in desk and fee.title not in desk
    assert secret.number not in desk and secret.title not in desk
    assert "3栋1201" in desk
    found = client.get(reverse("archives:dossier-list"), {"q": ID}).content.decode()
    assert url in found  # the whole ID number finds the dossier
    assert (
        url
        in client.get(reverse("archives:dossier-list"), {"q": "1201"}).content.decode()
    )
    # From the dossier to the owner's request, name and room filled in.
    form = client.get(reverse("lending:owner-create"), {"owner": owner.pk})
    assert 'value="陈业主"' in form.content.decode()
    request = owner_request_register(
        actor=world.front_desk,
        data={**owner_data(), "owner_name": "陈业主", "id_number": ID},
    )
    detail = client.get(request.get_absolute_url()).content.decode()
    assert url in detail  # the request leads to the dossier
    client.force_login(world.finance_clerk)
    assert client.get(url).status_code == 403
