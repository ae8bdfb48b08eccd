"""(Re)index existing records for search, a chunk at a time.

1. Every filed file without a long-term copy gets one queued; the worker
   makes it and reads its text (``--here``: made in this process, for a site
   without a worker).
2. Every record whose search columns were filled by an older version
   (``SEARCH_VERSION``) is filled again: number, title, customer, keywords,
   description and the text of its files.

Each chunk is committed on its own, and what is done is known from the
rows themselves (a copy exists; ``search_version`` is current), so a run
that is stopped — Ctrl-C, a restart — goes on where it stopped when it is
started again, and a finished run finds nothing more to do.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from archives.models import SEARCH_FIELDS
from archives.models import SEARCH_VERSION
from archives.models import ArchiveRecord
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.services import preservation
from archives.services.search import record_content
from archives.services.search import record_search_fill
from core.queue import enqueue_on_commit


class Command(BaseCommand):
    help = "Make missing long-term copies and read their text; refill search columns."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=1000)
        parser.add_argument(
            "--here",
            action="store_true",
            help="make the copies in this process instead of the worker",
        )
        parser.add_argument(
            "--no-files", action="store_true", help="only refill the search columns"
        )

    def handle(self, *args, chunk: int, here: bool, no_files: bool, **options):
        if not no_files:
            queued = self._files(chunk, here)
            self.stdout.write(f"{queued} file(s) queued for a long-term copy")
        filled = self._records(chunk)
        self.stdout.write(f"{filled} record(s) indexed again")

    def _files(self, chunk: int, here: bool) -> int:
        missing = RecordFile.objects.filter(
            erased_at__isnull=True,
            record__number__isnull=False,
            preservation__isnull=True,
        ).order_by("pk")
        queued, last = 0, 0
        while True:
            files = list(
                missing.filter(pk__gt=last).values_list("pk", flat=True)[:chunk]
            )
            if not files:
                return queued
            last = files[-1]
            with transaction.atomic():
                copies = PreservationCopy.objects.bulk_create(
                    [PreservationCopy(source_id=pk) for pk in files]
                )
                if not here:
                    for copy in copies:
                        enqueue_on_commit(preservation.TASK, copy.pk)
            if here:
                for copy in copies:
                    self._make(copy.pk)
            queued += len(files)
            self.stdout.write(f"  … files up to id {last}")

    def _make(self, copy_id: int) -> None:
        while True:
            try:
                preservation.preserve_file(copy_id)
                return
            except preservation.TryAgain:
                continue

    def _records(self, chunk: int) -> int:
        stale = ArchiveRecord.objects.filter(
            search_version__lt=SEARCH_VERSION
        ).order_by("pk")
        filled, last = 0, 0
        while True:
            records = list(stale.filter(pk__gt=last).select_related("customer")[:chunk])
            if not records:
                return filled
            last = records[-1].pk
            content = record_content([record.pk for record in records])
            for record in records:
                record_search_fill(record, None, content.get(record.pk, ""))
            ArchiveRecord.objects.bulk_update(records, SEARCH_FIELDS)
            filled += len(records)
            self.stdout.write(f"  … records up to id {last}")
