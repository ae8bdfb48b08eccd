"""A page's CPU time in this process, which a busy machine disturbs less than
the time a client waits.

    BENCH_RECORDS=100000 .venv/bin/python bench/page_cpu.py /catalogue/ /records/5/
    BENCH_RECORDS=100000 .venv/bin/python bench/page_cpu.py --as staffCS812 /records/95/
    BENCH_RECORDS=100000 .venv/bin/python bench/page_cpu.py --statements /records/5/

Uses the database ``make bench`` loaded and its ``bench`` archivist (or the
person ``--as`` names); requests go through the whole middleware stack with
Django's test client, as ``bench/profile_page.py``'s do. For each page: 15
requests to warm up, then 11 rounds of 30, and the median and the least of
the rounds' CPU time a request (``time.process_time``: this process only,
not PostgreSQL's or Redis's, and not the time spent waiting for them), and
the median wall-clock time a request (which has them: PostgreSQL's work,
such as planning, shows there and not in the CPU time), and of it the time
spent waiting for the database's answers (``--statements``: by statement,
slowest first). Run
two versions alternately to compare them (issue 22: the shared machines'
wall-clock figures moved by half from one run to the next).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import archivist_client
from bench.run import django_setup

WARM = 15
ROUNDS = 11
PER_ROUND = 30


def main() -> None:
    arguments = sys.argv[1:]
    username = "bench"
    statements = "--statements" in arguments
    arguments = [a for a in arguments if a != "--statements"]
    if arguments[:1] == ["--as"]:
        username, arguments = arguments[1], arguments[2:]
    django_setup()
    from django.db import connection

    from core.joins import without_setting
    from core.prepared import written_out

    waited: dict[str, float] = defaultdict(float)
    counted: dict[str, int] = defaultdict(int)

    def timed(execute, sql, params, many, context):
        clock = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            # By statement (a prepared one by its name), values left out.
            key = without_setting(sql)
            if key.startswith("EXECUTE "):
                key = key.split("(", 1)[0]
            waited[key] += time.perf_counter() - clock
            counted[key] += 1

    def shown(sql: str) -> str:
        """A statement as it reads (a prepared one's own text), after the
        rounds: looking it up is a query of its own."""
        text = written_out(sql)
        if text.startswith("PREPARE"):
            return "(prepared) " + text.split(" AS ", 1)[-1]
        return text

    client = archivist_client(static=True, username=username)
    for path in arguments or ["/catalogue/"]:
        for _ in range(WARM):
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"{path}: {status}")
        rounds, walls, waits = [], [], []
        for _ in range(ROUNDS):
            waited.clear()
            counted.clear()
            began, clock = time.process_time(), time.perf_counter()
            with connection.execute_wrapper(timed):
                for _ in range(PER_ROUND):
                    client.get(path)
            rounds.append((time.process_time() - began) / PER_ROUND * 1000)
            walls.append((time.perf_counter() - clock) / PER_ROUND * 1000)
            waits.append(sum(waited.values()) / PER_ROUND * 1000)
        print(
            f"{username:12} {path[:48]:48} median {statistics.median(rounds):6.2f}"
            f"  least {min(rounds):6.2f} ms CPU a request;"
            f" wall {statistics.median(walls):6.2f},"
            f" waiting for the database {statistics.median(waits):5.2f}",
            flush=True,
        )
        if statements:
            for sql, seconds in sorted(waited.items(), key=lambda kv: -kv[1]):
                print(
                    f"    {seconds / PER_ROUND * 1000:6.2f} ms"
                    f" {counted[sql] / PER_ROUND:4.1f}×  {shown(sql)[:100]}"
                )


if __name__ == "__main__":
    main()
