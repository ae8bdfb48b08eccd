"""/healthz and /readyz for load balancers and monitoring (issue 21): the
real database, Redis, file store and clamd of the test run are asked."""

import time

import pytest
from django.core.cache import cache

from core.readiness import HEARTBEAT_KEY
from core.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db


def test_alive_needs_nothing_and_no_login(client):
    answer = client.get("/healthz/")
    assert answer.status_code == 200 and answer.content == b"ok\n"
    assert (
        "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
    )


def test_ready_when_every_part_answers(client):
    cache.delete(HEARTBEAT_KEY)
    assert client.get("/readyz/").status_code == 500  # no worker yet
    worker_heartbeat_task()  # what beat has a worker do every minute
    answer = client.get("/readyz/?format=json")
    assert answer.status_code == 200, answer.content
    report = answer.json()
    assert len(report) == 6 and set(report.values()) == {"OK"}


def test_not_ready_names_what_does_not_answer(client, settings):
    cache.set(HEARTBEAT_KEY, time.time() - 600)
    settings.ARCHIVE_CLAMD_SOCKET = "/nonexistent/clamd.sock"
    answer = client.get("/readyz/?format=json")
    assert answer.status_code == 500
    problems = {k: v for k, v in answer.json().items() if v != "OK"}
    assert any("clamd" in v for v in problems.values()), problems
    assert any(
        "heartbeat 600 s ago" in v or "heartbeat 60" in v for v in problems.values()
    )
    assert len(problems) == 2  # the database, cache, store and queue answer


def test_the_version_in_the_footer_and_the_api(client, staff, settings):
    from rest_framework.test import APIClient

    from core.version import VERSION
    from tests.factories import api_key

    client.force_login(staff)
    page = client.get("/records/mine/").content.decode()
    assert f"version {VERSION}" in page
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(staff)}")
    assert api.get("/api/v1/version/").json() == {"version": VERSION, "api": "v1"}
    assert APIClient().get("/api/v1/version/").status_code in (401, 403)
    changelog = (settings.BASE_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {VERSION} " in changelog
