"""Database backups as a policy (issue 21, item 3).

A backup is a dump of the whole database (``pg_dump --format=custom``; on
SQLite a copy made with its online backup API) and a manifest beside it: when
it was made, whether beat made it on schedule, its SHA-256, and the row counts
of the archive's tables read in the same snapshot as the dump. Both go to the
backup store (``storages["backup"]``, the second location, under
``database/``), so every server can reach them and an S3 bucket can hold them.

- Beat makes one every day (``database-backup``) and removes those older than
  ``ARCHIVE_DB_BACKUP_KEEP_DAYS``, always keeping the newest
  ``ARCHIVE_DB_BACKUP_KEEP_LAST``.
- The quarterly check restores the latest *scheduled* backup into a scratch
  database and compares its counts with the manifest and the files the
  restored catalogue names with the backup store's copies (``backup_prove``).
- ``manage.py archive_backup`` and ``manage.py archive_restore`` (the
  database, then every filed file whose copy in the archive store is missing
  or damaged, from the backup store, each proved by its SHA-256).

Files of drafts not yet accepted are in the archive store only: they are
copied to the backup store when the record is accepted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db import connections
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import CustodyEvent
from archives.models import Customer
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.services.files import sha256_of_file
from core.errors import ArchiveError
from retention import hooks
from retention.models import Appraisal
from retention.models import Incident
from retention.services.files import sha256_of

PREFIX = "database/"
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


@dataclass(frozen=True)
class DatabaseBackup:
    name: str
    made_at: datetime
    vendor: str
    scheduled: bool
    sha256: str
    size: int
    counts: dict[str, int]

    @property
    def manifest_name(self) -> str:
        return f"{self.name}.json"


def tables() -> list[str]:
    return [model._meta.db_table for model in [*COUNTED, *hooks.COUNTED_MODELS]]


def count_rows(cursor, names: list[str]) -> dict[str, int]:
    counts = {}
    for table in names:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - model tables
        counts[table] = cursor.fetchone()[0]
    return counts


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_of_file(handle)


# PostgreSQL: the client programs, with the connection's own settings.


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


def _pg_params(db: dict, name: str | None = None) -> dict:
    return {
        "dbname": name or db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }


def _run(args: list[str], db: dict) -> None:
    subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
        args, check=True, capture_output=True, env=_pg_env(db)
    )


def _pg_dump(target: Path) -> dict[str, int]:
    """Dump into ``target``; the counts are read in the dump's own snapshot,
    so writes while it runs cannot make the two disagree."""
    import psycopg2

    db = connection.settings_dict
    with closing(psycopg2.connect(**_pg_params(db))) as snap:
        snap.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with snap.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(cursor, tables())
            _run(
                [
                    _program("pg_dump"),
                    *_pg_args(db),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    db["NAME"],
                ],
                db,
            )
        snap.rollback()
    return counts


def _pg_restore(dump: Path, name: str, *, clean: bool) -> None:
    db = connection.settings_dict
    _run(
        [
            _program("pg_restore"),
            *_pg_args(db),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *(["--clean", "--if-exists"] if clean else []),
            f"--dbname={name}",
            str(dump),
        ],
        db,
    )


@contextmanager
def _pg_scratch(dump: Path) -> Iterator:
    """A cursor on a scratch database restored from ``dump``, dropped after."""
    import psycopg2

    db = connection.settings_dict
    scratch = f"{db['NAME']}_restore_check_{uuid.uuid4().hex[:8]}"
    _run([_program("createdb"), *_pg_args(db), "--template=template0", scratch], db)
    try:
        _pg_restore(dump, scratch, clean=False)
        with (
            closing(psycopg2.connect(**_pg_params(db, scratch))) as restored,
            restored.cursor() as cursor,
        ):
            yield cursor
    finally:
        subprocess.run(  # noqa: S603
            [_program("dropdb"), *_pg_args(db), "--if-exists", scratch],
            check=False,
            capture_output=True,
            env=_pg_env(db),
        )


# SQLite: the online backup API.


def _sqlite_dump(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # One consistent state of the database, counted in the copy itself.
        connection.connection.backup(copy)
        return count_rows(copy.cursor(), tables())


@contextmanager
def _sqlite_scratch(dump: Path) -> Iterator:
    with closing(sqlite3.connect(":memory:")) as restored:
        with closing(sqlite3.connect(dump)) as source:
            source.backup(restored)
        yield restored.cursor()


def _sqlite_restore(dump: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(dump)) as source:
        source.backup(connection.connection)


# Backups in the backup store.


def _vendor() -> str:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(connection.vendor)
    return connection.vendor


def backup_make(*, scheduled: bool = False) -> DatabaseBackup:
    """Dump the database and keep the dump and its manifest in the backup store."""
    vendor = _vendor()
    made_at = timezone.now()
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    with tempfile.TemporaryDirectory(prefix="archive-backup-") as folder:
        local = Path(folder) / f"archive.{suffix}"
        counts = _pg_dump(local) if vendor == "postgresql" else _sqlite_dump(local)
        store = storages["backup"]
        stamp = f"{timezone.localtime(made_at):%Y%m%d-%H%M%S}"
        with local.open("rb") as handle:
            name = store.save(f"{PREFIX}archive-{stamp}.{suffix}", File(handle))
        backup = DatabaseBackup(
            name=name,
            made_at=made_at,
            vendor=vendor,
            scheduled=scheduled,
            sha256=_digest(local),
            size=local.stat().st_size,
            counts=counts,
        )
    manifest = {
        "name": backup.name,
        "made_at": made_at.isoformat(),
        "vendor": vendor,
        "scheduled": scheduled,
        "sha256": backup.sha256,
        "size": backup.size,
        "counts": counts,
    }
    store.save(backup.manifest_name, ContentFile(json.dumps(manifest, indent=1)))
    return backup


def _read(store, manifest_name: str) -> DatabaseBackup | None:
    try:
        with store.open(manifest_name, "rb") as handle:
            data = json.loads(handle.read())
        return DatabaseBackup(
            name=data["name"],
            made_at=datetime.fromisoformat(data["made_at"]),
            vendor=data["vendor"],
            scheduled=bool(data["scheduled"]),
            sha256=data["sha256"],
            size=int(data["size"]),
            counts={k: int(v) for k, v in data["counts"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a half-written or foreign file: not a backup


def _manifests() -> list[str]:
    """The manifests' names, newest first (a name holds its time)."""
    try:
        _folders, files = storages["backup"].listdir(PREFIX)
    except FileNotFoundError:
        return []
    return sorted((PREFIX + f for f in files if f.endswith(".json")), reverse=True)


