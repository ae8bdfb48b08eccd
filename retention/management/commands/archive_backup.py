"""Back the database up now: ``manage.py archive_backup`` (``--list`` shows
the backups kept, ``--prune`` applies the retention setting)."""

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from retention.services import dbbackup


class Command(BaseCommand):
    help = (
        "Dump the database into the backup store with a manifest of its counts "
        "(beat does it every night as the scheduled backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="list the backups kept, newest first"
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="remove backups past ARCHIVE_DB_BACKUP_KEEP_DAYS",
        )

    def handle(self, *args, list: bool, prune: bool, **options):
        if list:
            for backup in dbbackup.backups_list():
                kind = "scheduled" if backup.scheduled else "by hand"
                when = f"{timezone.localtime(backup.made_at):%Y-%m-%d %H:%M}"
                size = filesizeformat(backup.size)
                self.stdout.write(f"{backup.name}  {when}  {kind}  {size}")
            return
        if prune:
            for name in dbbackup.backups_prune():
                self.stdout.write(f"removed {name}")
            return
        backup = dbbackup.backup_make(scheduled=False)
        counts = ", ".join(f"{t} {n}" for t, n in backup.counts.items())
        self.stdout.write(
            f"{backup.name} ({filesizeformat(backup.size)}, sha256 "
            f"{backup.sha256[:12]}…): {counts}"
        )
