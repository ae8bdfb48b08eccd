"""Sending background work without making the request wait for Redis.

``enqueue_on_commit("retention.tasks.run_check", run.pk)`` sends the task
once the transaction commits. If the queue does not answer within a second,
the task is kept in ``QueuedTask`` and the request goes on; the page says
background work is delayed. ``queue_flush`` sends what was kept, oldest
first: the worker calls it when it starts and beat every minute, and the web
before its next send, so the kept work runs as soon as Redis is back.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.db import transaction

from core import health
from core.models import QueuedTask

logger = logging.getLogger(__name__)


def _publish(name: str, args: list) -> None:
    from core.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        # In-process (a first run without Redis, the tests): the task's
        # module registers it when imported.
        import_module(name.rpartition(".")[0])
        app.tasks[name].apply(args=args)
        return
    app.send_task(name, args=args, retry=False)


def enqueue(name: str, *values) -> bool:
    """Send now, or keep for later; True when it was sent."""
    args = list(values)
    if not health.is_down():
        try:
            if not settings.CELERY_TASK_ALWAYS_EAGER:
                queue_flush()
            _publish(name, args)
            return True
        except Exception as error:  # kombu's errors vary by transport
            health.note_down("task queue", error)
    QueuedTask.objects.create(name=name, args=args, last_error="queue unreachable")
    return False


def enqueue_on_commit(name: str, *args) -> None:
    transaction.on_commit(lambda: enqueue(name, *args))


def queue_flush(limit: int = 500) -> int:
    """Send the kept tasks, oldest first; stop at the first that fails."""
    sent = 0
    for task in QueuedTask.objects.order_by("pk")[:limit]:
        try:
            _publish(task.name, task.args)
        except Exception as error:
            QueuedTask.objects.filter(pk=task.pk).update(
                attempts=task.attempts + 1, last_error=str(error)[:300]
            )
            raise
        task.delete()
        sent += 1
    if sent:
        logger.info("sent %d task(s) kept while the queue was down", sent)
    return sent


def delayed() -> bool:
    """Whether this process has lately found Redis down."""
    return health.is_down()
