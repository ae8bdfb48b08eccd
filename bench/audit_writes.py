"""Issue 22: the audit entry every record view writes, by many writers at once.

    make bench-audit                         # 1, 2, 4 and 8 writers
    BENCH_AUDIT_WRITES=500 make bench-audit  # entries per writer (300)

Each writer is a process that logs record views one after the other as a
page does (``audit.services.log`` in autocommit: one entry, one commit).
Two ways of writing, each on an empty log in the PostgreSQL database
``archive_bench_audit``:

* ``locked`` — the chain of release 1.5.0, kept here to compare: each entry
  takes one advisory lock, reads the last hash and inserts, and holds the
  lock to its commit (and its WAL flush);
* ``insert`` — today's: one INSERT, no lock; the worker links the entries
  afterwards (``audit.chain.link``), timed here too.

Prints entries per second at each number of writers and the growth from 2 to
4 writers. The machine's other load is printed with it (only ratios mean
anything on a shared machine).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.db import ensure_database  # noqa: E402

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
NAME = "archive_bench_audit"
WRITES = int(os.environ.get("BENCH_AUDIT_WRITES", "300"))
WRITERS = [int(n) for n in os.environ.get("BENCH_AUDIT_WRITERS", "1,2,4,8").split(",")]


def _env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "ARCHIVE_FIELD_KEY": "bench",
        "DATABASE_URL": f"{SERVER}/{NAME}",
        "LOG_LEVEL": "WARNING",
    }


def locked_append(content: dict):
    """Release 1.5.0's ``audit.chain.append``: the whole chain under one lock."""
    from django.db import connection
    from django.db import transaction

    from audit import chain
    from audit.models import AuditEntry

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain._PG_LOCK_KEY])
        prev_hash = (
            AuditEntry.objects.order_by("-pk").values_list("hash", flat=True).first()
            or chain.GENESIS
        )
        entry = AuditEntry(**content, prev_hash=prev_hash)
        entry.hash = chain.entry_hash(prev_hash, chain._content_of(entry))
        entry.save(force_insert=True)
    return entry


def _writer(way: str, person_id: int, start, done) -> None:
    from django.db import connections

    connections.close_all()  # not the parent's connection
    from accounts.models import User
    from audit import chain
    from audit import services

    if way == "locked":
        chain.append = locked_append
    person = User.objects.get(pk=person_id)
    start.wait()
    for n in range(WRITES):
        services.log(services.Action.RECORD_VIEWED, actor=person, n=n)
    done.put(time.perf_counter())
    connections.close_all()


def _run(way: str, writers: int, person_id: int) -> float:
    """Entries per second of ``writers`` processes writing WRITES each."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")
    context = multiprocessing.get_context("fork")
    start = context.Event()
    done = context.Queue()
    connection.close()
    processes = [
        context.Process(target=_writer, args=(way, person_id, start, done))
        for _ in range(writers)
    ]
    for process in processes:
        process.start()
    time.sleep(1.0)  # all connected
    began = time.perf_counter()
    start.set()
    ended = max(done.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    return writers * WRITES / (ended - began)


def main() -> None:
    ensure_database(SERVER, NAME)
    os.environ.update(_env())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from audit import chain
    from audit.models import AuditEntry

    person, _ = User.objects.get_or_create(username="bench_reader")
    print(
        f"load average before: {os.getloadavg()[0]:.2f}; "
        f"{os.cpu_count()} cores; {WRITES} entries per writer"
    )
    results: dict[str, dict[int, float]] = {}
    link_rate = None
    for way in ("locked", "insert"):
        results[way] = {}
        for writers in WRITERS:
            rate = _run(way, writers, person.pk)
            results[way][writers] = rate
            print(f"  {way:7} {writers} writers: {rate:7.0f} entries/s", flush=True)
            if way == "insert" and writers == max(WRITERS):
                pending = AuditEntry.objects.filter(hash__isnull=True).count()
                began = time.perf_counter()
                linked = chain.link()
                link_rate = linked / (time.perf_counter() - began)
                assert linked == pending and chain.verify().ok
    print()
    print("| writers | " + " | ".join(str(n) for n in WRITERS) + " | 2 → 4 |")
    print("|---|" + "---|" * (len(WRITERS) + 1))
    for way, label in (
        ("locked", "one lock for the chain (1.5.0)"),
        ("insert", "one INSERT, linked later (now)"),
    ):
        rates = results[way]
        growth = f"{rates[4] / rates[2]:.2f}×" if 2 in rates and 4 in rates else "—"
        print(
            f"| {label} | "
            + " | ".join(f"{rates[n]:.0f}/s" for n in WRITERS)
            + f" | {growth} |"
        )
    print(f"\nThe worker links {link_rate:.0f} entries/s (audit.chain.link).")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
