"""Celery tasks of the API (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from api.services import uploads_expire


@shared_task(name="api.tasks.uploads_expire")
def uploads_expire_task() -> int:
    """Hourly: delete uploads in pieces left unfinished past their keeping."""
    return uploads_expire()
