"""A real OpenLDAP server (Debian's slapd) for the directory tests, started
on 127.0.0.1 with a directory of its own: people, groups, departments."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.net import free_port

SUFFIX = "dc=example,dc=com"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORD = "Directory-pass-2026"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def person_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def _person(uid: str, name: str, department: str) -> str:
    return f"""dn: {person_dn(uid)}
objectClass: inetOrgPerson
uid: {uid}
cn: {name}
sn: {name[0]}
givenName: {name[1:]}
mail: {uid}@example.com
departmentNumber: {department}
userPassword: {PASSWORD}
"""


def _group(name: str, members: list[str]) -> str:
    # groupOfNames needs a member: the directory's administrator is one of
    # each, so a group can lose its last person.
    lines = [f"dn: {group_dn(name)}", "objectClass: groupOfNames", f"cn: {name}"]
    lines.append(f"member: {ADMIN_DN}")
    lines += [f"member: {person_dn(m)}" for m in members]
    return "\n".join(lines) + "\n"


DIRECTORY = "\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
        "dc: example\no: Example\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
        _person("zhangsan", "张三", "CS1"),
        _person("lisi", "李四", "CS1"),
        _person("wangwu", "王五", "CS2"),
        _group("archive-users", ["zhangsan", "lisi"]),
        _group("cs-staff", ["zhangsan"]),
        _group("archivists", ["lisi"]),
        _group("cs-supervisors", ["lisi"]),
    ]
)


@dataclass
class Directory:
    uri: str
    process: subprocess.Popen

    def modify(self, ldif: str) -> None:
        """Change the directory as its administrator would (ldapmodify)."""
        subprocess.run(
            [
                "ldapmodify",
                "-x",
                "-H",
                self.uri,
                "-D",
                ADMIN_DN,
                "-w",
                ADMIN_PASSWORD,
            ],
            input=ldif,
            text=True,
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def start(folder: Path) -> Directory:
    slapd = shutil.which("slapd") or "/usr/sbin/slapd"
    if not Path(slapd).exists():
        raise RuntimeError("slapd is not installed: run `make deps` (Debian's slapd).")
    data = folder / "data"
    data.mkdir(parents=True)
    config = folder / "slapd.conf"
    config.write_text(
        f"""include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {data}
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""
    )
    (folder / "directory.ldif").write_text(DIRECTORY)
    subprocess.run(
        ["slapadd", "-f", str(config), "-l", str(folder / "directory.ldif")],
        check=True,
        capture_output=True,
    )
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}"
    process = subprocess.Popen(
        [slapd, "-f", str(config), "-h", f"{uri}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "slapd.log").open("w"),
    )
    directory = Directory(uri, process)
    end = time.monotonic() + 30
    while time.monotonic() < end:
        probe = subprocess.run(
            ["ldapsearch", "-x", "-H", uri, "-b", SUFFIX, "-s", "base", "dn"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return directory
        if process.poll() is not None:
            break
        time.sleep(0.2)
    directory.stop()
    raise RuntimeError((folder / "slapd.log").read_text())
