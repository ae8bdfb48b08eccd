"""A real IMAP server for the mailbox tests: Debian's Dovecot, started on a
free port of 127.0.0.1 with TLS (a certificate made for the test), one user
with a password, and its mail in a folder of the test's own."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.net import free_port

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "archive@example.com", "Mail-pass-2026"


@dataclass
class MailServer:
    host: str
    port: int
    user: str
    password: str
    cafile: str
    folder: Path
    process: subprocess.Popen

    def client(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=self.cafile)
        client = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context)
        client.login(self.user, self.password)
        return client

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Put messages in the mailbox as a mail server would (IMAP APPEND)."""
        client = self.client()
        try:
            for raw in messages:
                typ, data = client.append(folder, "", None, raw)
                assert typ == "OK", data
        finally:
            client.logout()

    def flags(self, folder: str = "INBOX") -> list[bytes]:
        client = self.client()
        try:
            client.select(folder)
            _typ, data = client.fetch("1:*", "(FLAGS)")
            return [d for d in data if d]
        finally:
            client.logout()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def start() -> MailServer:
    if not Path(DOVECOT).exists():
        raise RuntimeError("Dovecot is not installed: run `make deps`.")
    # Dovecot's own processes run as its users: the folder must be theirs to
    # enter (pytest's tmp_path is its owner's alone).
    folder = Path(tempfile.mkdtemp(prefix="archive-dovecot-"))
    folder.chmod(0o755)
    cert, key = _certificate(folder)
    port = free_port()
    if os.getuid() == 0:
        # Dovecot serves no mail as root: the mail belongs to nobody.
        owner, group = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
        internal, login = "dovecot", "dovenull"
    else:
        owner, group = os.getuid(), os.getgid()
        internal = login = pwd.getpwuid(owner).pw_name
    mail = folder / "mail"
    mail.mkdir(exist_ok=True)
    os.chown(mail, owner, group)
    for name in ("run", "state"):
        (folder / name).mkdir(exist_ok=True)
    (folder / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{owner}:{group}\n")
    config = folder / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid={owner} gid={group} home={mail}/%n
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  mailbox Taken {{
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (
                (folder / "dovecot.log").read_text(errors="replace")
                if (folder / "dovecot.log").exists()
                else ""
            )
            error = process.stderr.read().decode(errors="replace")
            raise RuntimeError(f"Dovecot stopped: {error} {log}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("Dovecot did not listen within 20 s")
    return MailServer(
        host="127.0.0.1",
        port=port,
        user=USER,
        password=PASSWORD,
        cafile=str(cert),
        folder=folder,
        process=process,
    )


def remove(server: MailServer) -> None:
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
