"""The quarterly backup check (SPEC §10; issue 21, item 3).

1. Every live electronic file has its copy in the backup store, and that copy
   has the SHA-256 taken at ingest.
2. The latest *scheduled* database backup (beat makes one every day) is
   proved: restored into a scratch database whose row counts must equal the
   ones its manifest took in the dump's own snapshot, and every file the
   restored catalogue names must be in the backup store with its SHA-256
   (``retention.services.dbbackup``). A fresh backup would prove only that
   backups can be made; this proves the one a disaster would leave.
"""

from __future__ import annotations

import sqlite3
import subprocess

from django.core.files.storage import storages

from core.errors import ArchiveError
from retention.models import Finding
from retention.services import dbbackup
from retention.services.files import file_label
from retention.services.files import filed_file_count
from retention.services.files import filed_files
from retention.services.files import sha256_of


def _check_copies(writer, progress) -> int:
    backup = storages["backup"]
    checked = 0
    for chunk in filed_files():
        for row in chunk:
            params = {"number": row.number, "file": file_label(row.name)}
            actual = sha256_of(backup, row.name)
            if actual is None:
                writer.add("backup_missing", params, record_id=row.record_id)
            elif actual != row.sha256:
                writer.add(
                    "backup_mismatch",
                    {**params, "actual": actual[:12]},
                    record_id=row.record_id,
                )
        checked += len(chunk)
        progress.advance(len(chunk))
    return checked


def _check_database(writer) -> dict:
    """Restore the latest scheduled backup (not a fresh one: the one a
    disaster would leave) and compare it with its manifest and the store."""
    latest, late = dbbackup.scheduled_backup_late()
    if latest is None:
        writer.add("db_backup_none", {})
        return {"database_backup": None}
    if late:
        writer.add("db_backup_stale", dbbackup.stale_params(latest))
    try:
        proof = dbbackup.backup_prove(latest)
    except (
        OSError,
        subprocess.CalledProcessError,
        sqlite3.Error,
        ArchiveError,
    ) as error:
        detail = getattr(error, "stderr", b"") or b""
        message = detail.decode(errors="replace").strip() or str(error)
        writer.add("db_backup_failed", {"error": message[:500]})
        return {"database_backup": latest.name}
    if proof.counts_match:
        writer.add(
            "db_backup_ok",
            {
                "file": latest.name,
                "counts": "；".join(f"{t} {n}" for t, n in latest.counts.items()),
                "files": proof.files_checked,
            },
            severity=Finding.Severity.INFO,
        )
    else:
        differ = "；".join(
            f"{t} {n}→{proof.restored.get(t)}"
            for t, n in latest.counts.items()
            if n != proof.restored.get(t)
        )
        writer.add("db_backup_mismatch", {"file": latest.name, "counts": differ})
    if proof.files_bad:
        writer.add(
            "db_backup_files_bad",
            {
                "file": latest.name,
                "count": len(proof.files_bad),
                "names": "、".join(file_label(n) for n in proof.files_bad[:10]),
            },
        )
    return {
        "database_backup": latest.name,
        "database_counts": latest.counts,
        "database_files_checked": proof.files_checked,
    }


def run(check, writer, progress) -> dict:
    """Check every backup copy, then make and prove a database backup."""
    progress.total(filed_file_count() + 1)
    checked = _check_copies(writer, progress)
    summary = {"files_checked": checked, **_check_database(writer)}
    progress.advance(1)
    return summary
