"""A virus scan by ClamAV's daemon, ``clamd``, over its INSTREAM command.

clamd listens on a Unix socket (``ARCHIVE_CLAMD_SOCKET``) or on TCP
(``ARCHIVE_CLAMD_TCP``, ``host:port``). The file is sent in chunks; clamd
answers ``stream: OK`` or ``stream: <signature> FOUND``. The protocol is
small and stable, so it is spoken here rather than through the ``clamd``
package of PyPI, unmaintained since 2014.

A scan that cannot be made (no daemon configured, the daemon down, a time-out)
raises ``ScanUnavailable``: the caller keeps the file as "scan pending", never
as clean.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK = 64 * 1024


class ScanUnavailable(Exception):
    """clamd could not be asked."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def configured() -> bool:
    return bool(settings.ARCHIVE_CLAMD_SOCKET or settings.ARCHIVE_CLAMD_TCP)


def _connect() -> socket.socket:
    timeout = settings.ARCHIVE_CLAMD_TIMEOUT
    try:
        if settings.ARCHIVE_CLAMD_SOCKET:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(settings.ARCHIVE_CLAMD_SOCKET)
            return sock
        if settings.ARCHIVE_CLAMD_TCP:
            host, _sep, port = settings.ARCHIVE_CLAMD_TCP.rpartition(":")
            return socket.create_connection((host, int(port)), timeout=timeout)
    except (OSError, ValueError) as error:
        raise ScanUnavailable(str(error)) from error
    raise ScanUnavailable("no clamd configured (ARCHIVE_CLAMD_SOCKET)")


def _answer(sock: socket.socket) -> str:
    parts = []
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        parts.append(chunk)
        if chunk.endswith(b"\0"):
            break
    return b"".join(parts).rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(fileobj) -> ScanResult:
    """Scan a file object from its start (left at its start again)."""
    sock = _connect()
    try:
        fileobj.seek(0)
        sock.sendall(b"zINSTREAM\0")
        for chunk in iter(lambda: fileobj.read(CHUNK), b""):
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        answer = _answer(sock)
    except OSError as error:
        raise ScanUnavailable(str(error)) from error
    finally:
        sock.close()
        fileobj.seek(0)
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", "… ERROR".
    verdict = answer.partition(": ")[2] or answer
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict[: -len(" FOUND")])
    raise ScanUnavailable(f"clamd answered {answer!r}")


def version() -> str:
    """The engine and signature versions, e.g. ``ClamAV 1.4.6/27000/…``."""
    sock = _connect()
    try:
        sock.sendall(b"zVERSION\0")
        return _answer(sock)
    except OSError as error:
        raise ScanUnavailable(str(error)) from error
    finally:
        sock.close()
