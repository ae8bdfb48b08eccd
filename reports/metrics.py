"""Prometheus metrics (issue 21): django-prometheus's requests, latencies
and database calls, and the archive's own gauges, read from the database
when scraped (so every web process tells the same): the review backlog,
overdue loans, queued and stale jobs, failed checks and copies, the file
stores' used and free space, the age of the latest scheduled database
backup. ``/metrics`` answers a scraper that sends
``Authorization: Bearer <ARCHIVE_METRICS_TOKEN>``."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY
from prometheus_client import CollectorRegistry
from prometheus_client import generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class ArchiveCollector:
    """The archive's own gauges, counted at each scrape."""

    def describe(self):
        # Registering asks for the names; the database is not read then
        # (it may not exist yet: migrate, collectstatic).
        return []

    def collect(self):
        from archives.models import ArchiveRecord
        from archives.models import PreservationCopy
        from core.diskspace import stores_space
        from core.heartbeat import is_stalled
        from core.models import QueuedTask
        from lending.models import AccessRequest
        from lending.models import Kind
        from reports.models import ExportJob
        from reports.models import ImportJob
        from retention.models import CheckRun
        from retention.services import dbbackup

        backlog = ArchiveRecord.objects.filter(
            status=ArchiveRecord.Status.SUBMITTED
        ).count()
        yield GaugeMetricFamily(
            "archive_review_backlog", "Records submitted and not yet reviewed", backlog
        )
        overdue = AccessRequest.objects.filter(
            kind=Kind.LENDING,
            status=AccessRequest.Status.OUT,
            due_on__lt=timezone.localdate(),
        ).count()
        yield GaugeMetricFamily(
            "archive_loans_overdue", "Loans past their due date", overdue
        )
        jobs = GaugeMetricFamily(
            "archive_jobs",
            "Background jobs by kind and state",
            labels=["kind", "state"],
        )
        for kind, model in (
            ("check", CheckRun),
            ("export", ExportJob),
            ("import", ImportJob),
        ):
            jobs.add_metric(
                [kind, "queued"], model.objects.filter(status="queued").count()
            )
            running = list(model.objects.filter(status="running"))
            jobs.add_metric([kind, "running"], len(running))
            # Running without a sign of life: its worker died (core.heartbeat).
            jobs.add_metric([kind, "stale"], sum(is_stalled(j) for j in running))
        jobs.add_metric(["task", "kept_while_queue_down"], QueuedTask.objects.count())
        yield jobs
        yield GaugeMetricFamily(
            "archive_checks_failed",
            "Periodic checks whose last run failed",
            CheckRun.objects.filter(status=CheckRun.Status.FAILED).count(),
        )
        yield GaugeMetricFamily(
            "archive_copies_failed",
            "Long-term copies that could not be made",
            PreservationCopy.objects.filter(
                state=PreservationCopy.State.FAILED
            ).count(),
        )
        used = GaugeMetricFamily(
            "archive_store_used_bytes",
            "Bytes used on a file store's disk",
            labels=["store"],
        )
        free = GaugeMetricFamily(
            "archive_store_free_bytes",
            "Bytes free on a file store's disk",
            labels=["store"],
        )
        for space in stores_space():
            used.add_metric([space.store], space.used)
            free.add_metric([space.store], space.free)
        yield used
        yield free
        latest = dbbackup.backup_latest(scheduled=True)
        yield GaugeMetricFamily(
            "archive_db_backup_age_seconds",
            "Seconds since the latest scheduled database backup (-1: none)",
            (timezone.now() - latest.made_at).total_seconds() if latest else -1,
        )


def _registry():
    """The processes' shared registry under gunicorn (PROMETHEUS_MULTIPROC_DIR),
    else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(ArchiveCollector())
        return registry
    return REGISTRY


_registered = False


def register() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(ArchiveCollector())
        _registered = True


@never_cache
def metrics(request):
    token = settings.ARCHIVE_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse("metrics need the scraper's token\n", status=403)
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
