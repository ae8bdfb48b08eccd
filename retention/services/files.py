"""Walking the electronic files in chunks, for the inspection and backup check."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from archives.models import RecordFile

CHUNK = 1000


@dataclass(frozen=True)
class FileRow:
    pk: int
    name: str
    sha256: str
    record_id: int
    number: str | None


def filed_files() -> Iterator[list[FileRow]]:
    """Every live file of an accepted record, a chunk at a time, by id."""
    files = (
        RecordFile.objects.filter(erased_at__isnull=True, record__number__isnull=False)
        .order_by("pk")
        .values_list("pk", "file", "sha256", "record_id", "record__number")
    )
    last = 0
    while True:
        chunk = [FileRow(*row) for row in files.filter(pk__gt=last)[:CHUNK]]
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk


def filed_file_count() -> int:
    return RecordFile.objects.filter(
        erased_at__isnull=True, record__number__isnull=False
    ).count()


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
