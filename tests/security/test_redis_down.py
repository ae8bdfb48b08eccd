"""With Redis stopped, people still log in and file; what needs the queue is
kept and runs once Redis is back (security issue, item 13).

Real parts: a redis-server this test starts and stops on its own port, the
application under gunicorn, and a Celery worker; the database is the test
database, shared with them.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from archives.models import ArchiveRecord
from core.models import QueuedTask
from retention.models import CheckRun
from tests.factories import subcode
from tests.net import free_port
from tests.retention.test_worker import _database_url
from tests.retention.test_worker import start_redis_server
from tests.test_faults import _wait

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Archive-pass-2026"

pytestmark = pytest.mark.usefixtures("reference_data")


def _form_post(session, url, data, *, page_url=None):
    page = session.get(page_url or url, timeout=15)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, (page.status_code, page.text[:3000])
    return session.post(
        url,
        data={"csrfmiddlewaretoken": token.group(1), **data},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=15,
    )


@pytest.fixture
def live(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ARCHIVE_TEST_LIVE_QUEUE": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "REDIS_CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
        "ARCHIVE_BADGE_SECONDS": "0",
    }
    server = start_redis_server(redis_port)
    web_log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=web_log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{web_port}"
    _wait(lambda: _answers(base), 60, "gunicorn")
    state = {"redis": server, "port": redis_port, "env": env, "base": base}
    yield state
    web.terminate()
    web.wait(30)
    for key in ("redis", "worker"):
        if state.get(key):
            state[key].terminate()
            state[key].wait(30)


def _answers(base) -> bool:
    try:
        return requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # still booting
        return False


def test_with_redis_stopped_people_log_in_and_file_and_the_work_waits(
    live, world, tmp_path
):
    base = live["base"]
    live["redis"].terminate()
    live["redis"].wait(30)
    live["redis"] = None

    session = requests.Session()
    response = _form_post(
        session,
        f"{base}/accounts/login/",
        {"username": world.archivist.username, "password": PASSWORD},
    )
    assert response.status_code == 302, response.text[:500]
    home = session.get(f"{base}/", timeout=15)
    assert home.status_code == 200
    assert "Background work (checks, imports, exports) is delayed" in home.text

    response = _form_post(
        session,
        f"{base}/records/new/GT/",
        {
            "title": "Redis 停机时归档的来电记录",
            "subcode_channel": subcode("GT", "channel", "DH").pk,
            "customer": world.own.customer_id,
            "date_formed": "2024-03-01",
            "source_department": world.cs1.pk,
            "responsible_person": world.archivist.pk,
            "carrier": "paper",
            "page_count": "1",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert ArchiveRecord.objects.filter(title="Redis 停机时归档的来电记录").exists()

    response = _form_post(
        session,
        f"{base}/retention/checks/start/daily/",
        {},
        page_url=f"{base}/retention/checks/",
    )
    assert response.status_code == 302
    run = CheckRun.objects.get(kind="daily")
    assert run.status == CheckRun.Status.QUEUED
    assert QueuedTask.objects.get().name == "retention.tasks.run_check"

    # Redis is back: the worker sends what was kept and runs it.
    live["redis"] = start_redis_server(live["port"])
    log = (tmp_path / "worker.log").open("w")
    live["worker"] = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=live["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def finished():
        run.refresh_from_db()
        return run.status == CheckRun.Status.DONE

    _wait(finished, 90, "the kept check to run")
    assert not QueuedTask.objects.exists()
