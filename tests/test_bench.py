"""`make bench` runs to the end: a small archive, the whole measurement."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.net import free_port

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark runs on PostgreSQL"
)

TARGETS = [
    "catalogue list, worst of 17",
    "search in Chinese, 3+ characters",
    "search in Chinese, 1–2 characters",
    "record detail page",
    "SQL queries per catalogue page",
    "exact COUNT(*) over more than 100,000 rows",
    "one-page PDF form",
    "register PDF of",
    "numbering, 32 writers on one sequence",
    "yearly stocktake snapshot",
    "monthly fixity/inspection pass",
    "CSV export of",
    "no periodic job updates every archive row",
]


def _drop(server: str, name: str) -> None:
    import psycopg2

    scratch = psycopg2.connect(f"{server}/postgres")
    scratch.autocommit = True
    with scratch.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    scratch.close()


def test_the_benchmark_runs_to_the_end_and_reports_every_target(db, tmp_path):
    # ``db``: not for this test's own database (the bench makes one of its
    # own) but to run among the database tests, first of them
    # (conftest.SLOW_FIRST), not alone at the end of a parallel run.
    settings = connection.settings_dict
    server = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}"
    )
    env = {
        **os.environ,
        "BENCH_RECORDS": "3000",
        "BENCH_REQUESTS": "16",
        "BENCH_CLIENTS": "2",
        "BENCH_FRESH": "1",
        "BENCH_POSTGRES": server,
        "BENCH_PORT": str(free_port()),
        "BENCH_VAR": str(tmp_path / "var"),
        "BENCH_RESULTS": str(tmp_path / "results"),
    }
    env.pop("DATABASE_URL", None)
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "run.py")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        _drop(server, "archive_bench_3000")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = next((tmp_path / "results").glob("*-3000.md")).read_text()
    assert "# Benchmark" in report and "3,000 records" in report
    for target in TARGETS:
        assert f"| {target}" in report, target
    # Zero duplicates and gaps are measured, not assumed.
    assert "0 duplicates, 0 gaps" in report
    assert "| naive ListView: deep page (OFFSET) |" in report
    # Issue 22: service time with one client, beside the floors and each
    # page's own SQL.
    assert "| floor: logged-in small template |" in report
    assert "| record detail |" in report and "× |" in report
    # And record views through 1, 2 and 4 workers, each against the one before.
    for workers in (1, 2, 4):
        assert f"\n| {workers} | " in report, workers
