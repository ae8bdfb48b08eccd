"""What exports and imports share as background jobs: claiming one for a
worker (taking over one whose worker died), and running one again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import heartbeat
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.lifecycle import transition
from core.queue import enqueue_on_commit


def job_claim(model, job_id: int):
    """The job, now running for this worker; None if another has it.

    A queued job is claimed; so is a running one whose worker has been silent
    past ARCHIVE_JOB_STALE_SECONDS (the task delivered again after its
    worker died takes it over). A live one is left alone.
    """
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        Status = model.Status
        if job.status != Status.QUEUED and not heartbeat.is_stalled(job):
            return None
        job.started_at = job.heartbeat_at = timezone.now()
        transition(job, Status.RUNNING, fields=["started_at", "heartbeat_at"])
    return job


def job_run_again(*, actor: User, job, task: str):
    """Queue a job whose worker died, for its owner."""
    with transaction.atomic():
        job = type(job).objects.select_for_update().get(pk=job.pk)
        if job.created_by_id != actor.pk:
            raise NotAllowed(_("Only the person who started it may run it again."))
        if not heartbeat.is_stalled(job):
            raise ArchiveError(
                _("It is still running: it shows signs of life. Nothing was changed.")
            )
        transition(job, job.Status.QUEUED, actor=actor, reason="run again")
        enqueue_on_commit(task, job.pk)
    return job


def jobs_take_over(model, task: str) -> int:
    """Running jobs whose worker died, queued again and sent (beat, every
    minute): nothing waits for a person to notice."""
    taken = 0
    for job in model.objects.filter(status=model.Status.RUNNING):
        if not heartbeat.is_stalled(job):
            continue
        with transaction.atomic():
            job = model.objects.select_for_update().get(pk=job.pk)
            if job.status != model.Status.RUNNING or not heartbeat.is_stalled(job):
                continue
            transition(job, model.Status.QUEUED, reason="worker silent")
            enqueue_on_commit(task, job.pk)
            taken += 1
    return taken
