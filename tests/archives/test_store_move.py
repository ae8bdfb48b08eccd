"""Moving a store's old folder into the store now configured, every file
proved by its SHA-256 (issue 21, item 2). In CI's second pass the store is a
bucket on the local S3-compatible server: the move a company makes when it
goes from one server to several."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError
from django.core.management import call_command

from archives.models import RecordFile
from retention.services.files import sha256_of
from tests import stores
from tests.retention.conftest import file_electronic


@pytest.fixture
def old_folder(tmp_path, world):
    """Two filed records whose files are in an old folder only."""
    for n in (1, 2):
        file_electronic(world, title=f"迁移 {n}")
    folder = tmp_path / "archive-store"
    store = storages["default"]
    for name in stores.names(store):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with store.open(name, "rb") as handle:
            path.write_bytes(handle.read())
    stores.empty(store)
    return folder


def test_the_old_folder_moves_into_the_store_every_file_proved(old_folder, capsys):
    filed = dict(RecordFile.objects.values_list("file", "sha256"))
    assert filed and all(sha256_of(storages["default"], n) is None for n in filed)
    in_folder = [p for p in old_folder.rglob("*") if p.is_file()]

    call_command("archive_store_move", "--from", str(old_folder), "--store", "default")
    said = capsys.readouterr().out
    assert f"default: {len(in_folder)} copied" in said and "proved by SHA-256" in said
    for name, sha in filed.items():
        assert sha256_of(storages["default"], name) == sha

    # Run again (after an interruption): nothing copied twice.
    call_command("archive_store_move", "--from", str(old_folder), "--store", "default")
    again = capsys.readouterr().out
    assert f"0 copied (0\xa0bytes), {len(in_folder)} already there" in again


def test_a_file_that_is_not_the_one_filed_is_not_moved(old_folder, capsys):
    name = RecordFile.objects.values_list("file", flat=True).first()
    (old_folder / name).write_bytes(b"changed on the old disk")
    with pytest.raises(CommandError, match="not moved"):
        call_command(
            "archive_store_move", "--from", str(old_folder), "--store", "default"
        )
    assert "the folder's copy is not the file filed" in capsys.readouterr().err
    assert sha256_of(storages["default"], name) is None
