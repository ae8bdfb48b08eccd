"""A killed worker leaves no job stuck (security issue, item 14): a job
without a sign of life for ARCHIVE_JOB_STALE_SECONDS says so, and its owner
runs it again; a live one is never taken twice."""

import csv
import io
import time
import uuid

import pytest
from celery import Celery
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core import heartbeat
from reports.models import ImportJob
from reports.services import imports as import_service
from reports.services.jobs import job_claim
from tests.retention.test_worker import redis_url  # noqa: F401 - a fixture
from tests.retention.test_worker import start_worker

pytestmark = pytest.mark.usefixtures("reference_data")
HEADERS = ["类别", "分类代码", "题名", "客户编号", "形成日期", "载体", "页数", "关键词"]


def _csv(customer: str, rows: int) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for n in range(rows):
        writer.writerow(
            ["GT", "DH", f"来电{n}", customer, "2024-01-02", "纸质", "1", "x"]
        )
    return SimpleUploadedFile("gt.csv", buffer.getvalue().encode("utf-8-sig"))


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"waited {seconds} s for {what}")


@override_settings(ARCHIVE_JOB_STALE_SECONDS=3)
def test_an_import_whose_worker_is_killed_says_so_and_runs_again(
    client,
    world,
    redis_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    # Filed without sending: the test sends it to its own worker below.
    monkeypatch.setattr(import_service, "enqueue_on_commit", lambda *a: None)
    job = import_service.import_upload(
        actor=world.supervisor,
        kind="records",
        upload=_csv(world.own.customer.code, 30),
    )
    monkeypatch.undo()
    queue = f"stalled-{uuid.uuid4().hex[:8]}"
    log = (tmp_path / "worker.log").open("w")
    slow = start_worker(
        redis_url,
        queue,
        log,
        program=["tests/slow_worker.py"],
        env={"SLOW_WORKER_ROW_DELAY": "1", "ARCHIVE_JOB_STALE_SECONDS": "3"},
    )
    sender = Celery("tests", broker=redis_url, backend=redis_url)
    client.force_login(world.supervisor)
    page = reverse("reports:import-detail", args=[job.pk])
    try:
        sender.send_task("reports.tasks.import_run", args=[job.pk], queue=queue)

        def running():
            job.refresh_from_db()
            return job.status == ImportJob.Status.RUNNING

        _wait(running, 60, "the dry run to start")
        time.sleep(4)  # beats every 0.6 s: alive past the stale time
        job.refresh_from_db()
        assert not job.is_stalled
        assert "job-stalled" not in client.get(page).content.decode()
        # A second delivery of the same task leaves the live job alone.
        assert job_claim(ImportJob, job.pk) is None
        slow.kill()  # SIGKILL: no goodbye
        slow.wait(10)
    finally:
        if slow.poll() is None:
            slow.kill()
        log.close()
        sender.close()

    _wait(lambda: ImportJob.objects.get(pk=job.pk).is_stalled, 15, "the silence")
    body = client.get(page).content.decode()
    assert "This job stopped: the worker running it is gone" in body
    assert 'data-testid="run-again"' in body
    # Someone else may not run it again; its owner may.
    client.force_login(world.cs2_supervisor)
    again = reverse("reports:import-again", args=[job.pk])
    assert client.post(again).status_code == 404
    client.force_login(world.supervisor)
    response = client.post(again)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.rows_total == 30 and job.problem_count == 0


@override_settings(ARCHIVE_JOB_STALE_SECONDS=60)
def test_a_live_job_is_not_run_again(client, world):
    job = import_service.import_upload(
        actor=world.supervisor, kind="records", upload=_csv("C-1", 1)
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    heartbeat.beat(ImportJob, job.pk)
    client.force_login(world.supervisor)
    response = client.post(reverse("reports:import-again", args=[job.pk]), follow=True)
    assert "It is still running: it shows signs of life." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


@override_settings(ARCHIVE_JOB_STALE_SECONDS=60)
def test_beat_takes_over_silent_jobs_within_a_minute_and_leaves_live_ones(world):
    """What beat runs every minute: a job silent past the stale time is queued
    again and runs (here in-process); one with a recent sign of life is not."""
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    from reports.tasks import jobs_take_over_task
    from retention.models import CheckRun
    from retention.services.checks import check_request
    from retention.tasks import checks_take_over_task

    old = timezone.now() - datetime.timedelta(minutes=5)
    silent = import_service.import_upload(
        actor=world.supervisor, kind="records", upload=_csv("C-1", 2)
    )
    live = import_service.import_upload(
        actor=world.supervisor, kind="records", upload=_csv("C-1", 2)
    )
    ImportJob.objects.filter(pk__in=[silent.pk, live.pk]).update(
        status=ImportJob.Status.RUNNING, started_at=old, heartbeat_at=old
    )
    ImportJob.objects.filter(pk=live.pk).update(heartbeat_at=timezone.now())
    cache.clear()  # the signs of life of their first, in-process, runs
    run = check_request(kind=CheckRun.Kind.DAILY)
    CheckRun.objects.filter(pk=run.pk).update(
        status=CheckRun.Status.RUNNING, started_at=old, heartbeat_at=old
    )
    assert jobs_take_over_task() == 1
    assert checks_take_over_task() == 1
    silent.refresh_from_db()
    live.refresh_from_db()
    run.refresh_from_db()
    assert silent.status == ImportJob.Status.DONE
    assert live.status == ImportJob.Status.RUNNING
    assert run.status == CheckRun.Status.DONE
