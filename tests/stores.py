"""The stores as the tests see them, through the storage API only, so the
same test runs on folders and on the S3-compatible server (issue 21, item 2)."""

from __future__ import annotations


def names(store, folder: str = "") -> list[str]:
    """Every file under ``folder`` in ``store``, with its path."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    found = [prefix + f for f in files]
    for sub in folders:
        found += names(store, prefix + sub)
    return found


def empty(store, folder: str = "") -> None:
    """Delete every file under ``folder`` (the whole store by default)."""
    for name in names(store, folder):
        store.delete(name)