def backups_list() -> list[DatabaseBackup]:
    """Every backup in the backup store, newest first."""
    store = storages["backup"]
    found = [_read(store, name) for name in _manifests()]
    return sorted(
        (b for b in found if b is not None), key=lambda b: b.made_at, reverse=True
    )


def backup_latest(*, scheduled: bool | None = None) -> DatabaseBackup | None:
    """The newest backup (of that kind), reading manifests only until it is
    found: the daily check and every metrics scrape ask."""
    store = storages["backup"]
    for name in _manifests():
        backup = _read(store, name)
        if backup is not None and scheduled in (None, backup.scheduled):
            return backup
    return None


def scheduled_backup_late() -> tuple[DatabaseBackup | None, bool]:
    """The latest scheduled backup, and whether the nightly backup has
    stopped (none, or none for ARCHIVE_DB_BACKUP_MAX_AGE_HOURS)."""
    latest = backup_latest(scheduled=True)
    if latest is None:
        return None, True
    limit = timedelta(hours=settings.ARCHIVE_DB_BACKUP_MAX_AGE_HOURS)
    return latest, timezone.now() - latest.made_at > limit


def stale_params(backup: DatabaseBackup) -> dict[str, str]:
    """The values of the ``db_backup_stale`` finding."""
    return {
        "file": backup.name,
        "when": f"{timezone.localtime(backup.made_at):%Y-%m-%d %H:%M}",
    }


def backup_named(name: str) -> DatabaseBackup:
    for backup in backups_list():
        if name in (backup.name, backup.name.removeprefix(PREFIX)):
            return backup
    raise ArchiveError(
        _("There is no database backup named %(name)s.") % {"name": name}
    )


def backups_prune(now: datetime | None = None) -> list[str]:
    """Remove the backups older than the retention setting; the newest
    ``ARCHIVE_DB_BACKUP_KEEP_LAST`` stay whatever their age."""
    now = now or timezone.now()
    oldest = now - timedelta(days=settings.ARCHIVE_DB_BACKUP_KEEP_DAYS)
    store = storages["backup"]
    removed = []
    for backup in backups_list()[settings.ARCHIVE_DB_BACKUP_KEEP_LAST :]:
        if backup.made_at < oldest:
            for name in (backup.name, backup.manifest_name):
                if store.exists(name):
                    store.delete(name)
            removed.append(backup.name)
    return removed


