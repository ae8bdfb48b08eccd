"""No ID or phone number typed into a page reaches a log in full (security
issue, item 2): the audit log's page field and the server's logs."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.urls import reverse

from audit.models import AuditEntry
from audit.redact import redact
from tests.net import free_port

ID_NUMBER = "110101199003071234"
MOBILE = "13800138000"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("typed", "logged"),
    [
        (ID_NUMBER, "110***********1234"),
        ("11010119900307123X", "110***********123X"),
        ("320102800101123", "320********1123"),
        (MOBILE, "138****8000"),
        ("138-0013-8000", "138-****-8000"),
        ("0755-87654321", "075*-****4321"),
    ],
)
def test_id_and_phone_shapes_keep_only_their_ends(typed, logged):
    assert redact(f"/catalogue/?q={typed}&sort=title") == (
        f"/catalogue/?q={logged}&sort=title"
    )


@pytest.mark.parametrize(
    "kept", ["GT20250312005", "/records/12345/", "2025-03-12", "KH2023001"]
)
def test_archive_numbers_dates_and_ids_are_left_alone(kept):
    assert redact(kept) == kept


@pytest.mark.django_db
def test_a_refused_page_with_an_id_in_its_address_is_logged_masked(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("audit:log"), {"q": ID_NUMBER, "phone": MOBILE})
    assert response.status_code == 403
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DENIED).latest("pk")
    assert ID_NUMBER not in entry.path and MOBILE not in entry.path
    assert "110***********1234" in entry.path and "138****8000" in entry.path
    client.force_login(world.auditor)
    page = client.get(reverse("audit:log")).content.decode()
    assert ID_NUMBER not in page and MOBILE not in page


def test_the_servers_access_and_error_logs_hold_no_full_number(tmp_path):
    """gunicorn with the deployment's configuration: its access lines and
    Django's "Not Found" line mask the numbers of the request."""
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": str(access),
        "GUNICORN_ERROR_LOG": str(errors),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--capture-output",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(f"{base}/accounts/login/", timeout=2)
                break
            except (requests.ConnectionError, requests.Timeout):  # still booting
                time.sleep(0.2)
        login = requests.get(
            f"{base}/accounts/login/", params={"q": ID_NUMBER}, timeout=30
        )
        assert login.status_code == 200
        missing = requests.get(f"{base}/owners-by-phone/{MOBILE}/", timeout=30)
        assert missing.status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = access.read_text() + errors.read_text()
    assert "/accounts/login/?q=110***********1234" in logged
    assert "/owners-by-phone/138****8000/" in logged
    assert ID_NUMBER not in logged and MOBILE not in logged
