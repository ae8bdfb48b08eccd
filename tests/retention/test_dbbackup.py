"""Backups as a policy (issue 21, item 3): a backup is made, the database and
the archive store are wiped, and ``archive_restore`` brings every record and
every file back; the quarterly check proves the latest *scheduled* backup;
backups past the retention setting go; a damaged backup is refused."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from archives.models import ArchiveRecord
from archives.models import RecordFile
from retention.services import dbbackup
from retention.services.files import sha256_of
from retention.tasks import database_backup
from tests import stores
from tests.retention.conftest import file_electronic
from tests.retention.test_checks import codes
from tests.retention.test_checks import run

# pg_dump and pg_restore read and write through connections of their own.
pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def _no_backups_before():
    """Each test starts with no database backup in the backup store."""
    stores.empty(storages["backup"], "database")
    yield
    stores.empty(storages["backup"], "database")


def _wipe_database() -> None:
    """Everything gone, as after losing the database server's disk."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f'DROP TABLE "{table}"')


def test_backup_wipe_restore_finds_every_record_and_file(world, capsys):
    records = [file_electronic(world, title=f"备份演练 {n}") for n in range(1, 4)]
    files = {
        f.file.name: f.sha256 for f in RecordFile.objects.filter(record__in=records)
    }
    total = ArchiveRecord.objects.count()

    call_command("archive_backup")
    made = capsys.readouterr().out
    assert "database/archive-" in made and "archives_archiverecord" in made

    _wipe_database()
    stores.empty(storages["default"])
    assert stores.names(storages["default"]) == []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "archives_archiverecord" not in tables

    with pytest.raises(CommandError, match="add --yes"):
        call_command("archive_restore", "--latest")
    call_command("archive_restore", "--latest", "--yes")
    said = capsys.readouterr().out
    assert f"files: 0 in place, {len(files)} brought back" in said

    assert ArchiveRecord.objects.count() == total
    assert set(
        ArchiveRecord.objects.filter(title__startswith="备份演练").values_list(
            "number", flat=True
        )
    ) == {r.number for r in records}
    for name, sha in files.items():
        assert sha256_of(storages["default"], name) == sha
    # The restored catalogue works: the record opens with its file.
    restored = RecordFile.objects.get(file=next(iter(files)))
    with restored.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_quarterly_check_proves_the_latest_scheduled_backup(world, electronic):
    report = run("backup", actor=world.archivist)
    assert codes(report) == ["db_backup_none"]

    call_command("archive_backup")  # by hand: not what the check proves
    database_backup.delay()  # beat's nightly entry
    scheduled = dbbackup.backup_latest(scheduled=True)
    assert scheduled is not None
    file_electronic(world, title="备份之后归档")  # the live database moves on

    report = run("backup", actor=world.archivist)
    assert codes(report) == ["db_backup_ok"]
    proof = report.findings.get(code="db_backup_ok")
    assert proof.params["file"] == scheduled.name
    assert proof.params["files"] == 1  # the one file filed before the backup
    assert report.summary["database_backup"] == scheduled.name

    # A file copy the backup names is damaged in the backup store.
    name = electronic.files.get().file.name
    storages["backup"].delete(name)
    storages["backup"].save(name, ContentFile(b"not the original"))
    report = run("backup", actor=world.archivist)
    assert "db_backup_files_bad" in codes(report)
    assert "backup_mismatch" in codes(report)


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(world, electronic):
    backup = dbbackup.backup_make()
    store = storages["backup"]
    with store.open(backup.name, "rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 2] ^= 0xFF
    store.delete(backup.name)
    store.save(backup.name, ContentFile(bytes(data)))
    with pytest.raises(CommandError, match="damaged"):
        call_command("archive_restore", Path(backup.name).name, "--yes")
    assert ArchiveRecord.objects.filter(pk=electronic.pk).exists()
    with pytest.raises(CommandError, match="no database backup named"):
        call_command("archive_restore", "archive-19990101-000000.dump", "--yes")


def test_backups_past_the_retention_setting_go_the_newest_stay(settings):
    settings.ARCHIVE_DB_BACKUP_KEEP_DAYS = 14
    settings.ARCHIVE_DB_BACKUP_KEEP_LAST = 2
    made = [dbbackup.backup_make(scheduled=True) for _ in range(4)]
    assert dbbackup.backups_prune() == []  # all younger than 14 days
    later = timezone.now() + datetime.timedelta(days=15)
    removed = dbbackup.backups_prune(now=later)
    assert sorted(removed) == sorted(b.name for b in made[:2])
    assert [b.name for b in dbbackup.backups_list()] == [
        b.name for b in reversed(made[2:])
    ]
    assert not storages["backup"].exists(made[0].name)


def test_the_daily_check_warns_when_the_nightly_backup_stops(world, settings):
    report = run("daily")
    assert "db_backup_none" in codes(report)
    settings.ARCHIVE_DB_BACKUP_MAX_AGE_HOURS = 0
    dbbackup.backup_make(scheduled=True)
    report = run("daily")
    assert "db_backup_stale" in codes(report)
