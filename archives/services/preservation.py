"""Long-term copies of an accepted record's files, and the text inside them.

Acceptance queues one ``PreservationCopy`` per file; the worker makes each
(``archives.preservation``), stores it beside the original with its own
SHA-256 and a backup, keeps the file's text for search and refreshes the
record's search columns. A try that fails is made again up to
``ARCHIVE_CONVERSION_RETRIES`` times; then the copy is ``failed`` with the
reason — a finding on the record page and in the monthly inspection — and
the original is untouched.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import shutil
import tempfile
from pathlib import Path
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from archives import preservation
from archives import probes
from archives.mail import Attachment
from archives.models import ArchiveRecord
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.services.files import safe_name
from archives.services.files import sha256_of_file
from archives.services.search import record_search_refresh
from core.history import changed_by
from core.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
State = PreservationCopy.State
TASK = "archives.tasks.preserve_file"


class TryAgain(Exception):
    """A try failed and the copy will be tried again (the task retries)."""

    def __init__(self, attempts: int):
        super().__init__(attempts)
        self.attempts = attempts


def preservation_queue(*, record: ArchiveRecord, force: bool = False) -> int:
    """Queue the copies of a record's files that have none (in the caller's
    transaction; sent to the worker once it commits). How many were queued."""
    if not (settings.ARCHIVE_PRESERVE_ON_ACCEPT or force):
        return 0
    files = record.files.filter(erased_at__isnull=True, preservation__isnull=True)
    copies = PreservationCopy.objects.bulk_create(
        [PreservationCopy(source=record_file) for record_file in files]
    )
    for copy in copies:
        enqueue_on_commit(TASK, copy.pk)
    return len(copies)


def preservation_retry(*, copy: PreservationCopy) -> None:
    """Try a failed copy again (the archivist's button, or the reindex)."""
    if copy.state != State.FAILED:
        return
    PreservationCopy.objects.filter(pk=copy.pk).update(
        state=State.QUEUED, attempts=0, queued_at=timezone.now()
    )
    enqueue_on_commit(TASK, copy.pk)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_of_file(handle)


def copy_name(source_name: str, made: preservation.Made) -> str:
    """Beside the original: ``…/J2023001客户…20230101.pdfa.pdf`` or ``.utf8.txt``."""
    path = PurePosixPath(source_name)
    ending = ".pdfa.pdf" if made.format.startswith("PDF/A") else ".utf8.txt"
    return str(path.with_name(path.stem + ending))


def _claim(copy_id: int) -> PreservationCopy | None:
    with transaction.atomic():
        copy = (
            PreservationCopy.objects.select_for_update()
            .select_related("source__record")
            .filter(pk=copy_id)
            .first()
        )
        if copy is None or copy.state in (State.MADE, State.KEPT):
            return None
        if copy.source.erased_at is not None:
            return None
        copy.state = State.WORKING
        copy.attempts += 1
        copy.save(update_fields=["state", "attempts"])
        return copy


def preserve_file(copy_id: int) -> str:
    """Make one copy; its state. Raises ``TryAgain`` while tries remain."""
    copy = _claim(copy_id)
    if copy is None:
        return "skipped"
    source = copy.source
    suffix = PurePosixPath(str(source.file.name)).suffix.lstrip(".").lower()
    if source.scan == RecordFile.Scan.INFECTED:
        return _failed(copy, "source_infected", source.scan_signature, final=True)
    if preservation.kept_as_is(suffix):
        copy.state = State.KEPT
        copy.made_at = timezone.now()
        copy.error_code = copy.error_detail = ""
        copy.save()
        return copy.state
    with tempfile.TemporaryDirectory(prefix="archive-copy-") as folder:
        work = Path(folder)
        original = work / f"original.{suffix}"
        try:
            with source.file.open("rb") as stored, original.open("wb") as out:
                shutil.copyfileobj(stored, out)
            if _sha256(original) != source.sha256:
                return _failed(copy, "source_changed", "", final=True)
            made = preservation.make_copy(original, suffix, work)
            _store(copy, made)
        except preservation.ConversionFailed as error:
            _text_anyway(source, original, suffix)
            return _failed(copy, error.code, error.detail)
        except Exception as error:  # a store or a program that failed: try again
            logger.exception("long-term copy %s failed", copy.pk)
            detail = f"{type(error).__name__}: {error}"
            return _failed(copy, "conversion_error", detail)
    return copy.state


def _text_anyway(source: RecordFile, original: Path, suffix: str) -> None:
    """A PDF whose copy could not be made is still found by its text layer."""
    if suffix != "pdf" or source.content_text:
        return
    try:
        pages = preservation.pages_text(original)
    except Exception:  # no text then; the failure is reported
        return
    if any(pages):
        RecordFile.objects.filter(pk=source.pk).update(
            content_text="\f".join(pages),
            content_source=RecordFile.TextSource.TEXT_LAYER,
        )
        record_search_refresh(source.record)


def _failed(copy: PreservationCopy, code: str, detail: str, final=False) -> str:
    copy.error_code = code
    copy.error_detail = detail[:2000]
    last = final or copy.attempts >= settings.ARCHIVE_CONVERSION_RETRIES
    copy.state = State.FAILED if last else State.QUEUED
    copy.save(update_fields=["state", "error_code", "error_detail"])
    if not last:
        raise TryAgain(copy.attempts)
    return copy.state


def _store(copy: PreservationCopy, made: preservation.Made) -> None:
    """Keep the copy and its backup, the text, and any e-mail attachments."""
    source = copy.source
    name = copy_name(str(source.file.name), made)
    assert made.path is not None
    with made.path.open("rb") as handle:
        stored = storages["default"].save(name, handle)
        handle.seek(0)
        storages["backup"].save(stored, handle)
    written = [stored]
    try:
        _record(copy, made, stored, written)
    except BaseException:
        # Nothing half-kept: the files written go if the rows were not saved.
        for store in (storages["default"], storages["backup"]):
            for name in written:
                store.delete(name)
        raise


def _record(
    copy: PreservationCopy, made: preservation.Made, stored: str, written: list[str]
) -> None:
    source = copy.source
    assert made.path is not None
    with transaction.atomic():
        copy.file.name = stored
        copy.format = made.format
        copy.size = made.path.stat().st_size
        copy.sha256 = _sha256(made.path)
        copy.tool = made.tool[:300]
        copy.validation = made.validation
        copy.made_at = timezone.now()
        copy.state = State.MADE
        copy.error_code = copy.error_detail = ""
        copy.save()
        RecordFile.objects.filter(pk=source.pk).update(
            content_text=made.text, content_source=made.source
        )
        # An e-mail taken from a mailbox or a form has its attachments as
        # files already (archives.services.mailin).
        if not RecordFile.objects.filter(parent=source).exists():
            for attachment in made.attachments:
                written.append(_attachment_keep(source, attachment))
        record_search_refresh(source.record)


def _attachment_keep(parent: RecordFile, attachment: Attachment) -> str:
    """An e-mail's attachment as a file of the record, scanned, hashed,
    backed up and queued for its own copy; the name it is stored under."""
    from archives.services.filechecks import file_rescan

    record = parent.record
    folder = PurePosixPath(str(parent.file.name)).parent
    stem = PurePosixPath(str(parent.file.name)).stem
    safe = safe_name(attachment.name)
    data = ContentFile(attachment.data)
    stored = storages["default"].save(f"{folder}/{stem}-附件-{safe}", data)
    data.seek(0)
    storages["backup"].save(stored, data)
    suffix = PurePosixPath(safe).suffix.lstrip(".").lower()
    found = probes.probe(suffix, ContentFile(attachment.data))
    record_file = RecordFile(
        record=record,
        parent=parent,
        original_name=attachment.name[:255],
        size=len(attachment.data),
        content_type=(mimetypes.guess_type(safe)[0] or "application/octet-stream")[
            :100
        ],
        sha256=hashlib.sha256(attachment.data).hexdigest(),
        uploaded_by=parent.uploaded_by,
        technical=found.technical,
    )
    record_file.file.name = stored
    changed_by(record_file, parent.uploaded_by)
    record_file.save()
    file_rescan(record_file, ContentFile(attachment.data), actor=None)
    copy = PreservationCopy.objects.create(source=record_file)
    enqueue_on_commit(TASK, copy.pk)
    return stored
