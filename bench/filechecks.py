"""Time of the four checks' per-file work (issue 17): opening a file with its
reader and a virus scan by a real clamd, for a 20-page and a 200-page PDF, a
20-page scan (pictures only), a 1 MB Word file and a 10-minute recording.

    .venv/bin/python bench/filechecks.py

Prints one line per file: its size, the probe's and the scan's time (median
of five). clamd runs with the test signature folder (tests/clamd.py); with
the full official signatures a scan takes longer (more patterns to match).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def _scan_pdf(pages: int) -> bytes:
    """An image-only PDF, as a scanner makes it: one grey A4 picture a page."""
    from PIL import Image
    from PIL import ImageDraw

    frames = []
    for n in range(pages):
        image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
        ImageDraw.Draw(image).text((100, 100 + n), f"page {n + 1}", fill=0)
        frames.append(image)
    buffer = io.BytesIO()
    frames[0].save(buffer, "PDF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def _docx_1mb() -> bytes:
    import zipfile

    from tests import samples

    text = "客户投诉处理记录。" * 60_000  # about 1 MB of XML once zipped loosely
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.docx())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace("客户投诉处理记录".encode(), text.encode())
            target.writestr(info, data)
    return buffer.getvalue()


def _median(fn, times: int = 5) -> float:
    runs = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from archives.probes import probe
    from core import clamav
    from tests import clamd
    from tests import samples

    folder = tempfile.mkdtemp(prefix="bench-clamd-")
    settings.ARCHIVE_CLAMD_SOCKET = os.path.join(folder, "clamd.sock")
    daemon = clamd.start(settings.ARCHIVE_CLAMD_SOCKET)
    files = {
        "20-page PDF (text)": ("pdf", samples.pdf("客户来电记录", pages=20)),
        "200-page PDF (text)": ("pdf", samples.pdf("客户来电记录", pages=200)),
        "20-page scan (images)": ("pdf", _scan_pdf(20)),
        "1 MB Word file": ("docx", _docx_1mb()),
        "10-minute recording": ("mp3", samples.mp3(600)),
    }
    try:
        print(f"{'file':24} {'size':>10} {'probe s':>8} {'scan s':>8}")
        for name, (suffix, data) in files.items():
            opened = probe(suffix, io.BytesIO(data))
            assert opened.opens, (name, opened)
            probe_s = _median(lambda s=suffix, d=data: probe(s, io.BytesIO(d)))
            scan_s = _median(lambda d=data: clamav.scan(io.BytesIO(d)))
            print(f"{name:24} {len(data):>10,} {probe_s:>8.3f} {scan_s:>8.3f}")
    finally:
        clamd.stop(daemon)


if __name__ == "__main__":
    main()
