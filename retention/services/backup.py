"""The quarterly backup check (SPEC §10).

1. Every live electronic file has its copy in the backup store, and that copy
   has the SHA-256 taken at ingest.
2. A database backup is made and proved: restored into a scratch database
   whose row counts must equal the live database's at the moment of the dump.
   On PostgreSQL the counts and ``pg_dump`` share one exported snapshot, so
   writes during the check cannot make a false alarm; the scratch database is
   dropped afterwards and the dump is kept in ``ARCHIVE_DB_BACKUP_DIR``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import CustodyEvent
from archives.models import Customer
from archives.models import RecordFile
from retention import hooks
from retention.models import Appraisal
from retention.models import Finding
from retention.models import Incident
from retention.services.files import file_label
from retention.services.files import filed_file_count
from retention.services.files import filed_files
from retention.services.files import sha256_of

COUNTED: list[type[Model]] = [
    ArchiveRecord,
    RecordFile,
    Customer,
    Box,
    CustodyEvent,
    Incident,
    Appraisal,
    User,
]


def _tables() -> list[str]:
    return [model._meta.db_table for model in [*COUNTED, *hooks.COUNTED_MODELS]]


def _count(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - model tables
        counts[table] = cursor.fetchone()[0]
    return counts


def _check_copies(writer, progress) -> int:
    backup = storages["backup"]
    checked = 0
    for chunk in filed_files():
        for row in chunk:
            params = {"number": row.number, "file": file_label(row.name)}
            actual = sha256_of(backup, row.name)
            if actual is None:
                writer.add("backup_missing", params, record_id=row.record_id)
            elif actual != row.sha256:
                writer.add(
                    "backup_mismatch",
                    {**params, "actual": actual[:12]},
                    record_id=row.record_id,
                )
        checked += len(chunk)
        progress.advance(len(chunk))
    return checked


def _target(suffix: str) -> Path:
    folder = Path(settings.ARCHIVE_DB_BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"archive-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"


def _sqlite_backup(tables: list[str]) -> tuple[Path, dict, dict]:
    connection.ensure_connection()
    target = _target("sqlite3")
    with closing(sqlite3.connect(target)) as copy:
        # The online backup API copies one consistent state of the database.
        connection.connection.backup(copy)
    with connection.cursor() as cursor:
        live = _count(cursor, tables)
    scratch = target.with_suffix(".restore-check")
    try:
        with (
            closing(sqlite3.connect(target)) as source,
            closing(sqlite3.connect(scratch)) as restored,
        ):
            source.backup(restored)
            restored_counts = _count(restored.cursor(), tables)
    finally:
        scratch.unlink(missing_ok=True)
    return target, live, restored_counts


def _program(name: str) -> str:
    """The full path of a PostgreSQL client program (``ARCHIVE_PG_BIN_DIR`` first)."""
    found = shutil.which(name, path=settings.ARCHIVE_PG_BIN_DIR or None)
    if found is None:
        raise OSError(f"{name} not found; install the PostgreSQL client programs")
    return found


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return args


def _pg_backup(tables: list[str]) -> tuple[Path, dict, dict]:
    import psycopg2

    db = connection.settings_dict
    target = _target("dump")
    base = _pg_args(db)
    env = _pg_env(db)
    params = {
        "dbname": db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with closing(psycopg2.connect(**params)) as snap:
        snap.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with snap.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            live = _count(cursor, tables)
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    _program("pg_dump"),
                    *base,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    db["NAME"],
                ],
                check=True,
                capture_output=True,
                env=env,
            )
        snap.rollback()
    scratch = f"{db['NAME']}_restore_check_{uuid.uuid4().hex[:8]}"
    subprocess.run(  # noqa: S603
        [_program("createdb"), *base, "--template=template0", scratch],
        check=True,
        capture_output=True,
        env=env,
    )
    try:
        subprocess.run(  # noqa: S603
            [
                _program("pg_restore"),
                *base,
                "--no-owner",
                "--exit-on-error",
                f"--dbname={scratch}",
                str(target),
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        with (
            closing(psycopg2.connect(**{**params, "dbname": scratch})) as restored,
            restored.cursor() as cursor,
        ):
            restored_counts = _count(cursor, tables)
    finally:
        subprocess.run(  # noqa: S603
            [_program("dropdb"), *base, "--if-exists", scratch],
            check=False,
            capture_output=True,
            env=env,
        )
    return target, live, restored_counts


def database_backup_prove() -> tuple[Path, dict[str, int], dict[str, int]]:
    """Make a database backup, restore it into a scratch database, count both."""
    tables = _tables()
    if connection.vendor == "postgresql":
        return _pg_backup(tables)
    if connection.vendor == "sqlite":
        return _sqlite_backup(tables)
    raise NotImplementedError(connection.vendor)


def _check_database(writer) -> dict:
    try:
        target, live, restored = database_backup_prove()
    except (OSError, subprocess.CalledProcessError, sqlite3.Error) as error:
        detail = getattr(error, "stderr", b"") or b""
        message = detail.decode(errors="replace").strip() or str(error)
        writer.add("db_backup_failed", {"error": message[:500]})
        return {"database_backup": None}
    counts = "；".join(f"{t} {live[t]}" for t in live)
    if live == restored:
        writer.add(
            "db_backup_ok",
            {"file": target.name, "counts": counts},
            severity=Finding.Severity.INFO,
        )
    else:
        differ = "；".join(
            f"{t} {live[t]}→{restored.get(t)}"
            for t in live
            if live[t] != restored.get(t)
        )
        writer.add("db_backup_mismatch", {"file": target.name, "counts": differ})
    return {"database_backup": target.name, "database_counts": live}


def run(check, writer, progress) -> dict:
    """Check every backup copy, then make and prove a database backup."""
    progress.total(filed_file_count() + 1)
    checked = _check_copies(writer, progress)
    summary = {"files_checked": checked, **_check_database(writer)}
    progress.advance(1)
    return summary
