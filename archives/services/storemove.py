"""Moving a store kept in a folder into the store now configured (an S3
bucket, usually), every file proved by its SHA-256 (issue 21, item 2).

Each file of the folder is copied under the same name, read back from the
new store and hashed; a file the catalogue knows (a record's file or a
long-term copy) must also have the SHA-256 taken when it was filed. A file
already in the new store with the same content is left as it is, so the move
can be stopped and started again. The folder is never changed: delete it
once the move has proved every file and the servers use the new store.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages

from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.services.files import sha256_of_file


@dataclass
class MoveReport:
    copied: int = 0
    already_there: int = 0
    bytes: int = 0
    # (name, why): files that could not be proved.
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def proved(self) -> int:
        return self.copied + self.already_there


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path


def _catalogue_sha256(alias: str, name: str) -> str | None:
    """The SHA-256 the catalogue recorded for ``name``, if it knows it."""
    if alias not in ("default", "backup"):
        return None
    for model in (RecordFile, PreservationCopy):
        found = model.objects.filter(file=name).values_list("sha256", flat=True)
        for sha256 in found[:1]:
            return sha256
    return None


def store_move(
    *, folder: Path, alias: str, progress: Callable[[str], None] | None = None
) -> MoveReport:
    """Copy every file under ``folder`` into ``storages[alias]``, proved."""
    target = storages[alias]
    report = MoveReport()
    for path in _files(folder):
        name = path.relative_to(folder).as_posix()
        with path.open("rb") as handle:
            local = sha256_of_file(handle)
        known = _catalogue_sha256(alias, name)
        if known is not None and known != local:
            report.failed.append((name, "the folder's copy is not the file filed"))
            continue
        if target.exists(name):
            with target.open(name, "rb") as there:
                if sha256_of_file(there) == local:
                    report.already_there += 1
                    continue
            report.failed.append((name, "another file holds this name in the store"))
            continue
        with path.open("rb") as handle:
            saved = target.save(name, File(handle, name=path.name))
        if saved != name:
            target.delete(saved)
            report.failed.append((name, f"the store named it {saved}"))
            continue
        with target.open(name, "rb") as there:
            if sha256_of_file(there) != local:
                report.failed.append((name, "the copy read back differs"))
                continue
        report.copied += 1
        report.bytes += path.stat().st_size
        if progress:
            progress(name)
    return report
