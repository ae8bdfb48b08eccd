"""Celery tasks of the electronic records (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from archives.services.filechecks import scan_pending


@shared_task(name="archives.tasks.scan_pending")
def scan_pending_task() -> int:
    """Beat's few minutes: scan the files that waited for the virus scanner."""
    return scan_pending()
