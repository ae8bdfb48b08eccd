"""Files kept in a store, used where a program needs a path on this machine
(issue 21, item 2): a store on the local disk gives its own path, an object
store a temporary copy that is removed afterwards. Nothing the product keeps
is written to or read from a local path of its own choosing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.storage import Storage


@contextmanager
def local_path(storage: Storage, name: str) -> Iterator[Path]:
    """A path on this machine holding the stored file ``name``, to read."""
    if isinstance(storage, FileSystemStorage):
        yield Path(storage.path(name))
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(prefix="archive-", suffix=suffix) as copy:
        with storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)


def save_path(storage: Storage, name: str, path: Path) -> str:
    """Store the local file ``path`` as ``name``; the name it got."""
    with path.open("rb") as handle:
        return storage.save(name, File(handle, name=Path(name).name))
