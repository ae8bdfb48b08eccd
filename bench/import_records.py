"""Time and peak memory of a bulk import of GT records (SPEC §13, S4).

    make bench-import                      # 100,000 rows on PostgreSQL
    BENCH_IMPORT_ROWS=10000 make bench-import

Writes a CSV of BENCH_IMPORT_ROWS call-centre rows, then in a fresh process
(a worker's, with tasks run in-process) uploads it, runs the dry run and the
import, and prints the wall time of each and that process's peak resident
memory (``ru_maxrss``) next to its memory before the upload. The database is
``archive_bench_import`` (created on first use, emptied of earlier imports by
the first process, so the measured one starts clean).
"""

from __future__ import annotations

import csv
import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.db import ensure_database  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
VAR = Path(os.environ.get("BENCH_VAR", ROOT / "var" / "bench-import"))
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
NAME = "archive_bench_import"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_csv(path: Path, customers: list[str]) -> None:
    channels = ["DH", "YJ", "ZX", "MT"]
    topics = [
        "咨询保修政策",
        "查询订单进度",
        "反映送货延迟",
        "申请退换货",
        "咨询发票开具",
    ]
    start = datetime.date.today() - datetime.timedelta(days=40)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "类别",
                "分类代码",
                "题名",
                "客户编号",
                "形成日期",
                "接收时间",
                "载体",
                "页数",
                "关键词",
            ]
        )
        for n in range(ROWS):
            day = start + datetime.timedelta(days=n % 30)
            writer.writerow(
                [
                    "GT",
                    channels[n % 4],
                    f"客户来电{topics[n % 5]}（第{n + 1}号）",
                    customers[n % len(customers)],
                    day.isoformat(),
                    f"{day.isoformat()} {9 + n % 8:02d}:{n % 60:02d}",
                    "纸质",
                    str(1 + n % 5),
                    "呼叫中心",
                ]
            )


def _setup_django() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_SECRET_KEY": "bench",
            "ARCHIVE_FIELD_KEY": "bench",
            "ARCHIVE_VAR_DIR": str(VAR),
            "DATABASE_URL": f"{SERVER}/{NAME}",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "ARCHIVE_IMPORT_MAX_ROWS": str(max(ROWS, 200_000)),
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> None:
    """The database, the filer, 2,000 customers and the CSV; no old imports."""
    ensure_database(SERVER, NAME)
    VAR.mkdir(parents=True, exist_ok=True)
    _setup_django()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Department
    from accounts.models import User
    from archives.models import Customer

    call_command("migrate", verbosity=0)
    department, _ = Department.objects.get_or_create(
        code="CC", defaults={"name": "呼叫中心", "kind": "customer_service"}
    )
    user, _ = User.objects.get_or_create(
        username="bench_filer", defaults={"department": department}
    )
    user.groups.add(Group.objects.get(name="cs_staff"))
    # Earlier runs' records go in SQL: a Django delete would load them all.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE archives_archiverecord_subcodes, "
            "archives_historicalarchiverecord_subcodes, "
            "archives_historicalarchiverecord, reports_importjob"
        )
        cursor.execute(
            "DELETE FROM archives_archiverecord WHERE created_by_id = %s", [user.pk]
        )
    codes = [f"BENCH-{n:04d}" for n in range(2000)]
    Customer.objects.bulk_create(
        [Customer(code=c, name=f"演示客户{c[-4:]}") for c in codes],
        ignore_conflicts=True,
    )
    started = time.perf_counter()
    _write_csv(VAR / f"gt-{ROWS}.csv", codes)
    print(f"CSV written in {time.perf_counter() - started:.1f} s")


def measure() -> None:
    _setup_django()
    from django.core.files import File

    from accounts.models import User
    from archives.models import ArchiveRecord
    from reports.models import ImportJob
    from reports.services.imports import import_confirm
    from reports.services.imports import import_run
    from reports.services.imports import import_upload

    path = VAR / f"gt-{ROWS}.csv"
    user = User.objects.get(username="bench_filer")
    before = _rss_mb()

    started = time.perf_counter()
    # As Django hands over a large upload: a file on disk, read in chunks.
    with path.open("rb") as handle:
        job = import_upload(
            actor=user, kind=ImportJob.Kind.RECORDS, upload=File(handle, path.name)
        )
    job = import_run(job_id=job.pk)
    checked = time.perf_counter() - started
    assert job.problem_count == 0, job.problems[:5]
    started = time.perf_counter()
    import_confirm(actor=user, job=job)
    job = import_run(job_id=job.pk)
    imported = time.perf_counter() - started
    assert job.status == ImportJob.Status.DONE, job.error
    count = ArchiveRecord.objects.filter(created_by=user).count()
    print(f"rows: {ROWS:,} ({path.stat().st_size / 1e6:.1f} MB CSV)")
    print(f"upload + dry run: {checked:.1f} s ({ROWS / checked:,.0f} rows/s)")
    print(f"import:           {imported:.1f} s ({ROWS / imported:,.0f} rows/s)")
    print(f"records written:  {count:,}")
    print(f"memory: {before:.1f} MB before the upload, peak {_rss_mb():.1f} MB")


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        measure()
    else:
        prepare()
        subprocess.run([sys.executable, __file__, "--measure"], check=True)  # noqa: S603
