"""Where a page's time goes: one page of the bench archive, profiled in-process.

    .venv/bin/python bench/profile_page.py /catalogue/            # 100 requests
    BENCH_RECORDS=100000 .venv/bin/python bench/profile_page.py /records/5/ 200

Uses the database ``make bench`` loaded (BENCH_RECORDS records) and its
``bench`` archivist; requests go through the whole middleware stack with
Django's test client (no gunicorn, no network). Prints the mean time per
request and pyinstrument's call tree (pip install pyinstrument; a tool for
looking, not a dependency of the product).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import archivist_client
from bench.run import django_setup


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/catalogue/"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    django_setup()
    from pyinstrument import Profiler

    client = archivist_client(static=True)
    for _ in range(20):
        assert client.get(path).status_code == 200
    began = time.perf_counter()
    for _ in range(count):
        client.get(path)
    mean = (time.perf_counter() - began) / count * 1000
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(count):
        client.get(path)
    profiler.stop()
    print(f"{path}: {mean:.2f} ms a request (mean of {count}, unprofiled)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
