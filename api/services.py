"""Uploads in pieces and idempotent calls (issue 18, item 2).

A piece is appended only where the upload stands: a piece sent again (a
retry after a lost answer) is acknowledged and not written twice, one from
further on is refused with where to go on from. A complete upload is filed
with a record like any uploaded file — the same four checks, the same
refusals — and its pieces are deleted once the record is saved.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ChunkedUpload
from api.models import IdempotentCall
from archives.services.files import check_upload_name
from archives.services.files import check_upload_size
from core.errors import ArchiveError


class OutOfOrder(ArchiveError):
    """A piece that does not continue the upload; ``received`` says where to."""

    def __init__(self, message: str, received: int):
        super().__init__(message)
        self.received = received


def upload_begin(*, actor, name: str, size: int, sha256: str = "") -> ChunkedUpload:
    """Open an upload of ``size`` bytes named ``name`` (checked as a file
    name and size of the archive)."""
    check_upload_name(name)
    check_upload_size(name, size)
    sha256 = (sha256 or "").strip().lower()
    if sha256 and (
        len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256)
    ):
        raise ArchiveError(_("The SHA-256 must be 64 hexadecimal characters."))
    return ChunkedUpload.objects.create(
        owner=actor, name=name[:255], size=size, sha256=sha256
    )


def pieces_of(upload: ChunkedUpload) -> list[str]:
    """The names of the upload's pieces in the store, in order."""
    try:
        _folders, names = _store().listdir(upload.pieces_folder)
    except FileNotFoundError:
        return []
    return [upload.pieces_folder + n for n in sorted(names)]


def _pieces_delete(upload: ChunkedUpload) -> None:
    store = _store()
    for name in pieces_of(upload):
        store.delete(name)


def _store():
    return storages["uploads"]


def _read_pieces(upload: ChunkedUpload):
    store = _store()
    for name in pieces_of(upload):
        with store.open(name, "rb") as handle:
            while block := handle.read(1024 * 1024):
                yield block


def upload_piece(*, upload: ChunkedUpload, start: int, data: bytes) -> ChunkedUpload:
    """Add the bytes that begin at ``start``; the upload as it now stands."""
    limit = settings.ARCHIVE_UPLOAD_CHUNK_MB * 1024 * 1024
    if not data:
        raise ArchiveError(_("The piece is empty."))
    if len(data) > limit:
        raise ArchiveError(
            _("A piece may be at most %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    with transaction.atomic():
        upload = ChunkedUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.used_at is not None:
            raise ArchiveError(_("This upload was filed already."))
        end = start + len(data)
        if end > upload.size:
            raise ArchiveError(
                _("The piece ends at byte %(end)s; the file has %(size)s bytes.")
                % {"end": end, "size": upload.size}
            )
        if start > upload.received:
            raise OutOfOrder(
                _("This piece begins at byte %(start)s; go on from byte %(received)s.")
                % {"start": start, "received": upload.received},
                upload.received,
            )
        if end <= upload.received:
            return upload  # sent again: already here
        fresh = data[upload.received - start :]
        # Named by where it begins: the names sort in the file's order.
        _store().save(
            f"{upload.pieces_folder}{upload.received:015d}", ContentFile(fresh)
        )
        upload.received = end
        upload.save(update_fields=["received", "updated_at"])
    if upload.complete and upload.sha256:
        digest = hashlib.sha256()
        for block in _read_pieces(upload):
            digest.update(block)
        if digest.hexdigest() != upload.sha256:
            ChunkedUpload.objects.filter(pk=upload.pk).update(received=0)
            _pieces_delete(upload)
            raise ArchiveError(
                _(
                    "The file that arrived does not have the SHA-256 declared; "
                    "send it again from the start."
                )
            )
    return upload


@dataclass
class UploadedParts:
    """Complete uploads opened as files for ``record_create``."""

    uploads: list[ChunkedUpload]
    files: list[File]

    def close(self) -> None:
        for item in self.files:
            item.close()


def uploads_open(*, actor, ids) -> UploadedParts:
    """The caller's complete, unused uploads with these ids, as files."""
    found = {
        str(u.pk): u
        for u in ChunkedUpload.objects.filter(
            owner=actor, pk__in=list(ids), used_at__isnull=True
        )
    }
    uploads, files = [], []
    for key in ids:
        upload = found.get(str(key))
        if upload is None:
            raise ArchiveError(
                _("No upload %(id)s of yours waits to be filed.") % {"id": key}
            )
        if not upload.complete:
            raise ArchiveError(
                _("“%(name)s” is not complete: %(received)s of %(size)s bytes arrived.")
                % {
                    "name": upload.name,
                    "received": upload.received,
                    "size": upload.size,
                }
            )
        uploads.append(upload)
        # The pieces, whole again, in a temporary file of this process.
        whole = tempfile.TemporaryFile()  # noqa: SIM115 - closed by parts.close()
        for block in _read_pieces(upload):
            whole.write(block)
        whole.seek(0)
        files.append(File(whole, name=upload.name))
    return UploadedParts(uploads, files)


def uploads_used(parts: UploadedParts) -> None:
    """Mark the uploads filed (in the record's transaction); their pieces go
    once it commits."""
    now = timezone.now()
    ChunkedUpload.objects.filter(pk__in=[u.pk for u in parts.uploads]).update(
        used_at=now
    )
    uploads = list(parts.uploads)

    def remove() -> None:
        for upload in uploads:
            _pieces_delete(upload)

    transaction.on_commit(remove)


def uploads_expire(*, now=None) -> int:
    """Delete uploads left unfinished (or filed) past the keeping time."""
    import datetime

    now = now or timezone.now()
    old = ChunkedUpload.objects.filter(
        updated_at__lt=now
        - datetime.timedelta(hours=settings.ARCHIVE_UPLOAD_KEEP_HOURS)
    )
    count = 0
    for upload in old:
        _pieces_delete(upload)
        upload.delete()
        count += 1
    return count


# ------------------------------------------------------------ idempotency


def fingerprint(method: str, path: str, body) -> str:
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class KeyReused(ArchiveError):
    pass


class KeyBusy(ArchiveError):
    pass


def idempotent_claim(*, actor, key: str, print_: str) -> IdempotentCall | None:
    """The answer kept for this key, or None when the call is new (it is
    claimed: a second call with the key waits for, or is told of, it)."""
    key = key.strip()[:100]
    try:
        with transaction.atomic():
            IdempotentCall.objects.create(owner=actor, key=key, fingerprint=print_)
        return None
    except IntegrityError:
        pass
    call = IdempotentCall.objects.get(owner=actor, key=key)
    if call.fingerprint != print_:
        raise KeyReused(
            _("This Idempotency-Key was used for another call; use a new key.")
        )
    if call.http_status is None:
        raise KeyBusy(_("The first call with this Idempotency-Key is still running."))
    return call


def idempotent_keep(*, actor, key: str, status: int, body) -> None:
    IdempotentCall.objects.filter(owner=actor, key=key.strip()[:100]).update(
        http_status=status, body=body
    )


def idempotent_release(*, actor, key: str) -> None:
    """A call that failed keeps nothing: the key may be used again."""
    IdempotentCall.objects.filter(
        owner=actor, key=key.strip()[:100], http_status__isnull=True
    ).delete()
