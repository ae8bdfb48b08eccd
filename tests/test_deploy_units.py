"""The systemd units in ``deploy/systemd/`` (issue 21, item 1): systemd
finds nothing wrong in them, and their ExecStart lines start the real worker,
beat and clamd (the web unit is run by tests/test_nginx.py)."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from core.beat import lock_key
from tests import clamd as test_clamd
from tests.retention.test_worker import _database_url
from tests.test_nginx import _unit

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALL = "/srv/archive/app"


def test_systemd_finds_nothing_wrong_in_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not on this machine")
    # The units name the install folder; here it is this checkout.
    for unit in UNITS.glob("*.service"):
        text = unit.read_text().replace(INSTALL, str(ROOT))
        (tmp_path / unit.name).write_text(text)
    template = tmp_path / "archive-web@.service"
    (tmp_path / "archive-web@8001.service").symlink_to(template)
    names = sorted(
        str(p) for p in tmp_path.glob("*.service") if p.name != "archive-web@.service"
    )
    result = subprocess.run(
        [analyze, "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # This machine has no `archive` or `clamav` user; production does.
        if line.strip() and "Failed to resolve" not in line
    ]
    assert complaints == [], complaints


def _command(unit: str, **replace: str) -> list[str]:
    [exec_start] = _unit(unit)["ExecStart"]
    for old, new in replace.items():
        exec_start = exec_start.replace(old, new)
    program, *args = shlex.split(exec_start)
    if program.startswith(f"{INSTALL}/.venv/bin/"):
        return [sys.executable, "-m", Path(program).name, *args]
    return [program, *args]


def _until(log: Path, text: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if log.exists() and text in log.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def env():
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
    }


@pytest.mark.django_db(transaction=True)
def test_the_worker_and_beat_units_start_and_one_beat_sends(tmp_path, env):
    beat_lock = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    processes = []
    try:
        worker_log = tmp_path / "worker.log"
        processes.append(
            subprocess.Popen(
                _command("archive-worker.service", **{"%H": "unit-test"}),
                cwd=ROOT,
                env=env,
                stdout=worker_log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        beats = []
        for n in (1, 2):  # beat enabled on two machines
            log = tmp_path / f"beat-{n}.log"
            beats.append(log)
            (tmp_path / f"run-{n}").mkdir()
            processes.append(
                subprocess.Popen(
                    _command(
                        "archive-beat.service",
                        **{"/run/archive-beat": str(tmp_path / f"run-{n}")},
                    ),
                    cwd=ROOT,
                    env=env,
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                )
            )
            # Our scheduler's word on the election (not celery's "beat: Starting").
            assert _until(log, "the schedule", 60), log.read_text()
        assert _until(worker_log, "ready.", 60), worker_log.read_text()
        sending = [log for log in beats if "sending the schedule" in log.read_text()]
        waiting = [log for log in beats if "standing by" in log.read_text()]
        assert len(sending) == 1 and len(waiting) == 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        beat_lock.delete(lock_key())


def test_the_clamd_unit_starts_clamd_with_the_archives_configuration(tmp_path):
    config = (ROOT / "deploy" / "clamd.conf").read_text()
    sock = tmp_path / "clamd.sock"
    config = (
        config.replace("/run/archive-clamd/clamd.sock", str(sock))
        .replace("/var/lib/clamav", str(test_clamd.database(tmp_path / "db")))
        .replace("LocalSocketGroup archive\n", "")
        .replace("LogSyslog yes", f"LogFile {tmp_path / 'clamd.log'}")
    )
    (tmp_path / "clamd.conf").write_text(config)
    clamd = subprocess.Popen(
        _command(
            "archive-clamd.service",
            **{"/etc/archive/clamd.conf": str(tmp_path / "clamd.conf")},
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        end = time.monotonic() + 60
        while not test_clamd.answers(str(sock)) and time.monotonic() < end:
            assert clamd.poll() is None, (tmp_path / "clamd.log").read_text()
            time.sleep(0.3)
        assert test_clamd.answers(str(sock))
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(sock))
            conn.sendall(b"zINSTREAM\0")
            conn.sendall(len(test_clamd.EICAR).to_bytes(4, "big") + test_clamd.EICAR)
            conn.sendall((0).to_bytes(4, "big"))
            assert test_clamd.SIGNATURE.encode() in conn.recv(200)
    finally:
        clamd.terminate()
        clamd.wait(30)
