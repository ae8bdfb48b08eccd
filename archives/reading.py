"""Reading electronic files in the browser (在线阅览) without handing them out.

A file is shown page by page as pictures rendered on the server — from its
long-term copy when there is one (a Word file, an e-mail), else from the
original PDF, picture or text — each with a watermark naming the reader,
their department, the time and "仅供查阅". Recordings play in the page.
A download or a print of a PDF is stamped on every page with who and when.

Clean renders are kept in ``ARCHIVE_PAGE_CACHE`` under the file's SHA-256,
so a page read again costs only its watermark. Nothing here checks rights
or writes the audit log: the views do (``archives.views.reading``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages

PICTURES = {"jpg", "jpeg", "png", "tif", "tiff"}
TEXTS = {"txt", "csv"}
MEDIA = {"mp3": "audio/mpeg", "wav": "audio/wav", "mp4": "video/mp4"}
# A rendered page is this many pixels wide: sharp on a laptop, small to send.
PAGE_WIDTH = 1100
TEXT_LINES = 45
TEXT_COLUMNS = 48


class PageOutOfRange(Exception):
    pass


@dataclass(frozen=True)
class Source:
    """What is shown of a file, and from which stored file."""

    kind: str  # pdf, picture, text, media
    name: str  # in the default store
    sha256: str
    suffix: str

    @property
    def media_type(self) -> str:
        return MEDIA.get(self.suffix, "application/octet-stream")

    @property
    def is_video(self) -> bool:
        return self.media_type.startswith("video/")


def source_of(record_file) -> Source | None:
    """The stored file a reader sees: the PDF/A copy, or the original when
    it can be shown as it is; None for a kind that cannot be read here."""
    copy = getattr(record_file, "preservation", None)
    if copy is not None and copy.state == "made" and copy.file:
        suffix = PurePosixPath(copy.file.name).suffix.lstrip(".").lower()
        kind = "pdf" if suffix == "pdf" else "text"
        return Source(kind, copy.file.name, copy.sha256, suffix)
    suffix = PurePosixPath(record_file.file.name).suffix.lstrip(".").lower()
    name, sha = record_file.file.name, record_file.sha256
    if suffix == "pdf":
        return Source("pdf", name, sha, suffix)
    if suffix in PICTURES:
        return Source("picture", name, sha, suffix)
    if suffix in TEXTS:
        return Source("text", name, sha, suffix)
    if suffix in MEDIA:
        return Source("media", name, sha, suffix)
    return None


def _read(name: str) -> bytes:
    with storages["default"].open(name, "rb") as handle:
        return handle.read()


def _text_of(data: bytes) -> str:
    from archives.probes import decode_text

    decoded = decode_text(data)
    return decoded[0] if decoded else data.decode("utf-8", "replace")


def _text_lines(data: bytes) -> list[str]:
    lines: list[str] = []
    for line in _text_of(data).splitlines() or [""]:
        lines += textwrap.wrap(line, TEXT_COLUMNS) or [""]
    return lines


def page_count(source: Source) -> int:
    if source.kind == "pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(_read(source.name))
        try:
            return len(document)
        finally:
            document.close()
    if source.kind == "picture":
        return 1
    if source.kind == "text":
        return max(1, math.ceil(len(_text_lines(_read(source.name))) / TEXT_LINES))
    return 0


def _font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(
        settings.ARCHIVE_PDF_FONT_PATH,
        size,
        index=settings.ARCHIVE_PDF_FONT_SUBFONT_INDEX,
    )


def _render(source: Source, number: int):
    """Page ``number`` (from 1) as a greyscale-or-colour picture."""
    from PIL import Image
    from PIL import ImageDraw

    if source.kind == "pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(_read(source.name))
        try:
            if not 1 <= number <= len(document):
                raise PageOutOfRange(number)
            page = document[number - 1]
            scale = PAGE_WIDTH / page.get_width()
            return page.render(scale=scale).to_pil()
        finally:
            document.close()
    if source.kind == "picture":
        if number != 1:
            raise PageOutOfRange(number)
        image = Image.open(io.BytesIO(_read(source.name)))
        image.load()
        if image.width > PAGE_WIDTH:
            height = round(image.height * PAGE_WIDTH / image.width)
            image = image.resize((PAGE_WIDTH, height))
        return image.convert("RGB")
    if source.kind == "text":
        lines = _text_lines(_read(source.name))
        pages = max(1, math.ceil(len(lines) / TEXT_LINES))
        if not 1 <= number <= pages:
            raise PageOutOfRange(number)
        chunk = lines[(number - 1) * TEXT_LINES : number * TEXT_LINES]
        image = Image.new("RGB", (PAGE_WIDTH, round(PAGE_WIDTH * 1.414)), "white")
        draw = ImageDraw.Draw(image)
        font = _font(20)
        for i, line in enumerate(chunk):
            draw.text((60, 60 + i * 32), line, font=font, fill="black")
        return image
    raise PageOutOfRange(number)


def _cache_path(source: Source, number: int) -> Path:
    key = hashlib.sha256(f"{source.sha256}:{number}:{PAGE_WIDTH}".encode()).hexdigest()
    return Path(settings.ARCHIVE_PAGE_CACHE) / key[:2] / f"{key}.png"


def clean_page(source: Source, number: int):
    """The page without a watermark, rendered once and kept on disk."""
    from PIL import Image

    path = _cache_path(source, number)
    if path.exists():
        image = Image.open(path)
        image.load()
        return image
    image = _render(source, number)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    image.save(partial, "PNG", optimize=False, compress_level=1)
    partial.replace(path)
    return image


def watermarked(image, lines: list[str]) -> bytes:
    """The page with the reader's watermark across it, tiled diagonally so
    that no part of a photographed page is without it; as JPEG."""
    from PIL import Image

    base = image.convert("RGB")
    mask = _mark_mask("  ".join(lines), base.width, base.height)
    base.paste(Image.new("RGB", base.size, (200, 30, 30)), (0, 0), mask)
    out = io.BytesIO()
    base.save(out, "JPEG", quality=80)
    return out.getvalue()


@functools.lru_cache(maxsize=32)
def _mark_mask(text: str, width: int, height: int):
    """The watermark's shape for a page size: the text drawn once, turned
    30°, and laid end to end along staggered diagonal lines. Kept while it
    is used (the text holds the minute, so a reader's pages of one minute
    share it)."""
    from PIL import Image
    from PIL import ImageDraw

    size = max(18, width // 45)
    font = _font(size)
    left, top, right, bottom = font.getbbox(text)
    line = bottom - top
    tile = Image.new("L", (right - left + size * 3, line + 4), 0)
    ImageDraw.Draw(tile).text((-left, 2 - top), text, font=font, fill=255)
    turned = tile.rotate(30, resample=Image.BICUBIC, expand=True)
    # One tile further along its line, and the distance between lines.
    dx = tile.width * math.cos(math.radians(30))
    dy = tile.width * math.sin(math.radians(30))
    gap = int(line * 5 / math.cos(math.radians(30)))
    mask = Image.new("L", (width, height), 0)
    reach = height + int(width * math.tan(math.radians(30))) + turned.height
    for row, start in enumerate(range(0, reach, gap)):
        # Every other line starts half a tile further along itself.
        half = (row % 2) / 2
        x, y = -turned.width + half * dx, float(start - turned.height) - half * dy
        while x < width and y + turned.height > 0:
            if y < height:
                mask.paste(turned, (int(x), int(y)), turned)
            x += dx
            y -= dy
    return mask.point(lambda value: value * 85 // 255)


def stamped_pdf(data: bytes, text: str) -> bytes:
    """The PDF with ``text`` at the foot of every page (reportlab draws it,
    pikepdf lays it over each page); the original is not changed."""
    import pikepdf
    from reportlab.pdfgen import canvas

    from core.pdfdoc import font_name

    font = font_name()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            box = page.mediabox
            width = float(box[2]) - float(box[0])
            height = float(box[3]) - float(box[1])
            overlay = io.BytesIO()
            sheet = canvas.Canvas(overlay, pagesize=(width, height))
            sheet.setFont(font, 8)
            sheet.setFillColorRGB(0.75, 0.1, 0.1)
            sheet.drawString(18, 10, text)
            sheet.drawRightString(width - 18, height - 14, text)
            sheet.save()
            with pikepdf.open(io.BytesIO(overlay.getvalue())) as stamp:
                page.add_overlay(stamp.pages[0])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def joined_pdf(names: list[str]) -> bytes:
    """The stored PDFs one after the other, as one PDF."""
    import pikepdf

    joined = pikepdf.new()
    opened = []
    try:
        for name in names:
            part = pikepdf.open(io.BytesIO(_read(name)))
            opened.append(part)
            joined.pages.extend(part.pages)
        out = io.BytesIO()
        joined.save(out)
        return out.getvalue()
    finally:
        for part in opened:
            part.close()


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive


class BadRange(Exception):
    pass


def byte_range(header: str, size: int) -> ByteRange | None:
    """One range of ``Range: bytes=…`` (None when there is no header);
    ``BadRange`` for a malformed or unsatisfiable one (answered 416)."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec:
        raise BadRange(header)
    first, dash, last = spec.strip().partition("-")
    if not dash:
        raise BadRange(header)
    try:
        if first == "":
            length = int(last)
            if length <= 0:
                raise BadRange(header)
            start, end = max(0, size - length), size - 1
        else:
            start = int(first)
            end = int(last) if last else size - 1
    except ValueError as error:
        raise BadRange(header) from error
    if start < 0 or start >= size or end < start:
        raise BadRange(header)
    return ByteRange(start, min(end, size - 1))