@contextmanager
def _fetched(backup: DatabaseBackup) -> Iterator[Path]:
    """The dump as a local file, proved against its manifest's SHA-256."""
    if backup.vendor != _vendor():
        raise ArchiveError(
            _("Backup %(name)s is of a %(vendor)s database; this one is %(this)s.")
            % {"name": backup.name, "vendor": backup.vendor, "this": _vendor()}
        )
    with tempfile.TemporaryDirectory(prefix="archive-restore-") as folder:
        local = Path(folder) / Path(backup.name).name
        with (
            storages["backup"].open(backup.name, "rb") as source,
            local.open("wb") as out,
        ):
            shutil.copyfileobj(source, out, 1024 * 1024)
        if _digest(local) != backup.sha256:
            raise ArchiveError(
                _("Backup %(name)s is damaged: its SHA-256 differs from its manifest.")
                % {"name": backup.name}
            )
        yield local


def _filed_rows(cursor) -> list[tuple[str, str]]:
    """The (file, SHA-256) of every live file of an accepted record, and of
    their long-term copies, as the given database has them."""
    files = RecordFile._meta.db_table
    records = ArchiveRecord._meta.db_table
    copies = PreservationCopy._meta.db_table
    cursor.execute(
        f'SELECT f."file", f."sha256" FROM "{files}" f '  # noqa: S608 - model tables
        f'JOIN "{records}" r ON r."id" = f."record_id" '
        f'WHERE f."erased_at" IS NULL AND r."number" IS NOT NULL'
    )
    rows = list(cursor.fetchall())
    cursor.execute(
        f'SELECT c."file", c."sha256" FROM "{copies}" c '  # noqa: S608
        f'JOIN "{files}" f ON f."id" = c."source_id" '
        f'JOIN "{records}" r ON r."id" = f."record_id" '
        f'WHERE c."file" <> \'\' AND f."erased_at" IS NULL '
        f'AND r."number" IS NOT NULL'
    )
    return rows + list(cursor.fetchall())


@dataclass(frozen=True)
class Proof:
    backup: DatabaseBackup
    restored: dict[str, int]
    files_checked: int
    files_bad: list[str]

    @property
    def counts_match(self) -> bool:
        return self.restored == self.backup.counts


def backup_prove(backup: DatabaseBackup) -> Proof:
    """Restore ``backup`` into a scratch database; count its rows and check
    that the backup store holds every file it names, by SHA-256."""
    with _fetched(backup) as dump:
        scratch = _pg_scratch if backup.vendor == "postgresql" else _sqlite_scratch
        with scratch(dump) as cursor:
            restored = count_rows(cursor, list(backup.counts))
            rows = _filed_rows(cursor)
    store = storages["backup"]
    bad = [name for name, sha in rows if sha256_of(store, name) != sha]
    return Proof(
        backup=backup, restored=restored, files_checked=len(rows), files_bad=bad
    )


def database_restore(backup: DatabaseBackup) -> dict[str, int]:
    """Put ``backup`` in place of the live database; the counts after."""
    with _fetched(backup) as dump:
        for other in connections.all():
            other.close()
        if backup.vendor == "postgresql":
            _pg_restore(dump, connection.settings_dict["NAME"], clean=True)
        else:
            _sqlite_restore(dump)
    with connection.cursor() as cursor:
        return count_rows(cursor, list(backup.counts))


def files_restore() -> tuple[int, int, list[str]]:
    """Every filed file the catalogue names, back in the archive store from
    the backup store where it is missing or damaged, proved by SHA-256.
    Returns (files in place, files restored, files that could not be)."""
    store, backup = storages["default"], storages["backup"]
    with connection.cursor() as cursor:
        rows = _filed_rows(cursor)
    in_place = restored = 0
    lost = []
    for name, sha in rows:
        if sha256_of(store, name) == sha:
            in_place += 1
            continue
        if sha256_of(backup, name) != sha:
            lost.append(name)
            continue
        if store.exists(name):
            store.delete(name)  # the damaged one
        with backup.open(name, "rb") as source:
            saved = store.save(name, source)
        if saved != name or sha256_of(store, name) != sha:
            lost.append(name)
            continue
        restored += 1
    return in_place, restored, lost
