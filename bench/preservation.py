"""Time of a file's whole work in the worker (issue 17): the checks (open
and virus scan) and the long-term copy with its text — OCR of every page and
PDF/A for a 20-page scan; LibreOffice for a 1 MB Word file of short
paragraphs (as people write) and one of a single
550,000-character paragraph (LibreOffice lays that out slowly).

    .venv/bin/python bench/preservation.py [--jobs 2]

``--jobs`` is how many pages Tesseract reads at once (``ARCHIVE_OCR_JOBS``;
the target is for 2 cores). Prints one line per file: its size, the checks'
time, the copy's time and the characters read. clamd runs with the test
signature folder (tests/clamd.py).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LINES = [
    "客户服务登记表",
    "客户反映快递包裹在运输途中破损严重，要求退换货。",
    "处理人员已于当日联系物流公司核实情况。",
    "Order number ABC-12345  金额 1,280.00 元",
    "客户签字确认处理结果，满意度评价为满意。",
]


def scan_pdf(pages: int) -> bytes:
    """A 300 dpi A4 scan, pictures only, a few lines of Chinese a page."""
    from PIL import Image
    from PIL import ImageDraw
    from PIL import ImageFont

    from tests.samples import FONT

    font = ImageFont.truetype(FONT, 42)
    frames = []
    for n in range(pages):
        image = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(LINES):
            draw.text((200, 300 + 120 * i), line, font=font, fill=0)
        draw.text((200, 3200), f"第 {n + 1} 页", font=font, fill=0)
        frames.append(image)
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "PDF", resolution=300, save_all=True, append_images=frames[1:]
    )
    return buffer.getvalue()


def docx_paragraphs(paragraphs: int) -> bytes:
    """A Word file of short paragraphs (180 characters each), uncompressed:
    1,800 of them make about 1 MB and 160 pages."""
    import zipfile

    from tests import samples

    text = "客户投诉处理记录。" * 20
    body = "".join(
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for _ in range(paragraphs)
    )
    one = "<w:p><w:r><w:t>客户投诉处理记录</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.docx())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(one.encode(), body.encode())
            target.writestr(info, data)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from filechecks import _docx_1mb

    from archives.preservation import make_copy
    from archives.probes import probe
    from core import clamav
    from tests import clamd
    from tests import samples

    settings.ARCHIVE_OCR_JOBS = options.jobs
    folder = tempfile.mkdtemp(prefix="bench-copy-")
    settings.ARCHIVE_CLAMD_SOCKET = os.path.join(folder, "clamd.sock")
    settings.ARCHIVE_SOFFICE_PROFILE = os.path.join(folder, "libreoffice")
    daemon = clamd.start(settings.ARCHIVE_CLAMD_SOCKET)
    files = {
        "20-page scan, 300 dpi": ("pdf", scan_pdf(20)),
        "1 MB Word, paragraphs": ("docx", docx_paragraphs(1800)),
        "1 MB Word, 1 paragraph": ("docx", _docx_1mb()),
    }
    try:
        # LibreOffice's first start makes its profile; a worker does it once.
        warm = Path(tempfile.mkdtemp(dir=folder))
        (warm / "a.docx").write_bytes(samples.docx())
        make_copy(warm / "a.docx", "docx", warm)
        clamav.scan(io.BytesIO(b"warm"))  # clamd's first answer loads its database
        print(f"OCR jobs: {options.jobs}; cores: {os.cpu_count()}")
        print(f"{'file':24} {'size':>11} {'checks s':>9} {'copy s':>8} {'chars':>8}")
        for name, (suffix, data) in files.items():
            work = Path(tempfile.mkdtemp(dir=folder))
            source = work / f"original.{suffix}"
            source.write_bytes(data)
            start = time.perf_counter()
            assert probe(suffix, io.BytesIO(data)).opens
            assert clamav.scan(io.BytesIO(data)).clean
            checked = time.perf_counter()
            made = make_copy(source, suffix, work)
            done = time.perf_counter()
            print(
                f"{name:24} {len(data):>11,} {checked - start:>9.2f} "
                f"{done - checked:>8.2f} {len(made.text):>8,}"
            )
    finally:
        clamd.stop(daemon)


if __name__ == "__main__":
    main()
