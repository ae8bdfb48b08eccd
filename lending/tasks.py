"""Celery tasks for viewing and lending (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from lending.services.circulation import daily_run


@shared_task(name="lending.tasks.daily_lending_run")
def daily_lending_run() -> dict[str, int]:
    """Expire stale approvals, remove ended grants, send loan reminders.

    Safe to run twice: each step looks at the state, not at the clock of the
    last run, and reminders are unique per loan, due date and day.
    """
    return daily_run()
