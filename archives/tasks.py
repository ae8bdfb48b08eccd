"""Celery tasks of the electronic records (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from archives.services import mailin
from archives.services import preservation
from archives.services.filechecks import scan_pending


@shared_task(name="archives.tasks.scan_pending")
def scan_pending_task() -> int:
    """Beat's few minutes: scan the files that waited for the virus scanner."""
    return scan_pending()


@shared_task(name="archives.tasks.preserve_file", bind=True, acks_late=True)
def preserve_file(self, copy_id: int) -> str:
    """Make one long-term copy; a failed try is made again later, each
    retry waiting longer (1, 2, 4 … minutes)."""
    try:
        return preservation.preserve_file(copy_id)
    except preservation.TryAgain as again:
        raise self.retry(
            countdown=60 * 2 ** (again.attempts - 1), max_retries=None
        ) from again


@shared_task(name="archives.tasks.mailboxes_read")
def mailboxes_read() -> dict:
    """Beat's few minutes: take the new messages of every active mailbox.
    One run at a time: a slow server is not read twice at once."""
    from django.core.cache import cache

    if not cache.add("archives:mailboxes-read", 1, 30 * 60):
        return {"running": True}
    try:
        read = mailin.mailboxes_read()
    finally:
        cache.delete("archives:mailboxes-read")
    return {"filed": read.filed, "skipped": read.skipped, "refused": read.refused}
