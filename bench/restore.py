"""The RTO, measured: time and peak memory of a database backup, of the
quarterly proof of it, and of a full restore after the database's contents
and the whole archive store are lost (issue 21, item 3).

    make bench-restore                     # 100,000 records on PostgreSQL
    BENCH_RECORDS=20000 make bench-restore # a smaller archive, to compare

Uses the archive of ``bench/retention_checks.py`` (built once in the
PostgreSQL database ``archive_bench_<records>``: every third record has a
1 KB file in the store and the backup). Each step runs in a fresh process;
the restore step first deletes the archive store's folder, then runs what
``manage.py archive_restore --latest --yes`` runs and checks that every
record and file is back.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import retention_checks as archive


def measure(step: str) -> None:
    archive._django()
    from django.core.files.storage import storages

    from archives.models import ArchiveRecord
    from retention.services import dbbackup

    before = archive._rss_mb()
    started = time.perf_counter()
    if step == "backup":
        backup = dbbackup.backup_make(scheduled=True)
        result = {"dump_bytes": backup.size}
    elif step == "prove":
        proof = dbbackup.backup_prove(dbbackup.backup_latest(scheduled=True))
        result = {"counts_match": proof.counts_match, "files": proof.files_checked}
        assert proof.counts_match and not proof.files_bad
    else:
        records = ArchiveRecord.objects.count()
        shutil.rmtree(storages["default"].location)
        lost_at = time.perf_counter()
        counts = dbbackup.database_restore(dbbackup.backup_latest(scheduled=True))
        database_seconds = time.perf_counter() - lost_at
        _in_place, restored, lost = dbbackup.files_restore()
        assert counts["archives_archiverecord"] == records and not lost
        result = {
            "database_seconds": round(database_seconds, 1),
            "files_restored": restored,
        }
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "step": step,
                "records": archive.RECORDS,
                "seconds": round(elapsed, 1),
                "rss_before_mb": round(before, 1),
                "peak_rss_mb": round(archive._rss_mb(), 1),
                **result,
            }
        ),
        flush=True,
    )


def main() -> None:
    if len(sys.argv) > 1:
        if sys.argv[1] == "setup":
            archive.setup()
        else:
            measure(sys.argv[1])
        return
    for step in ("setup", "backup", "prove", "restore"):
        subprocess.run(  # noqa: S603 - this script, one of four fixed steps
            [sys.executable, __file__, step], check=True, env=archive._env()
        )


if __name__ == "__main__":
    main()
