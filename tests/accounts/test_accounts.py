"""Logging in, lockout, password rules, languages, demo data."""

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Customer
from archives.models import HandoverBatch
from lending.models import AccessRequest
from lending.models import Partner
from tests.factories import UserFactory


def test_login_with_the_right_password(client, db):
    UserFactory(username="wang", role="archivist")
    response = client.post(
        reverse("accounts:login"), {"username": "wang", "password": "Archive-pass-2026"}
    )
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(client, db):
    UserFactory(username="wang", role="archivist")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "wang", "password": "bad"})
    response = client.post(
        reverse("accounts:login"), {"username": "wang", "password": "Archive-pass-2026"}
    )
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A", "This password is too short"),
        ("abcdefghijkl", "must contain letters and digits or symbols"),
        ("1234567890123", "entirely numeric"),
        ("password123", "too common"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in m for m in refused.value.messages)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "档案目录"), ("zh-hant", "檔案目錄"), ("en", "Catalogue")],
)
def test_pages_speak_the_chosen_language(client, db, language, expected):
    client.force_login(UserFactory(role="archivist"))
    client.cookies["django_language"] = language
    assert expected in client.get(reverse("archives:catalogue")).content.decode()


@override_settings(LANGUAGE_CODE="zh-hans")
def test_simplified_chinese_is_the_default(client, db):
    client.force_login(UserFactory(role="archivist"))
    html = client.get(reverse("archives:catalogue")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "档案目录" in html


def test_language_switch_in_the_header(client, db):
    client.force_login(UserFactory(role="archivist"))
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/catalogue/"}, follow=True
    )
    assert "Catalogue" in response.content.decode()


def test_seed_demo_creates_every_role_once(db):
    out = io.StringIO()
    call_command("seed_demo", records=40, stdout=out)
    first = ArchiveRecord.objects.count()
    call_command("seed_demo", records=40, stdout=out)
    # 40 customer-service records, the owner's dossier's two (S4) and the
    # sales department's batch of two, handed over.
    assert ArchiveRecord.objects.count() == first == 44
    assert HandoverBatch.objects.get().status == "handed_over"
    owner = Customer.objects.get(is_owner=True)
    assert owner.family.count() == 2
    assert owner.records.filter(number__isnull=False).count() == 2
    roles = set(User.objects.values_list("groups__name", flat=True))
    assert roles >= {
        "archivist",
        "archive_head",
        "cs_staff",
        "cs_supervisor",
        "dept_head",
        "executive",
        "front_desk",
        "auditor",
        "admin",
    }
    call_command("seed_demo_lending", stdout=out)
    call_command("seed_demo_lending", stdout=out)  # adds nothing the second time
    assert AccessRequest.objects.count() == 5
    # A law firm under a confidentiality agreement, with one person (issue 20).
    partner = Partner.objects.get(code="P01")
    assert partner.agreements.get().number == "BM-2026-01"
    assert partner.members.get().username == "partner"
    statuses = set(ArchiveRecord.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "archived", "on_loan"} <= statuses
    assert User.objects.get(username="archivist").check_password("Demo-pass-2026")
