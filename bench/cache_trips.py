"""How many times a page asks the shared cache (Redis), counted by Redis.

    BENCH_RECORDS=100000 .venv/bin/python bench/cache_trips.py /catalogue/ /records/5/

Uses the database ``make bench`` loaded and its ``bench`` archivist, as
``bench/profile_page.py`` does; requests go through the whole middleware
stack with Django's test client. Each round trip costs a page 0.1–0.2 ms of
waiting however fast Redis answers (issue 22). Redis's own command counters
before and after 50 requests of each page give the figure.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import archivist_client
from bench.run import django_setup

COMMANDS = ("get", "mget", "set", "setex", "psetex", "exists", "del", "incrby")
REQUESTS = 50


def main() -> None:
    paths = sys.argv[1:] or ["/catalogue/"]
    django_setup()
    import redis
    from django.conf import settings

    client = archivist_client(static=True)
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])

    def trips() -> int:
        stats = server.info("commandstats")
        return sum(
            stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in COMMANDS
        )

    for path in paths:
        for _ in range(5):  # what a first request fills
            assert client.get(path).status_code == 200, path
        before = trips()
        for _ in range(REQUESTS):
            client.get(path)
        per_page = (trips() - before) / REQUESTS
        print(f"{path}: {per_page:.1f} round trips to Redis a page")


if __name__ == "__main__":
    main()
