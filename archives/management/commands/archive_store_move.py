"""Move a store kept in a folder into the store now configured (an S3
bucket): ``manage.py archive_store_move --from /srv/archive/var/archive-store
--store default``, then the same for ``backup`` (and ``quarantine``,
``exports``, ``imports`` if you keep them). Every file is proved by its
SHA-256; run it again after an interruption, it goes on where it stopped."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat

from archives.services.storemove import store_move


class Command(BaseCommand):
    help = "Copy a store's folder into the configured store, proving every file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="folder", required=True, help="the store's old folder"
        )
        parser.add_argument(
            "--store",
            required=True,
            choices=[a for a in settings.ARCHIVE_STORES],
            help="which store the folder was",
        )

    def handle(self, *args, folder: str, store: str, **options):
        source = Path(folder)
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder.")
        report = store_move(
            folder=source,
            alias=store,
            progress=(lambda name: self.stdout.write(f"  {name}"))
            if options["verbosity"] > 1
            else None,
        )
        self.stdout.write(
            f"{store}: {report.copied} copied ({filesizeformat(report.bytes)}), "
            f"{report.already_there} already there, all proved by SHA-256"
            if not report.failed
            else f"{store}: {report.copied} copied, {report.already_there} already "
            f"there, {len(report.failed)} not proved"
        )
        if report.failed:
            for name, why in report.failed:
                self.stderr.write(f"  {name}: {why}")
            raise CommandError("Some files were not moved; the folder is unchanged.")
