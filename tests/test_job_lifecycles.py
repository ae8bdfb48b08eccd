"""Checks and background jobs follow their transition tables (issue 16,
item 1): a worker that lost its job to another cannot finish it, and a move
the table does not allow is refused with a message."""

import pytest

from core.errors import ArchiveError
from core.lifecycle import transition
from core.lifecycle import transition_row
from reports.models import ImportJob
from retention.models import CheckRun

Status = ImportJob.Status


@pytest.mark.django_db
def test_a_job_queued_again_is_not_finished_by_the_worker_that_lost_it(staff):
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.RECORDS,
        file_name="a.csv",
        original_name="a.csv",
        created_by=staff,
        status=Status.RUNNING,
    )
    # Beat took it over: queued again for a live worker.
    transition(job, Status.QUEUED, reason="worker silent")
    # The old worker comes back and reports it done: nothing moves.
    assert transition_row(ImportJob, job.pk, Status.DONE, rows_done=5) is False
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (Status.QUEUED, 0)
    # The new worker claims it and finishes it.
    transition(job, Status.RUNNING)
    assert transition_row(ImportJob, job.pk, Status.DONE, rows_done=5) is True
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (Status.DONE, 5)


@pytest.mark.django_db
def test_a_check_cannot_skip_its_run():
    run = CheckRun.objects.create(kind=CheckRun.Kind.DAILY, period="2026-11-30")
    with pytest.raises(ArchiveError, match="“Queued”: it cannot become “Done”"):
        transition(run, CheckRun.Status.DONE)
    run.refresh_from_db()
    assert run.status == CheckRun.Status.QUEUED
