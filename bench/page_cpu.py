"""A page's CPU time in this process, which a busy machine disturbs less than
the time a client waits.

    BENCH_RECORDS=100000 .venv/bin/python bench/page_cpu.py /catalogue/ /records/5/
    BENCH_RECORDS=100000 .venv/bin/python bench/page_cpu.py --as staffCS812 /records/95/

Uses the database ``make bench`` loaded and its ``bench`` archivist (or the
person ``--as`` names); requests go through the whole middleware stack with
Django's test client, as ``bench/profile_page.py``'s do. For each page: 15
requests to warm up, then 11 rounds of 30, and the median and the least of
the rounds' CPU time a request (``time.process_time``: this process only,
not PostgreSQL's or Redis's, and not the time spent waiting for them). Run
two versions alternately to compare them (issue 22: the shared machines'
wall-clock figures moved by half from one run to the next).
"""

from __future__ import annotations

import statistics
import sys
import time
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
    if arguments[:1] == ["--as"]:
        username, arguments = arguments[1], arguments[2:]
    django_setup()
    client = archivist_client(static=True, username=username)
    for path in arguments or ["/catalogue/"]:
        for _ in range(WARM):
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"{path}: {status}")
        rounds = []
        for _ in range(ROUNDS):
            began = time.process_time()
            for _ in range(PER_ROUND):
                client.get(path)
            rounds.append((time.process_time() - began) / PER_ROUND * 1000)
        print(
            f"{username:12} {path[:48]:48} median {statistics.median(rounds):6.2f}"
            f"  least {min(rounds):6.2f} ms CPU a request",
            flush=True,
        )


if __name__ == "__main__":
    main()
