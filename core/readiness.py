"""Liveness and readiness for load balancers and monitoring (issue 21).

``/healthz``: the process answers (no database, nothing else): restart it
when this fails. ``/readyz``: it can serve: the database, Redis (cache and
broker), the file store, clamd and a worker (its heartbeat, sent by beat
every minute) answer; 200 when all do, 500 naming each that does not (as
JSON with ``?format=json``, as text with ``?format=text``). Built on
django-health-check.
"""

from __future__ import annotations

import dataclasses
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

HEARTBEAT_KEY = "core:worker-heartbeat"


def worker_heartbeat() -> float:
    """Written by a worker every minute (beat "worker-heartbeat")."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=24 * 3600)
    return now


@dataclasses.dataclass
class Worker(HealthCheck):
    """A worker took beat's heartbeat task lately: beat and a worker run."""

    def run(self) -> None:
        seen = cache.get(HEARTBEAT_KEY)
        if seen is None:
            raise ServiceUnavailable("no worker heartbeat yet")
        age = time.time() - float(seen)
        if age > settings.ARCHIVE_WORKER_HEARTBEAT_SECONDS:
            raise ServiceUnavailable(f"last worker heartbeat {int(age)} s ago")


@dataclasses.dataclass
class Clamd(HealthCheck):
    """The virus scanner of the four checks answers."""

    def run(self) -> None:
        from core import clamav

        if not clamav.configured():
            raise ServiceUnavailable("ARCHIVE_CLAMD_SOCKET is not set")
        try:
            clamav.version()
        except clamav.ScanUnavailable as error:
            raise ServiceUnavailable(f"clamd: {error}") from error


@dataclasses.dataclass
class Broker(HealthCheck):
    """The task queue's Redis answers."""

    def run(self) -> None:
        import redis

        try:
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_timeout=3, socket_connect_timeout=3
            )
            client.ping()
        except redis.RedisError as error:
            raise ServiceUnavailable(f"task queue: {type(error).__name__}") from error


class Ready(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
        "core.readiness.Broker",
        "core.readiness.Clamd",
        "core.readiness.Worker",
    )


ready = Ready.as_view()


@never_cache
def alive(request):
    return HttpResponse("ok\n", content_type="text/plain")
