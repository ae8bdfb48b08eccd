"""A real clamd for the tests, with a signature database of its own.

No signature download is possible on these machines, so the database holds
one signature made by ``sigtool --md5`` from the EICAR test file: clamd then
finds the EICAR string as it would find it with the official signatures.
Each test process (each xdist worker) starts its own daemon on the socket
its settings name, and stops it at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

# The EICAR anti-virus test file: harmless, and found by every scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"


def answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


def database(folder: Path) -> Path:
    """A signature folder that finds EICAR (made with sigtool, as in production
    one would point clamd at freshclam's folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "eicar.com"
    sample.write_bytes(EICAR)
    md5 = subprocess.run(
        ["sigtool", "--md5", str(sample)], capture_output=True, text=True, check=True
    ).stdout.strip()
    sample.unlink()
    digest, size, _name = md5.split(":", 2)
    (folder / "test.hdb").write_text(f"{digest}:{size}:{SIGNATURE}\n")
    return folder


def start(socket_path: str) -> subprocess.Popen | None:
    """Start clamd on ``socket_path`` (None if one answers there already)."""
    if answers(socket_path):
        return None
    clamd = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(clamd).exists():
        raise RuntimeError("clamd is not installed: run `make deps` (clamav-daemon).")
    folder = Path(socket_path).with_suffix("")
    db = database(folder / "db")
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket_path}\n"
        f"DatabaseDirectory {db}\n"
        "Foreground yes\n"
        f"LogFile {folder / 'clamd.log'}\n"
        "StreamMaxLength 200M\n"
        "MaxFileSize 200M\n"
        "MaxScanSize 400M\n"
    )
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    process = subprocess.Popen(
        [clamd, "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if answers(socket_path):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
    raise RuntimeError(f"clamd did not start on {socket_path}:\n{log[-2000:]}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
