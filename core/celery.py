"""The Celery application; tasks are found in each app's tasks.py.

Plumbing, so it lives in core: core.queue sends through it. ``celery -A
config`` finds it through ``config.celery``.
"""

import os

from celery import Celery
from celery.signals import worker_init
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _require_utf8_database(**kwargs):
    """A worker refuses a database whose locale breaks Chinese search."""
    from core.dbcheck import require_utf8_database

    require_utf8_database()
    # The solo pool runs tasks in this process; prefork children inherit it.
    limit_memory()


def limit_memory() -> None:
    """Hold this process to ARCHIVE_WORKER_MEMORY_MB of address space.

    A task that needs more gets MemoryError, which it reports as its failure
    (an import names the file), instead of the kernel killing the worker.
    """
    import resource

    from django.conf import settings

    megabytes = settings.ARCHIVE_WORKER_MEMORY_MB
    if megabytes:
        limit = megabytes * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@worker_process_init.connect
def _limit_child_memory(**kwargs):
    limit_memory()
