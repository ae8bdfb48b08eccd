"""API tokens: kept as a hash, made only by their owner, ended by expiry,
revocation, a password change and deactivation (security issue, item 8)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import api_token_create
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _reads(key) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/categories/").status_code


def test_only_the_hash_is_kept_and_the_key_is_shown_once(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("accounts:tokens"), {"name": "呼叫中心录音归档", "days": 30}
    )
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get()
    key = response.context["new_key"]
    assert key in page and token.prefix == key[:8]
    assert key not in {token.key_hash, token.prefix, token.name}
    assert (
        token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    )
    assert _reads(key) == 200
    # The list shows the token again, never its key.
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert token.prefix in again and key not in again
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.TOKEN_CHANGED).get()
    assert entry.details["change"] == "created"
    assert entry.details["token"] == token.prefix


def test_a_token_ends_at_its_expiry(world):
    _token, key = api_token_create(actor=world.staff, name="CRM", days=2)
    assert _reads(key) == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        assert _reads(key) == 401


def test_a_password_change_ends_every_token(client, world):
    _token, key = api_token_create(actor=world.staff, name="CRM")
    client.force_login(world.staff)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "Archive-pass-2026",
            "new_password1": "Another-pass-2027!",
            "new_password2": "Another-pass-2027!",
        },
    )
    assert response.status_code == 302
    assert _reads(key) == 401
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "password changed since" in page


def test_deactivation_ends_every_token_for_good(client, world):
    _token, key = api_token_create(actor=world.staff, name="CRM")
    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    url = reverse("admin:accounts_user_change", args=[world.staff.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "username": world.staff.username,
            "department": world.staff.department_id,
            "supervisor": world.staff.supervisor_id,
            "is_active": "",
        }
    )
    data.pop("password", None)
    data = {k: v for k, v in data.items() if k in form.fields}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _reads(key) == 401
    world.staff.refresh_from_db()
    world.staff.is_active = True
    world.staff.save()
    assert _reads(key) == 401  # reactivated, the old tokens stay ended


def test_each_person_revokes_their_own_and_nobody_elses(client, world):
    mine, key = api_token_create(actor=world.staff, name="CRM")
    theirs, other_key = api_token_create(actor=world.staff2, name="CRM")
    client.force_login(world.staff)
    assert (
        client.post(reverse("accounts:token-revoke", args=[theirs.pk])).status_code
        == 404
    )
    assert _reads(other_key) == 200
    client.post(reverse("accounts:token-revoke", args=[mine.pk]))
    assert _reads(key) == 401


def test_nobody_makes_a_token_for_someone_else(client, world):
    """The admin's token pages of Django REST framework are gone, and ours
    makes a token only for the person logged in."""
    world.admin.is_staff = True
    world.admin.is_superuser = True  # even a superuser
    world.admin.save()
    client.force_login(world.admin)
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 404
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    client.post(
        reverse("accounts:tokens"),
        {"name": "x", "days": 1, "user": world.archive_head.pk},
    )
    assert not ApiToken.objects.filter(user=world.archive_head).exists()
    assert ApiToken.objects.get().user == world.admin
