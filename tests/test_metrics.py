"""Prometheus metrics (issue 21, item 4): the scraper's token, the request
counters of django-prometheus and the archive's own gauges; the daily
check's warning when a store's disk is nearly full."""

import pytest

from archives.models import ArchiveRecord
from archives.services.records import records_submit
from retention.models import CheckRun
from retention.models import Finding
from retention.services.checks import check_execute
from retention.services.checks import check_request
from tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


def _scrape(client, token="scrape-me"):  # noqa: S107 - the test's own
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_metrics_need_the_scrapers_token(client, settings):
    settings.ARCHIVE_METRICS_TOKEN = ""
    assert _scrape(client).status_code == 403  # unset: nobody
    settings.ARCHIVE_METRICS_TOKEN = "scrape-me"
    assert _scrape(client, "guess").status_code == 403
    assert _scrape(client).status_code == 200


def test_the_archives_gauges_and_the_request_counters(client, settings, staff):
    settings.ARCHIVE_METRICS_TOKEN = "scrape-me"
    records = [RecordFactory(created_by=staff) for _ in range(3)]
    records_submit(actor=staff, records=records)
    client.get("/healthz/")
    text = _scrape(client).content.decode()
    assert "archive_review_backlog 3.0" in text
    assert "archive_loans_overdue 0.0" in text
    assert 'archive_jobs{kind="check",state="queued"}' in text
    assert 'archive_store_free_bytes{store="default"}' in text
    assert "archive_db_backup_age_seconds " in text
    assert "django_http_requests_total_by_method_total" in text
    ArchiveRecord.objects.filter(pk=records[0].pk).update(
        status=ArchiveRecord.Status.DRAFT
    )
    assert "archive_review_backlog 2.0" in _scrape(client).content.decode()


def test_the_daily_check_warns_of_a_store_nearly_full(settings, archivist):
    settings.ARCHIVE_FREE_SPACE_MIN_PERCENT = 101  # every real disk is "full"
    run = check_request(kind=CheckRun.Kind.DAILY)
    check_execute(run_id=run.pk)
    run.refresh_from_db()
    low = Finding.objects.filter(run=run, code="low_free_space")
    assert low.count() == 2  # the archive store and the backup store
    assert run.summary["stores_low_on_space"] == 2
    assert "free (" in str(low.first())
