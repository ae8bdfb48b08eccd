"""Walking the electronic files and their long-term copies in chunks, for
the inspection and the backup check."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from archives.models import PreservationCopy
from archives.models import RecordFile

CHUNK = 1000


@dataclass(frozen=True)
class FileRow:
    pk: int
    name: str
    sha256: str
    record_id: int
    number: str | None


def _chunks(rows) -> Iterator[list[FileRow]]:
    last = 0
    while True:
        chunk = [FileRow(*row) for row in rows.filter(pk__gt=last)[:CHUNK]]
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk


def _live_files():
    return RecordFile.objects.filter(
        erased_at__isnull=True, record__number__isnull=False
    )


def _live_copies():
    return PreservationCopy.objects.filter(
        source__erased_at__isnull=True, source__record__number__isnull=False
    ).exclude(file="")


def filed_files() -> Iterator[list[FileRow]]:
    """Every live file of an accepted record, then every long-term copy of
    one, a chunk at a time, by id."""
    yield from _chunks(
        _live_files()
        .order_by("pk")
        .values_list("pk", "file", "sha256", "record_id", "record__number")
    )
    yield from _chunks(
        _live_copies()
        .order_by("pk")
        .values_list(
            "pk", "file", "sha256", "source__record_id", "source__record__number"
        )
    )


def filed_file_count() -> int:
    return _live_files().count() + _live_copies().count()


def sha256_of(storage, name: str) -> str | None:
    """The file's SHA-256, or None when it is not there."""
    if not storage.exists(name):
        return None
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def file_label(name: str) -> str:
    return name.rsplit("/", 1)[-1]
