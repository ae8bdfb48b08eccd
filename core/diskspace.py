"""Used and free space of the file stores kept on a local disk (metrics and
the daily check's alert, issue 21)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.core.files.storage import storages

STORES = ("default", "backup")


@dataclass(frozen=True)
class Space:
    store: str
    total: int
    used: int
    free: int

    @property
    def free_percent(self) -> float:
        return 100.0 * self.free / self.total if self.total else 0.0


def stores_space() -> list[Space]:
    """Each store with a folder on this machine (an object store has none)."""
    found = []
    for name in STORES:
        store = storages[name]
        if not isinstance(store, FileSystemStorage):
            continue  # an object store: its provider tells its space
        folder = Path(store.location)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # made on the first file: its disk counts
        try:
            usage = shutil.disk_usage(folder)
        except OSError:
            continue
        found.append(Space(name, usage.total, usage.used, usage.free))
    return found
