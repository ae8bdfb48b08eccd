"""The checks on the real machinery: Celery beat loads the schedule, and a task
sent through Redis runs in a separate Celery worker process whose report then
appears in the database.

Redis is the one at REDIS_URL (database 15, so nothing of a running system is
touched) or, if none answers, a redis-server this module starts on a free
port; without either the tests are skipped with the reason.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from retention.models import CheckRun
from retention.services.checks import check_request
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def redis_url():
    configured = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    url = configured.rsplit("/", 1)[0] + "/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        yield url
        return
    except redis.ConnectionError:
        pass
    if not shutil.which("redis-server"):
        pytest.skip("no Redis answers at REDIS_URL and redis-server is not installed")
    port = free_port()
    server = start_redis_server(port)
    yield f"redis://127.0.0.1:{port}/15"
    server.terminate()
    server.wait(10)


def start_redis_server(port: int) -> subprocess.Popen:
    """A redis-server of the test's own on 127.0.0.1:``port``, answering."""
    server = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


def _env(redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ARCHIVE_TEST_DIR": os.environ["ARCHIVE_TEST_DIR"],
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
    }


def start_worker(broker, queue, out, *, program=("-m", "celery"), env=None):
    """A solo Celery worker process on ``queue``, sharing the test database."""
    return subprocess.Popen(
        [
            sys.executable,
            *program,
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env={**_env(broker), **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def worker(redis_url, reference_data, tmp_path):
    """A Celery worker process on its own queue, sharing the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = start_worker(redis_url, queue, out)
    client = Celery("tests", broker=redis_url, backend=redis_url)
    yield client, queue, log
    process.terminate()
    process.wait(20)
    client.close()


def test_beat_loads_every_schedule_entry(redis_url, tmp_path, transactional_db):
    """A real beat process starts with every entry of the schedule (the
    checks, the reports, the mailboxes, the heartbeat), kept in the test
    database by core.beat's scheduler (django-celery-beat)."""
    from django_celery_beat.models import PeriodicTask

    env = _env(redis_url)  # the test database, as the workers share it
    log = tmp_path / "beat.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wanted = {
        (name, entry["task"]) for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }
    found: set = set()
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and not wanted <= found:
            time.sleep(0.5)
            found = set(PeriodicTask.objects.values_list("name", "task"))
    finally:
        process.terminate()
        process.wait(10)
    assert wanted <= found, log.read_text()


def test_a_task_sent_through_redis_runs_in_the_worker(worker, request):
    world = request.getfixturevalue("world")
    from tests.retention.conftest import file_electronic

    record = file_electronic(world)
    name = record.files.get().file.name
    store = storages["default"]
    data = bytearray(store.open(name).read())
    data[0] ^= 0xFF
    store.delete(name)
    store.save(name, ContentFile(bytes(data)))

    client, queue, log = worker
    report = check_request(kind="inspection", actor=world.archivist)
    assert report.status == "queued"
    result = client.send_task(
        "retention.tasks.run_check", args=[report.pk], queue=queue
    )
    try:
        summary = result.get(timeout=90)
    except Exception:
        pytest.fail(log.read_text())
    assert summary["files_checked"] == 1
    # The first byte changed: the hash differs, and the PDF no longer opens.
    assert summary["findings"] == {"checksum_mismatch": 1, "file_unusable": 1}
    report.refresh_from_db()
    assert report.status == CheckRun.Status.DONE
    assert {f.record_id for f in report.findings.all()} == {record.pk}
    # Delivered twice (a retry, a second press): the report is not run again.
    again = client.send_task("retention.tasks.run_check", args=[report.pk], queue=queue)
    assert again.get(timeout=60) == {"skipped": report.pk}
    report.refresh_from_db()
    assert report.runs == 1
    assert report.findings.count() == 2


def test_the_beat_task_runs_a_check_of_the_period_in_the_worker(worker, request):
    request.getfixturevalue("world")
    client, queue, _log = worker
    result = client.send_task(
        "retention.tasks.scheduled_check", args=["daily"], queue=queue
    )
    summary = result.get(timeout=90)
    assert summary["disposal_due"] == 4
    assert CheckRun.objects.get(kind="daily").status == "done"
