"""Electronic files: checked and hashed at ingest, filed at acceptance.

Until a record is accepted its files wait under ``incoming/<record id>/``
with a random name. At acceptance they move to ``<category>/<number>/`` and
take the name of S3 §3.3 — number + subject + date, e.g.
``J2023001客户基本信息表20230101.pdf`` — and a copy goes to the backup store.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from archives.filetypes import content_matches
from archives.models import ArchiveRecord
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.services.search import record_search_refresh
from core.errors import ArchiveError
from core.history import changed_by

logger = logging.getLogger(__name__)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def check_upload_name(name: str) -> str:
    """Refuse names with path parts; return the extension, lower case."""
    if not name or "/" in name or "\\" in name or name in {".", ".."} or "\x00" in name:
        raise ArchiveError(
            _("“%(name)s”: a file name may not contain folders or path parts.")
            % {"name": name}
        )
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if suffix not in settings.ARCHIVE_ALLOWED_EXTENSIONS:
        raise ArchiveError(
            _("“%(name)s”: files of this type are not accepted (allowed: %(types)s).")
            % {"name": name, "types": ", ".join(settings.ARCHIVE_ALLOWED_EXTENSIONS)}
        )
    return suffix


def check_upload_size(name: str, size: int) -> None:
    if size <= 0:
        raise ArchiveError(_("“%(name)s” is empty.") % {"name": name})
    limit = settings.ARCHIVE_MAX_UPLOAD_BYTES
    if size > limit:
        raise ArchiveError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
            }
        )


def check_upload(upload) -> str:
    """Name, size and content of an upload; its extension when all hold."""
    from archives.probes import encrypted_office
    from archives.services.filechecks import encrypted_refusal

    suffix = check_upload_name(upload.name)
    check_upload_size(upload.name, upload.size)
    if not content_matches(suffix, upload):
        if suffix in {"docx", "xlsx"} and encrypted_office(upload):
            raise encrypted_refusal(upload.name)
        raise ArchiveError(
            _(
                "“%(name)s” is not a .%(suffix)s file: its content is of another "
                "kind. Save it in the right format, or give it its real extension."
            )
            % {"name": upload.name, "suffix": suffix}
        )
    return suffix


def sha256_of_file(fileobj) -> str:
    """The SHA-256 of an open file, read in 1 MB blocks; left at its start."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


@dataclass
class Vetted:
    """An upload that passed the checks made before anything is stored."""

    upload: Any
    suffix: str
    technical: dict
    scan: str


def file_vet(*, upload, actor: User, record: ArchiveRecord | None = None) -> Vetted:
    """Name, size, type, that it opens, and a virus scan (四性检测 at upload).

    Call it outside the transaction that stores the record: a file found
    infected is put in quarantine and audited, which a rollback must not undo.
    """
    from archives.services import filechecks

    suffix = check_upload(upload)
    found = filechecks.probe_upload(upload=upload, name=upload.name, suffix=suffix)
    scan = filechecks.scan_upload(
        upload=upload, name=upload.name, actor=actor, record=record
    )
    return Vetted(upload=upload, suffix=suffix, technical=found.technical, scan=scan)


def files_vet(*, uploads: Iterable, actor: User, record=None) -> list[Vetted]:
    return [file_vet(upload=u, actor=actor, record=record) for u in uploads]


def file_ingest(
    *,
    record: ArchiveRecord,
    upload,
    actor: User,
    vetted: Vetted | None = None,
    parent: RecordFile | None = None,
) -> RecordFile:
    """Store one uploaded file of a record in the incoming area (vetted by
    ``file_vet`` first, here if not yet); ``parent``: the e-mail it was
    attached to."""
    if vetted is None:
        vetted = file_vet(upload=upload, actor=actor, record=record)
    name = upload.name
    suffix = vetted.suffix
    checksum = sha256_of_file(upload)
    try:
        stored = storages["default"].save(
            f"incoming/{record.pk}/{uuid.uuid4().hex}.{suffix}", upload
        )
    except OSError as error:
        logger.error("archive store not writable: %s", error)
        raise ArchiveError(
            _(
                "“%(name)s” could not be stored: the archive store cannot be "
                "written to at the moment. Nothing was saved; try again later, "
                "and tell the system administrator if it persists."
            )
            % {"name": name}
        ) from error
    # Served with the type its (checked) extension has, never the browser's word.
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    record_file = RecordFile(
        record=record,
        parent=parent,
        original_name=name[:255],
        size=upload.size,
        content_type=content_type[:100],
        sha256=checksum,
        uploaded_by=actor,
        scan=vetted.scan,
        scanned_at=timezone.now() if vetted.scan == RecordFile.Scan.CLEAN else None,
        technical=vetted.technical,
    )
    record_file.file.name = stored
    changed_by(record_file, actor)
    record_file.save()
    return record_file


