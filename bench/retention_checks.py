"""Time and peak memory of the monthly inspection and the yearly stocktake.

    make bench-checks                     # 100,000 records on PostgreSQL
    BENCH_RECORDS=20000 make bench-checks # a smaller archive, to compare

Builds an archive of BENCH_RECORDS paper records (every third also has an
electronic file of 1 KB in the store and the backup) in the PostgreSQL
database ``archive_bench``, then runs each check in a fresh process and
prints its wall time and the peak resident memory of that process
(``ru_maxrss``), next to the same process's memory before the check.
The stocktake has every record scanned but 0.5 % missing and 0.5 % in the
wrong box.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = int(os.environ.get("BENCH_RECORDS", "100000"))
VAR = Path(os.environ.get("BENCH_VAR", ROOT / "var" / f"bench-{RECORDS}"))
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = f"{SERVER}/archive_bench_{RECORDS}"


def _create_database() -> None:
    """A UTF-8 database of its own (C.UTF-8, as in production), made once."""
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [f"archive_bench_{RECORDS}"]
        )
        if cursor.fetchone() is None:
            cursor.execute(
                f"CREATE DATABASE archive_bench_{RECORDS} TEMPLATE template0 "
                "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
    connection.close()


def _env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "bench",
        "ARCHIVE_FIELD_KEY": "bench",
        "ARCHIVE_VAR_DIR": str(VAR),
        "DATABASE_URL": DATABASE,
        "LOG_LEVEL": "WARNING",
    }


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.update(_env())
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup() -> None:
    """Create the archive: records, boxes, files, and a stocktake's scans."""
    _create_database()
    _django()
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import Department
    from accounts.models import User
    from archives.models import ArchiveRecord
    from archives.models import Box
    from archives.models import Category
    from archives.models import NumberSequence
    from archives.models import RecordFile
    from archives.models import Shelf
    from archives.models import Storeroom
    from retention.models import CheckRun
    from retention.models import StocktakeScan

    if ArchiveRecord.objects.count() == RECORDS:
        print(f"archive of {RECORDS} records already there")
        return
    if ArchiveRecord.objects.exists():
        raise SystemExit(f"drop the half-made database: dropdb archive_bench_{RECORDS}")
    department = Department.objects.create(code="CS1", name="客服一部")
    user = User.objects.create_user("bench", department=department)
    user.groups.add(Group.objects.get(name="archivist"))
    gt = Category.objects.get(code="GT")
    room = Storeroom.objects.create(code="A", name="一号库房")
    boxes = []
    for shelf_no in range(RECORDS // 10000 + 1):
        shelf = Shelf.objects.create(
            storeroom=room, code=f"S{shelf_no:02d}", category=gt
        )
        boxes += Box.objects.bulk_create(
            [
                Box(
                    shelf=shelf,
                    code=f"GT-{shelf_no:02d}-{n:03d}",
                    category=gt,
                    year=2023,
                )
                for n in range(100)
            ]
        )
    store = VAR / "archive-store"
    backup = VAR / "archive-backup"
    import datetime

    start = datetime.date(2023, 1, 1)
    per_day = 300
    batch, files = [], []
    sequences: dict[str, int] = {}
    created = 0

    def flush():
        nonlocal batch, files
        saved = ArchiveRecord.objects.bulk_create(batch)
        RecordFile.objects.bulk_create(
            [
                RecordFile(
                    record=saved[index],
                    original_name=name.rsplit("/", 1)[-1],
                    size=1024,
                    sha256=digest,
                    uploaded_by=user,
                    file=name,
                )
                for index, name, digest in files
            ]
        )
        batch, files = [], []

    for i in range(RECORDS):
        day = start + datetime.timedelta(days=i // per_day)
        prefix = f"GT{day:%Y%m%d}"
        sequence = sequences.get(prefix, 0) + 1
        sequences[prefix] = sequence
        number = f"{prefix}{sequence:03d}"
        electronic = i % 3 == 0
        batch.append(
            ArchiveRecord(
                category=gt,
                title=f"客户来电记录{i}",
                date_formed=day,
                source_department=department,
                responsible_person=user,
                created_by=user,
                carrier="both" if electronic else "paper",
                status="archived",
                number=number,
                number_prefix=prefix,
                sequence_number=sequence,
                box=boxes[i // 100],
            )
        )
        if electronic:
            content = os.urandom(1024)
            name = f"GT/{number}/{number}客户来电记录{day:%Y%m%d}.txt"
            for root in (store, backup):
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            files.append((len(batch) - 1, name, hashlib.sha256(content).hexdigest()))
        if len(batch) == 5000:
            flush()
            created += 5000
            print(f"  {created} records", flush=True)
    if batch:
        flush()
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=p, last_value=v) for p, v in sequences.items()]
    )
    # A stocktake with everything scanned but 0.5 % missing, 0.5 % misplaced.
    run = CheckRun.objects.create(kind="stocktake", period="2026", status="open")
    scans = []
    for pk, number, box_id in ArchiveRecord.objects.values_list(
        "pk", "number", "box_id"
    ).iterator(chunk_size=5000):
        if pk % 200 == 0:
            continue
        if pk % 200 == 1:
            box_id = boxes[0].pk if box_id != boxes[0].pk else boxes[1].pk
        scans.append(
            StocktakeScan(
                run=run, code=number, record_id=pk, box_id=box_id, scanned_by=user
            )
        )
        if len(scans) == 5000:
            StocktakeScan.objects.bulk_create(scans)
            scans = []
    StocktakeScan.objects.bulk_create(scans)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum would do soon after a real load of this size.
        cursor.execute("ANALYZE")
    print(f"archive of {RECORDS} records ready")


def measure(kind: str) -> None:
    """Run one check in this (fresh) process and print its cost as JSON."""
    _django()
    from django.db import connection

    from retention.models import CheckRun
    from retention.services.checks import check_execute
    from retention.services.checks import check_finish
    from retention.services.checks import check_request

    connection.ensure_connection()
    before = _rss_mb()
    started = time.perf_counter()
    if kind == "inspection":
        CheckRun.objects.filter(kind="inspection").delete()
        run = check_request(kind="inspection")
        summary = check_execute(run_id=run.pk)
    else:
        from accounts.models import User

        run = CheckRun.objects.get(kind="stocktake")
        run = check_finish(actor=User.objects.get(username="bench"), run=run)
        summary = run.summary
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "check": kind,
                "records": RECORDS,
                "seconds": round(elapsed, 1),
                "rss_before_mb": round(before, 1),
                "peak_rss_mb": round(_rss_mb(), 1),
                "summary": summary,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    if len(sys.argv) > 1:
        {
            "setup": setup,
            "inspection": lambda: measure("inspection"),
            "stocktake": lambda: measure("stocktake"),
        }[sys.argv[1]]()
        return
    for step in ("setup", "inspection", "stocktake"):
        subprocess.run(  # noqa: S603 - this script, one of three fixed steps
            [sys.executable, __file__, step], check=True, env=_env()
        )


if __name__ == "__main__":
    main()
