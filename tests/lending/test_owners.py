"""Owners at the front desk: identity kept secret, copies, receipts (SPEC §8)."""

import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from core.errors import NotAllowed
from lending.identity import decrypt_id
from lending.identity import mask_id
from lending.models import OwnerRequest
from lending.models import UsageEvent
from lending.services import owners as services

ID = "110101199003074514"  # a valid check digit
PROXY_ID = "440305198807120019"


def owner_data(**changes):
    data = {
        "owner_name": "刘业主",
        "id_type": "id_card",
        "id_number": ID,
        "phone": "13800000000",
        "property_unit": "3栋1202室",
        "proof_description": "房产证",
        "proof_checked": True,
        "is_proxy": False,
        "records_wanted": "2023年报修记录",
        "purpose": "核对维修记录",
    }
    data.update(changes)
    return data


@pytest.fixture
def registered(world):
    return services.owner_request_register(actor=world.front_desk, data=owner_data())


def test_the_id_number_is_stored_encrypted_and_shown_masked(world, registered):
    assert registered.id_number_masked == "110***********4514"
    assert ID not in registered.id_number_cipher
    assert decrypt_id(registered.id_number_cipher) == ID
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM lending_ownerrequest")
        assert ID not in repr(cursor.fetchall())
        cursor.execute("SELECT * FROM lending_historicalownerrequest")
        assert ID not in repr(cursor.fetchall())


def test_no_page_shows_the_full_id(client, world, registered, admin_user):
    # A superuser reads requests only with a role that reads them (SPEC §13).
    admin_user.groups.add(Group.objects.get(name="auditor"))
    pages = [
        (world.front_desk, reverse("lending:owner-list")),
        (world.supervisor, reverse("lending:owner-detail", args=[registered.pk])),
        # Even a superuser sees it masked in admin and its history.
        (admin_user, reverse("admin:lending_ownerrequest_changelist")),
        (
            admin_user,
            reverse("admin:lending_ownerrequest_change", args=[registered.pk]),
        ),
        (
            admin_user,
            reverse("admin:lending_ownerrequest_history", args=[registered.pk]),
        ),
    ]
    for person, url in pages:
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, url
        assert ID not in response.content.decode(), url


def test_the_pdf_shows_only_the_masked_id(client, world, registered, tmp_path):
    client.force_login(world.front_desk)
    response = client.get(reverse("lending:owner-pdf", args=[registered.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "owner.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "110***********4514" in text
    assert ID not in text
    assert "刘业主" in text


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"id_number": "110101199003074515"}, "id_number"),  # wrong check digit
        ({"proof_checked": False}, "proof_checked"),
        ({"is_proxy": True, "proxy_name": "刘小", "proxy_id_number": PROXY_ID}, None),
    ],
)
def test_registration_refuses_what_is_not_checked(world, changes, field):
    with pytest.raises(ValidationError) as error:
        services.owner_request_register(
            actor=world.front_desk, data=owner_data(**changes)
        )
    fields = error.value.message_dict
    assert (field or "authorisation_checked") in fields
    assert not OwnerRequest.objects.exists()


def test_a_proxy_is_recorded_with_their_own_identity(world):
    request = services.owner_request_register(
        actor=world.front_desk,
        data=owner_data(
            is_proxy=True,
            proxy_name="刘小",
            proxy_id_type="id_card",
            proxy_id_number=PROXY_ID,
            authorisation_checked=True,
        ),
    )
    assert request.proxy_id_masked == mask_id(PROXY_ID)
    assert decrypt_id(request.proxy_id_cipher) == PROXY_ID


def test_only_a_supervisor_approves_and_not_the_registrant(world, registered):
    with pytest.raises(NotAllowed, match="approves owners' requests"):
        services.owner_request_decide(
            owner_request=registered, actor=world.archivist, approve=True
        )
    services.owner_request_decide(
        owner_request=registered, actor=world.supervisor, approve=True
    )
    registered.refresh_from_db()
    assert registered.status == "approved"
    assert registered.decided_by == world.supervisor


