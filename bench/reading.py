"""Time of reading files in the browser (issue 18): a page's first render,
the same page again from the render cache with the reader's watermark, and
the first bytes of a one-hour recording asked by range — the server's work
of ``archives.views.reading``, without the network.

    .venv/bin/python bench/reading.py

Prints p50 and p95 over 50 tries (the first render: over 20 PDFs never
rendered before).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] * 1000


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from archives import reading
    from tests import samples

    folder = tempfile.mkdtemp(prefix="bench-reading-")
    settings.ARCHIVE_PAGE_CACHE = os.path.join(folder, "cache")
    store = storages["default"]
    mark = ["王销售 销售部", "2026-12-01 10:00", "仅供查阅"]

    first = []
    for n in range(20):
        name = store.save(
            f"bench/{n}.pdf", ContentFile(samples.pdf(f"客户投诉处理单{n}", pages=3))
        )
        source = reading.Source("pdf", name, f"bench-{n}-{time.time()}", "pdf")
        start = time.perf_counter()
        reading.watermarked(reading.clean_page(source, 1), mark)
        first.append(time.perf_counter() - start)

    cached = []
    for _ in range(50):
        start = time.perf_counter()
        reading.watermarked(reading.clean_page(source, 1), mark)
        cached.append(time.perf_counter() - start)

    hour = samples.mp3(3600)
    name = store.save("bench/hour.mp3", ContentFile(hour))
    source = reading.Source("media", name, "hour", "mp3")
    starts = []
    for n in range(50):
        start = time.perf_counter()
        size = store.size(name)
        wanted = reading.byte_range(f"bytes={n * 100_000}-", size)
        with store.open(name, "rb") as handle:
            handle.seek(wanted.start)
            handle.read(64 * 1024)
        starts.append(time.perf_counter() - start)

    print(f"{'what':44} {'p50 ms':>8} {'p95 ms':>8} {'target':>8}")
    rows = [
        ("first render of a page, with watermark", first, 500),
        ("page again from the cache, with watermark", cached, 100),
        (f"one-hour recording ({len(hour):,} B), first bytes", starts, 300),
    ]
    for label, values, target in rows:
        p50, p95 = _p(values, 0.5), _p(values, 0.95)
        print(f"{label:44} {p50:>8.1f} {p95:>8.1f} {target:>8}")
    print(f"(median of all first renders {statistics.median(first) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
