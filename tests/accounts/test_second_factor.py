"""A second factor at login for the privileged roles (issue 21, item 5):
the first login sets up the authenticator app, every later login asks for
its code; other roles log in as before."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "Archive-pass-2026"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.ARCHIVE_2FA_ROLES = ["security_admin", "archive_head"]


def _log_in(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=later,
    )
    return f"{value:06d}"


def test_a_privileged_role_sets_up_its_app_then_gives_a_code_at_each_login(db):
    person = UserFactory(username="sec", role="security_admin")
    client = _log_in("sec")
    # Nothing but the second-factor page until the code is given.
    wanted = reverse("accounts:sessions")
    page = client.get(wanted)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:second-factor"))
    setup = client.get(page["Location"])
    text = setup.content.decode()
    assert "Scan this code with the app" in text and "<svg" in text
    secret = re.search(r'user-select-all">([A-Z2-7]+)<', text).group(1)
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert secret  # the key to type in, Base32

    wrong = client.post(
        reverse("accounts:second-factor"), {"code": "000000", "next": wanted}
    )
    assert "That code is not right" in wrong.content.decode()
    assert client.get(wanted).status_code == 302
    time.sleep(1.1)  # after a wrong code django-otp waits a second, then more
    done = client.post(
        reverse("accounts:second-factor"), {"code": _code(device), "next": wanted}
    )
    assert done.status_code == 302 and done["Location"] == wanted
    assert client.get(wanted).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(
        action="access_changed", details__changes="second factor set up"
    ).exists()

    # The next login asks for the code of the app set up: no new key shown.
    again = _log_in("sec")
    asked = again.get(reverse("accounts:second-factor")).content.decode()
    assert "Enter the six-digit code" in asked and "<svg" not in asked
    # The code already used is refused (django-otp keeps the last time step).
    used = again.post(reverse("accounts:second-factor"), {"code": _code(device)})
    assert "That code is not right" in used.content.decode()
    time.sleep(1.1)
    fresh = again.post(
        reverse("accounts:second-factor"), {"code": _code(device, later=1)}
    )
    assert fresh.status_code == 302
    assert again.get(wanted).status_code == 200


def test_other_roles_log_in_as_before(db):
    UserFactory(username="clerk", role="cs_staff")
    client = _log_in("clerk")
    assert client.get(reverse("accounts:sessions")).status_code == 200


def test_turned_off_by_the_setting(db, settings):
    settings.ARCHIVE_2FA_ROLES = []
    UserFactory(username="sec", role="security_admin")
    client = _log_in("sec")
    assert client.get(reverse("accounts:sessions")).status_code == 200
