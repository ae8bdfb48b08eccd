"""The deployment, run (issue 21, item 1): real nginx with the site in
``deploy/nginx/`` in front of two gunicorn instances started as the systemd
unit ``deploy/systemd/archive-web@.service`` starts them, sharing one
database, one Redis and one file store.

A person logs in through nginx over HTTPS from 127.0.0.2, files a recording
through one instance and takes it out through the other; the bytes come from
nginx (X-Accel-Redirect after the permission check), Range requests work,
the internal file paths cannot be asked for from outside, and the audit log
holds the person's own address, not the proxy's.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.files.storage import storages
from requests.adapters import HTTPAdapter

from archives.models import ArchiveRecord
from archives.models import RecordFile
from audit.models import AuditEntry
from tests import samples
from tests.factories import subcode
from tests.net import free_port
from tests.retention.test_worker import _database_url
from tests.test_faults import _wait

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PASSWORD = "Archive-pass-2026"
CLIENT = "127.0.0.2"  # the person's machine; nginx is on 127.0.0.1

pytestmark = pytest.mark.usefixtures("reference_data")


def _unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's [Service] lines, as systemd reads them."""
    values: dict[str, list[str]] = {}
    section = ""
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def _web_instance(port: int, tmp: Path, env: dict) -> subprocess.Popen:
    """gunicorn started with the unit's own ExecStart and Environment."""
    unit = _unit("archive-web@.service")
    unit_env = {}
    for line in unit["Environment"]:
        key, _, value = line.replace("%i", str(port)).partition("=")
        unit_env[key] = value
    # The unit's runtime folder (systemd makes it) is a folder of the test's.
    metrics = tmp / f"prometheus-{port}"
    metrics.mkdir()
    unit_env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
    [exec_start] = unit["ExecStart"]
    program, *args = shlex.split(exec_start)
    assert program == "/srv/archive/app/.venv/bin/gunicorn"
    assert unit["WorkingDirectory"] == ["/srv/archive/app"]
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *args],
        cwd=ROOT,  # the unit's WorkingDirectory
        env={**env, **unit_env},
        stdout=(tmp / f"web-{port}.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def _certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "1", "-subj", "/CN=archive.test",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def _nginx(tmp: Path, https: int, http: int, upstreams: list[int], static: str):
    cert, key = _certificate(tmp)
    site = subprocess.run(
        [
            sys.executable,
            str(DEPLOY / "render.py"),
            str(DEPLOY / "nginx" / "archive.conf.in"),
            "SERVER_NAME=127.0.0.1",
            f"HTTPS_LISTEN=127.0.0.1:{https}",
            f"HTTP_LISTEN=127.0.0.1:{http}",
            f"TLS_CERT={cert}",
            f"TLS_KEY={key}",
            "UPSTREAMS=" + ",".join(f"127.0.0.1:{p}" for p in upstreams),
            f"STATIC_ROOT={static}",
            f"STORE_ROOT={storages['default'].location}",
            f"BACKUP_ROOT={storages['backup'].location}",
            f"EXPORTS_ROOT={storages['exports'].location}",
            "INTERNAL_NETWORKS=127.0.0.1",
            f"PROXY_PARAMS={DEPLOY / 'nginx' / 'proxy_params.conf'}",
            f"LOG_DIR={tmp}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (tmp / "site.conf").write_text(site)
    # The machine's own nginx.conf, reduced to what a test may write to.
    (tmp / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is not installed: run `make deps` (Debian's nginx).")
    test = subprocess.run(
        [nginx, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr
    return subprocess.Popen(
        [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
        stdout=(tmp / "nginx.out").open("w"),
        stderr=subprocess.STDOUT,
    )


class FromClient(HTTPAdapter):
    """Connections leave from the person's own address, 127.0.0.2."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT, 0)
        super().init_poolmanager(*args, **kwargs)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


@pytest.fixture
def site(tmp_path):
    ports = [free_port(), free_port()]
    https, http = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "ARCHIVE_TRUSTED_PROXIES": "127.0.0.1",
        "ARCHIVE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        "ARCHIVE_X_ACCEL_REDIRECT": "/_files/",
        "GUNICORN_WORKERS": "1",
        # Each access line in the log file as it happens (the test reads it).
        "PYTHONUNBUFFERED": "1",
    }
    static = settings.STATIC_ROOT
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert collected.returncode == 0, collected.stderr
    webs = [_web_instance(port, tmp_path, env) for port in ports]
    proxy = _nginx(tmp_path, https, http, ports, str(static))
    for port in ports:
        _wait(lambda p=port: _answers(f"http://127.0.0.1:{p}/healthz/"), 60, "gunicorn")
    base = f"https://127.0.0.1:{https}"
    session = requests.Session()
    session.mount("https://", FromClient())
    session.mount("http://", FromClient())
    session.verify = str(tmp_path / "cert.pem")
    session.trust_env = False  # REQUESTS_CA_BUNDLE would win over verify
    _wait(lambda: _answers_tls(session, base), 30, "nginx")
    yield {
        "base": base,
        "http": f"http://127.0.0.1:{http}",
        "ports": ports,
        "webs": webs,
        "session": session,
        "tmp": tmp_path,
    }
    proxy.terminate()
    proxy.wait(30)
    for web in webs:
        if web.poll() is None:
            web.terminate()
            web.wait(30)


def _answers_tls(session, base) -> bool:
    try:
        return session.get(f"{base}/healthz/", timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def _served_by(tmp: Path, port: int, path: str, *, wait: float = 5) -> int:
    """How many of ``path``'s requests this instance's access log holds
    (gunicorn writes the line just after the answer: wait for it a little)."""
    log = tmp / f"web-{port}.log"
    end = time.monotonic() + wait
    while True:
        count = log.read_text().count(path)
        if count or time.monotonic() > end:
            return count
        time.sleep(0.1)


def test_behind_nginx_two_instances_share_the_work_and_files_leave_through_nginx(
    site, world
):
    base, session, tmp = site["base"], site["session"], site["tmp"]

    # Plain HTTP sends to HTTPS; static files come from collectstatic.
    plain = requests.get(
        f"{site['http']}/accounts/login/", allow_redirects=False, timeout=15
    )
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    page = session.get(f"{base}/accounts/login/", timeout=15)
    css = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    asset = session.get(f"{base}{css}", timeout=15)
    assert asset.status_code == 200 and "immutable" in asset.headers["Cache-Control"]

    # Log in through nginx.
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    login = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": _token(page.text),
            "username": world.archivist.username,
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=15,
    )
    assert login.status_code == 302, login.text[:1000]

    # File a call recording with its file.
    form_url = f"{base}/records/new/GT/"
    recording = samples.wav(seconds=3)
    filed = session.post(
        form_url,
        data={
            "csrfmiddlewaretoken": _token(session.get(form_url, timeout=15).text),
            "title": "经 nginx 归档的来电录音",
            "subcode_channel": subcode("GT", "channel", "DH").pk,
            "customer": world.own.customer_id,
            "date_formed": "2024-03-01",
            "source_department": world.cs1.pk,
            "responsible_person": world.archivist.pk,
            "carrier": "electronic",
            "page_count": "1",
            "confidentiality": "internal",
        },
        files={"files": ("来电录音.wav", recording, "audio/wav")},
        headers={"Referer": form_url},
        allow_redirects=False,
        timeout=30,
    )
    assert filed.status_code == 302, filed.text[:2000]
    record = ArchiveRecord.objects.get(title="经 nginx 归档的来电录音")
    stored = RecordFile.objects.get(record=record)

    # The instance that took the upload stops (a restart, a failed machine):
    # the other one serves the file from the shared store.
    [first] = [
        p for p in site["ports"] if _served_by(tmp, p, "POST /records/new/GT/", wait=1)
    ]
    other = next(p for p in site["ports"] if p != first)
    site["webs"][site["ports"].index(first)].terminate()
    site["webs"][site["ports"].index(first)].wait(30)
    download = f"/files/{stored.pk}/download/"
    got = session.get(f"{base}{download}", timeout=30)
    assert got.status_code == 200, got.text[:1000]
    assert got.content == recording
    assert "attachment" in got.headers["Content-Disposition"]
    assert _served_by(tmp, other, download) == 1

    # The audit log holds the person's own address, not the proxy's: the
    # login, the filing and the download.
    entries = AuditEntry.objects.filter(pk__gt=before or 0)
    assert {"login", "file_downloaded"} <= set(entries.values_list("action", flat=True))
    assert set(entries.values_list("ip", flat=True)) == {CLIENT}

    # The application only said where the file is; nginx sent the bytes.
    direct = requests.get(
        f"http://127.0.0.1:{other}{download}",
        cookies=session.cookies.get_dict(),
        timeout=15,
    )
    assert direct.headers["X-Accel-Redirect"].startswith("/_files/default/")
    assert direct.content == b""

    # A recording is sought: nginx answers the Range request itself.
    part = session.get(
        f"{base}/files/{stored.pk}/stream/",
        headers={"Range": "bytes=100-199"},
        timeout=15,
    )
    assert part.status_code == 206
    assert part.content == recording[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(recording)}"

    # The store's internal paths cannot be asked for from outside.
    name = direct.headers["X-Accel-Redirect"]
    assert session.get(f"{base}{name}", timeout=15).status_code == 404
    # Readiness names internal parts: not for the person's machine.
    assert session.get(f"{base}/readyz/", timeout=15).status_code == 403
