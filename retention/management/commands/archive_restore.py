"""Restore the database and the archive store: ``manage.py archive_restore
--latest --yes`` (or a backup's name from ``archive_backup --list``).

The database is replaced by the backup, then every filed file the restored
catalogue names that is missing or damaged in the archive store is copied
back from the backup store, each proved by its SHA-256. Stop the web
servers, the workers and beat first.
"""

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from core.errors import ArchiveError
from retention.services import dbbackup


class Command(BaseCommand):
    help = "Replace the database with a backup and bring back the archive files."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "name", nargs="?", help="a backup from archive_backup --list"
        )
        which.add_argument("--latest", action="store_true", help="the newest backup")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="really replace this database (everything since the backup is lost)",
        )

    def handle(self, *args, name: str | None, latest: bool, yes: bool, **options):
        try:
            backup = dbbackup.backup_latest() if latest else dbbackup.backup_named(name)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        if backup is None:
            raise CommandError("There is no database backup in the backup store.")
        if not yes:
            raise CommandError(
                f"This replaces the database with {backup.name} "
                f"({backup.made_at:%Y-%m-%d %H:%M} UTC); add --yes to do it."
            )
        try:
            counts = dbbackup.database_restore(backup)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"database restored from {backup.name}")
        for table, expected in backup.counts.items():
            flag = "" if counts.get(table) == expected else "  ≠ manifest"
            self.stdout.write(f"  {table}: {counts.get(table)}{flag}")
        in_place, restored, lost = dbbackup.files_restore()
        self.stdout.write(
            f"files: {in_place} in place, {restored} brought back from the backup store"
        )
        if counts != backup.counts or lost:
            for name_lost in lost:
                self.stderr.write(f"  not in the backup store intact: {name_lost}")
            raise CommandError(
                "The restore is incomplete: see above; the backup store may be damaged."
            )