def files_ingest(
    *,
    record: ArchiveRecord,
    uploads: Iterable,
    actor: User,
    parent: RecordFile | None = None,
) -> list[RecordFile]:
    """Store several uploads (each an upload, or a ``Vetted`` one); if one
    fails, none of them stays in the store.

    The caller's transaction takes back the rows; the files already written
    are deleted here, since a file system knows no rollback.
    """
    stored: list[str] = []
    kept: list[RecordFile] = []
    try:
        for item in uploads:
            vetted = item if isinstance(item, Vetted) else None
            upload = item.upload if vetted else item
            record_file = file_ingest(
                record=record, upload=upload, actor=actor, vetted=vetted, parent=parent
            )
            stored.append(str(record_file.file.name))
            kept.append(record_file)
    except BaseException:
        store = storages["default"]
        for name in stored:
            try:
                store.delete(name)
            except OSError:
                logger.warning("could not remove %s after a failed upload", name)
        raise
    return kept


# A file name of most file systems (ext4, NTFS, S3 keys' last part) holds at
# most 255 bytes; a little is left for a storage's suffix on a name clash.
FILE_NAME_MAX_BYTES = 240


def archive_file_name(record: ArchiveRecord, suffix: str, index: int) -> str:
    """Number + subject + date, cleaned for any file system (S3 §3.3).

    The subject is shortened, by whole characters, so that the name fits in
    FILE_NAME_MAX_BYTES of UTF-8; the number and the date always stay.
    """
    extra = f"-{index}" if index > 1 else ""
    head = record.number or ""
    tail = f"{record.date_formed:%Y%m%d}{extra}.{suffix}"
    room = FILE_NAME_MAX_BYTES - len(head.encode()) - len(tail.encode())
    subject = _UNSAFE.sub("", record.title).strip()[:60]
    while len(subject.encode()) > room:
        subject = subject[:-1]
    return f"{head}{subject.strip()}{tail}"


def safe_name(name: str) -> str:
    """A name from outside (an e-mail's attachment) for any file system: no
    path parts, at most 120 bytes of UTF-8, its extension kept."""
    name = PurePosixPath(name.replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .") or "attachment"
    path = PurePosixPath(name)
    stem, suffix = path.stem, path.suffix[:10]
    while len((stem + suffix).encode()) > 120:
        stem = stem[:-1]
    return stem + suffix


def _clear_orphan(name: str) -> None:
    """Remove a file left at ``name`` by an acceptance that was rolled back.

    Numbers are never reused, so a file already at a new number's path that no
    record points to can only be such a leftover; one that a record does
    point to means the store and the catalogue disagree, and we stop.
    """
    if RecordFile.objects.filter(file=name).exists():
        raise ArchiveError(
            _("The archive store already holds %(name)s for another record.")
            % {"name": name}
        )
    for storage in (storages["default"], storages["backup"]):
        if storage.exists(name):
            storage.delete(name)


def files_file_into_archive(*, record: ArchiveRecord) -> None:
    """Move a record's incoming files to their archive folder and back them up.

    Runs in the acceptance transaction; the old copies are removed only once
    that transaction commits, so a rollback loses nothing.
    """
    store = storages["default"]
    backup = storages["backup"]
    folder = f"{record.category.code}/{record.number}"
    old_names = []
    for index, record_file in enumerate(record.files.order_by("pk"), start=1):
        old_name = str(record_file.file.name)
        suffix = PurePosixPath(old_name).suffix.lstrip(".")
        target = f"{folder}/{archive_file_name(record, suffix, index)}"
        _clear_orphan(target)
        with store.open(old_name, "rb") as source:
            new_name = store.save(target, source)
            source.seek(0)
            backup.save(new_name, source)
        # Authenticity after the move: what is filed is what was uploaded.
        with store.open(new_name, "rb") as filed:
            if sha256_of_file(filed) != record_file.sha256:
                raise ArchiveError(
                    _(
                        "%(name)s changed while it was filed: its SHA-256 differs "
                        "from the one taken at upload. Nothing was accepted; tell "
                        "the system administrator."
                    )
                    % {"name": record_file.original_name}
                )
        old_names.append(old_name)
        record_file.file.name = new_name
        record_file.save(update_fields=["file"])

    def remove_incoming() -> None:
        for name in old_names:
            store.delete(name)

    transaction.on_commit(remove_incoming)


def files_erase(*, records, actor: User, now) -> list[str]:
    """Mark destroyed records' files erased; delete them, backups too, on commit.

    The rows stay (name, size, checksum) as the tombstone's evidence; the
    long-term copies and the text read from the files go with them. Deleting
    only after the destruction commits means a refused or failed execution
    erases nothing; a file that survives anyway is reported by the monthly
    inspection.
    """
    files = list(RecordFile.objects.filter(record__in=records, erased_at__isnull=True))
    for record_file in files:
        record_file.erased_at = now
    bulk_update_with_history(files, RecordFile, ["erased_at"], default_user=actor)
    # The long-term copies go with their originals.
    copies = PreservationCopy.objects.filter(source__in=files).exclude(file="")
    names = [str(f.file.name) for f in files]
    names += [str(name) for name in copies.values_list("file", flat=True)]
    RecordFile.objects.filter(pk__in=[f.pk for f in files]).update(content_text="")
    for record in records:
        record_search_refresh(record)

    def erase() -> None:
        for storage in (storages["default"], storages["backup"]):
            for name in names:
                if storage.exists(name):
                    storage.delete(name)

    transaction.on_commit(erase)
    return names
