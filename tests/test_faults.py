"""Faults on the real machinery (SPEC §13): a worker killed in the middle of a
periodic check, and the database connection dropped during an approval.

The worker test runs a real Celery worker on Redis (as tests/retention/
test_worker.py); the connection test needs PostgreSQL's pg_terminate_backend.
"""

import threading
import time
import uuid

import pytest
from celery import Celery
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db import connections
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from lending.models import AccessRequest
from lending.models import ApprovalStep
from retention.models import CheckRun
from retention.services.checks import check_request
from tests.retention.conftest import file_electronic
from tests.retention.test_worker import redis_url  # noqa: F401 - a fixture
from tests.retention.test_worker import start_worker

pytestmark = pytest.mark.usefixtures("reference_data")


def _start_worker(broker, queue, log, *, slow: bool):
    # Unacknowledged tasks come back quickly, and a check silent for 3 s
    # counts as abandoned.
    return start_worker(
        broker,
        queue,
        log,
        program=["tests/slow_worker.py"] if slow else ["-m", "celery"],
        env={
            "ARCHIVE_BROKER_VISIBILITY_SECONDS": "3",
            "ARCHIVE_CHECK_STALE_SECONDS": "3",
        },
    )


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"waited {seconds} s for {what}")


def test_a_worker_killed_mid_check_is_replaced_and_the_check_finishes_once(
    request, tmp_path
):
    world = request.getfixturevalue("world")
    broker = request.getfixturevalue("redis_url")
    records = [file_electronic(world, title=f"录音整理{n}") for n in range(6)]
    # One file really changed in the store: the report must name it once.
    name = records[3].files.get().file.name
    store = storages["default"]
    data = bytearray(store.open(name).read())
    data[-1] ^= 0xFF
    store.delete(name)
    store.save(name, ContentFile(bytes(data)))

    run = check_request(kind=CheckRun.Kind.INSPECTION, actor=world.archivist)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    log = (tmp_path / "worker.log").open("w")
    client = Celery("tests", broker=broker, backend=broker)
    client.conf.broker_transport_options = {"visibility_timeout": 3}
    slow = _start_worker(broker, queue, log, slow=True)
    try:
        client.send_task("retention.tasks.run_check", args=[run.pk], queue=queue)

        def started():
            run.refresh_from_db()
            return run.status == CheckRun.Status.RUNNING and run.progress_total == 6

        _wait(started, 60, "the check to start")
        time.sleep(2.5)  # a file a second: two or three of six are read
        slow.kill()  # SIGKILL: no goodbye, the task is not acknowledged
        slow.wait(10)
        # Its heartbeat (core.heartbeat) beat until the kill: the task comes
        # back once that last sign of life is older than the stale time.
        time.sleep(3.5)
        run.refresh_from_db()
        assert run.status == CheckRun.Status.RUNNING
        assert run.progress_done < run.progress_total == 6

        fresh = _start_worker(broker, queue, log, slow=False)
        try:

            def done():
                run.refresh_from_db()
                return run.status == CheckRun.Status.DONE

            _wait(done, 90, "the redelivered check to finish")
        finally:
            fresh.terminate()
            fresh.wait(20)
    finally:
        if slow.poll() is None:
            slow.kill()
        log.close()
        client.close()
    run.refresh_from_db()
    assert run.runs == 2  # begun twice, finished once
    assert run.progress_done == run.progress_total == 6
    assert run.summary["files_checked"] == 6
    assert list(run.findings.values_list("code", "record_id")) == [
        ("checksum_mismatch", records[3].pk)
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_connection_dropped_during_an_approval_leaves_the_request_as_it_was(
    request, monkeypatch, window
):
    from lending.services import approvals
    from tests.lending.test_viewing import ask

    world = request.getfixturevalue("world")
    access_request = ask(world.finance_clerk, [world.own], window)
    step = access_request.steps.first()
    reached, resume = threading.Event(), threading.Event()
    backend = {}
    original_log = approvals.audit.log

    def pausing_log(action, *args, **kwargs):
        if action != AuditEntry.Action.APPROVED:  # a login, say
            return original_log(action, *args, **kwargs)
        # The step is written, not committed: cut the line here.
        backend["pid"] = connection.connection.get_backend_pid()
        reached.set()
        resume.wait(30)
        return original_log(action, *args, **kwargs)

    monkeypatch.setattr(approvals.audit, "log", pausing_log)
    answer = {}

    def approve():
        browser = Client(raise_request_exception=False)
        browser.force_login(world.finance_head)
        try:
            answer["status"] = browser.post(
                reverse("lending:step-decide", args=[step.pk]), {"decision": "approve"}
            ).status_code
        except Exception as error:
            answer["error"] = repr(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=approve)
    thread.start()
    assert reached.wait(30)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend["pid"]])
    resume.set()
    thread.join(30)

    assert answer.get("status") == 500, answer  # the person is told it failed
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert (
        ApprovalStep.objects.get(pk=step.pk).decision == ApprovalStep.Decision.PENDING
    )
    assert not AuditEntry.objects.filter(
        action="approved", actor=world.finance_head
    ).exists()
    # And the approval can simply be given again.
    monkeypatch.setattr(approvals.audit, "log", original_log)
    browser = Client()
    browser.force_login(world.finance_head)
    browser.post(
        reverse("lending:step-decide", args=[step.pk]), {"decision": "approve"}
    )
    assert (
        ApprovalStep.objects.get(pk=step.pk).decision == ApprovalStep.Decision.APPROVED
    )