def test_viewing_copies_fee_and_receipt(client, world, registered, settings):
    settings.ARCHIVE_COPY_FEE_PER_PAGE = "0.50"
    services.owner_request_decide(
        owner_request=registered, actor=world.supervisor, approve=True
    )
    services.owner_viewing_record(
        owner_request=registered,
        actor=world.archivist,
        numbers=f"{world.own.number}\n{world.confidential.number}",
    )
    services.copy_decide(
        owner_request=registered,
        actor=world.archivist,
        record=world.own,
        pages=4,
        allowed=True,
    )
    with pytest.raises(ValidationError, match="not copied"):
        services.copy_decide(
            owner_request=registered,
            actor=world.archivist,
            record=world.confidential,
            pages=2,
            allowed=True,
        )
    with pytest.raises(ValidationError, match="Give the reason for refusing the copy"):
        services.copy_decide(
            owner_request=registered,
            actor=world.archivist,
            record=world.confidential,
            pages=2,
            allowed=False,
        )  # a refusal needs its reason
    services.copy_decide(
        owner_request=registered,
        actor=world.archivist,
        record=world.confidential,
        pages=2,
        allowed=False,
        reason="机密档案，不予复制",
    )
    receipt = services.receipt_issue(
        owner_request=registered, actor=world.archivist, owner_signed=True
    )
    assert (receipt.total_pages, receipt.total_fee) == (4, Decimal("2.00"))
    kinds = sorted(UsageEvent.objects.values_list("kind", flat=True))
    assert kinds == ["copy", "owner_viewing", "owner_viewing"]
    client.force_login(world.cs2_supervisor)
    page = client.get(reverse("lending:copy-verify", args=[receipt.code]))
    assert page.status_code == 200
    assert world.own.number in page.content.decode()
    assert world.confidential.number not in page.content.decode()
    assert (
        client.get(reverse("lending:copy-verify", args=["NOTACODE"])).status_code == 404
    )


def test_anyone_holding_a_copy_can_check_it_and_learns_only_that(
    client, world, registered, settings
):
    """Issue 19, item 13: the QR code led to a page that needed a staff login.
    The page is public, says what verifies the copy (numbers, pages, the day
    issued), names no person and no property, and answers a few times a
    minute per address."""
    services.owner_request_decide(
        owner_request=registered, actor=world.supervisor, approve=True
    )
    services.owner_viewing_record(
        owner_request=registered, actor=world.archivist, numbers=world.own.number
    )
    services.copy_decide(
        owner_request=registered,
        actor=world.archivist,
        record=world.own,
        pages=4,
        allowed=True,
    )
    receipt = services.receipt_issue(
        owner_request=registered, actor=world.archivist, owner_signed=True
    )
    url = reverse("lending:copy-verify", args=[receipt.code])
    page = client.get(url)  # nobody logged in
    text = page.content.decode()
    assert page.status_code == 200
    assert world.own.number in text and "4 pages in all" in text
    assert registered.property_unit not in text
    assert str(world.archivist) not in text
    settings.ARCHIVE_VERIFY_PER_MINUTE = 3
    answers = [client.get(url).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_a_copy_of_an_electronic_record_is_marked_on_every_page(
    client, world, registered
):
    """Issue 18: the owner's copy of an electronic record carries 复制专用 and
    the receipt's verification code on every page (pdftotext)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from archives.services.files import file_ingest
    from tests import samples

    file_ingest(
        record=world.own,
        upload=SimpleUploadedFile("登记表.pdf", samples.pdf("业主登记表", pages=3)),
        actor=world.archivist,
    )
    services.owner_request_decide(
        owner_request=registered, actor=world.supervisor, approve=True
    )
    services.owner_viewing_record(
        owner_request=registered, actor=world.archivist, numbers=world.own.number
    )
    services.copy_decide(
        owner_request=registered,
        actor=world.archivist,
        record=world.own,
        pages=3,
        allowed=True,
    )
    url = reverse("lending:owner-copy-pdf", args=[registered.pk, world.own.pk])
    client.force_login(world.archivist)
    assert client.get(url).status_code == 404  # no receipt yet
    receipt = services.receipt_issue(
        owner_request=registered, actor=world.archivist, owner_signed=True
    )
    page = client.get(reverse("lending:owner-detail", args=[registered.pk]))
    assert f'data-testid="owner-copy-{world.own.number}"' in page.content.decode()
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pages = text.split("\f")[:-1]
    assert len(pages) == 3
    for one in pages:
        assert "复制专用" in one and receipt.code in one
        assert "业主登记表" in one
