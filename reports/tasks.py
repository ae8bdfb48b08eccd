"""Celery tasks: the monthly report, big exports, imports."""

from celery import shared_task

from reports.services.exports import export_run
from reports.services.imports import import_run
from reports.services.monthly import monthly_report_scheduled


@shared_task(name="reports.tasks.monthly_report_scheduled")
def monthly_report_task() -> str:
    return str(monthly_report_scheduled())


@shared_task(name="reports.tasks.export_run")
def export_task(job_id: int) -> None:
    export_run(job_id=job_id)


@shared_task(name="reports.tasks.import_run")
def import_task(job_id: int) -> None:
    import_run(job_id=job_id)


@shared_task(name="reports.tasks.jobs_take_over")
def jobs_take_over_task() -> int:
    """Beat's minute: take over the imports and exports whose worker died."""
    from reports.models import ExportJob
    from reports.models import ImportJob
    from reports.services.jobs import jobs_take_over

    return jobs_take_over(ImportJob, "reports.tasks.import_run") + jobs_take_over(
        ExportJob, "reports.tasks.export_run"
    )
