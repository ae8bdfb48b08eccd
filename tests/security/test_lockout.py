"""Failed logins lock a name at an address, not an office; addresses come
from the proxy only when the proxy is ours (security issue, item 7)."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry

PASSWORD = "Archive-pass-2026"
LOCKED = "Account locked"

pytestmark = pytest.mark.django_db


def _try(username, password, *, peer="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client(**headers)
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response


def _locked(response) -> bool:
    return response.status_code == 429 or LOCKED in response.content.decode()


def test_made_up_names_from_one_address_lock_nobody_else(world, settings):
    """Five failures with invented names from the office's address: the
    archivist at the same address still logs in."""
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(6):
        _try(f"nobody{n}", "wrong", peer="10.0.0.1")
        _try("guessed", "wrong", peer="10.0.0.1")
    assert _locked(_try("guessed", "wrong", peer="10.0.0.1"))
    response = _try("li", PASSWORD, peer="10.0.0.1")
    assert response.status_code == 302, response.content.decode()[:300]


def test_a_name_locked_at_one_address_still_logs_in_from_another(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _try("li", "wrong", peer="10.0.0.7")
    assert _locked(_try("li", PASSWORD, peer="10.0.0.7"))
    assert _try("li", PASSWORD, peer="10.0.0.8").status_code == 302


def test_many_names_from_one_address_lock_the_address(world, settings):
    """Credential stuffing: past the per-address limit every name is refused
    from that address, and the rest of the world is not."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.ARCHIVE_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        _try(f"user{n}", "wrong", peer="198.51.100.9")
    assert _locked(_try("li", PASSWORD, peer="198.51.100.9"))
    assert _try("li", PASSWORD, peer="198.51.100.10").status_code == 302


def test_behind_our_proxy_each_client_is_counted_and_logged_by_its_own_address(
    world, settings
):
    settings.ARCHIVE_TRUSTED_PROXIES = ("127.0.0.1",)
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _try("li", "wrong", peer="127.0.0.1", forwarded="203.0.113.5")
    # The same name from another client behind the same proxy is not locked.
    other = _try("li", PASSWORD, peer="127.0.0.1", forwarded="203.0.113.6")
    assert other.status_code == 302
    assert _locked(_try("li", PASSWORD, peer="127.0.0.1", forwarded="203.0.113.5"))
    failed = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert set(failed.values_list("ip", flat=True)) == {"203.0.113.5"}
    login = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).latest("pk")
    assert login.ip == "203.0.113.6"


def test_a_forwarded_header_from_anyone_else_is_not_believed(world, settings):
    """A client writing X-Forwarded-For itself neither hides its address in
    the audit log nor escapes its lockout."""
    settings.ARCHIVE_TRUSTED_PROXIES = ("127.0.0.1",)
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        _try("li", "wrong", peer="192.0.2.50", forwarded=f"203.0.113.{n}")
    assert _locked(_try("li", PASSWORD, peer="192.0.2.50", forwarded="203.0.113.99"))
    failed = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert set(failed.values_list("ip", flat=True)) == {"192.0.2.50"}


def test_a_chain_of_our_proxies_is_walked_from_the_right(world, settings):
    settings.ARCHIVE_TRUSTED_PROXIES = ("127.0.0.1", "10.1.0.0/16")
    response = _try(
        "li", PASSWORD, peer="127.0.0.1", forwarded="1.2.3.4, 203.0.113.8, 10.1.2.3"
    )
    assert response.status_code == 302
    login = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).latest("pk")
    assert login.ip == "203.0.113.8"
