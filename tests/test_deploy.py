"""Production settings: `check --deploy` is clean, secrets have no default,
and every page carries the security headers (SPEC §13)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env_changes) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ARCHIVE_", "DATABASE_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ARCHIVE_FIELD_KEY": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "archive.example.com",
            "ARCHIVE_VAR_DIR": os.environ["ARCHIVE_TEST_DIR"],
        }
    )
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_a_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_stops_the_start_and_says_which():
    for name in ("DJANGO_SECRET_KEY", "ARCHIVE_FIELD_KEY"):
        result = _manage("check", **{name: None})
        assert result.returncode != 0
        assert f"{name} is not set" in result.stderr


def test_every_page_carries_the_security_headers(client, world):
    client.force_login(world.archivist)
    for url in (reverse("archives:catalogue"), reverse("accounts:login")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self';" in policy
            and "unsafe-inline" not in policy.split("style-src-attr")[0]
        )
        assert "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_a_server_installs_no_test_or_browser_tools():
    """requirements.txt is what a server runs; the test runner, Playwright,
    the schema fuzzer and linters are in requirements-dev.txt only (a fresh
    venv of requirements.txt passes `manage.py check`: checked by hand)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    runtime = {
        line.split("==")[0].lower()
        for line in (root / "requirements.txt").read_text().splitlines()
        if "==" in line
    }
    assert runtime.isdisjoint(
        {"pytest", "playwright", "schemathesis", "hypothesis", "ruff", "mypy"}
    )
    assert {"django", "celery", "gunicorn", "psycopg2-binary"} <= runtime
    dev = (root / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in dev and "playwright==" in dev
