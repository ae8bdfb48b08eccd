"""Celery tasks of the periodic checks (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from retention.services.checks import check_execute
from retention.services.checks import check_request
from retention.services.checks import checks_take_over


@shared_task(name="retention.tasks.run_check")
def run_check(run_id: int) -> dict:
    """Run a queued check report; a report already taken is left alone."""
    return check_execute(run_id=run_id)


@shared_task(name="retention.tasks.scheduled_check")
def scheduled_check(kind: str) -> dict:
    """Beat's entry point: queue this period's report of ``kind`` and run it."""
    run = check_request(kind=kind)
    return check_execute(run_id=run.pk)


@shared_task(name="retention.tasks.checks_take_over")
def checks_take_over_task() -> int:
    """Beat's minute: take over the checks whose worker died."""
    return checks_take_over()


@shared_task(name="retention.tasks.database_backup")
def database_backup() -> dict:
    """Beat's night: back the database up into the backup store, then remove
    the backups past the retention setting."""
    from retention.services import dbbackup

    backup = dbbackup.backup_make(scheduled=True)
    removed = dbbackup.backups_prune()
    return {"backup": backup.name, "size": backup.size, "removed": removed}
