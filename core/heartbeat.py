"""Signs of life of background jobs (security issue, item 14).

A job (a check, an import, an export, a conversion) runs inside
``beating(model, pk)``: a thread writes the job's ``heartbeat_at`` every
``ARCHIVE_JOB_STALE_SECONDS / 5`` seconds while the worker process lives, to
the database on its own connection and to the shared cache (for the time a
job holds a long transaction that the database would make it wait behind).
A job whose last sign of life is older than ``ARCHIVE_JOB_STALE_SECONDS``
lost its worker: it is taken over by the next delivery of its task or by a
person's "run it again", and pages say so instead of showing a frozen bar.
"""

from __future__ import annotations

import datetime
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def stale_seconds() -> int:
    return settings.ARCHIVE_JOB_STALE_SECONDS


def _key(model, pk) -> str:
    return f"heartbeat:{model._meta.label_lower}:{pk}"


def beat(model, pk) -> None:
    """One sign of life, to the cache (never fails the job)."""
    try:
        cache.set(_key(model, pk), timezone.now().timestamp(), stale_seconds() * 4)
    except Exception:
        logger.warning("could not note the heartbeat of %s %s", model, pk)


def last_beat(job) -> datetime.datetime | None:
    """The latest sign of life of a job: its row or the cache."""
    times = [job.heartbeat_at]
    try:
        cached = cache.get(_key(type(job), job.pk))
    except Exception:
        cached = None
    if cached:
        times.append(datetime.datetime.fromtimestamp(cached, tz=datetime.UTC))
    times = [t for t in times if t is not None]
    return max(times) if times else None


def is_stalled(job, *, running_value="running") -> bool:
    """Running, but silent for longer than ARCHIVE_JOB_STALE_SECONDS."""
    if job.status != running_value:
        return False
    last = last_beat(job) or getattr(job, "started_at", None)
    limit = timezone.now() - datetime.timedelta(seconds=stale_seconds())
    return last is None or last < limit


@contextmanager
def beating(model, pk):
    """Keep the job's heartbeat going while the block runs."""
    stop = threading.Event()
    every = max(stale_seconds() / 5, 0.2)

    def run() -> None:
        try:
            while not stop.wait(every):
                beat(model, pk)
                try:
                    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
                except Exception:
                    logger.warning("heartbeat of %s %s not written", model, pk)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=f"heartbeat-{pk}", daemon=True)
    beat(model, pk)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 25)
