"""Sending what was kept while the queue was down (``core.queue``)."""

from celery import shared_task
from celery.signals import worker_ready

from core.queue import queue_flush


@shared_task(name="core.tasks.queue_flush")
def queue_flush_task() -> int:
    return queue_flush()


@worker_ready.connect
def _flush_when_the_worker_starts(**kwargs):
    try:
        queue_flush()
    except Exception:  # beat tries again within a minute
        import logging

        logging.getLogger(__name__).exception("could not send the kept tasks")


@shared_task(name="core.tasks.worker_heartbeat")
def worker_heartbeat_task() -> float:
    """Beat's minute: a worker says it is alive (/readyz, core.readiness)."""
    from core.readiness import worker_heartbeat

    return worker_heartbeat()
