"""Real files of each kind the archive takes, made by the tests themselves
(reportlab, Pillow, the standard library), so that the four checks open them
as they would open a filer's files."""

from __future__ import annotations

import datetime
import functools
import io
import itertools
import wave
import zipfile

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@functools.cache
def pdf(text: str = "客户来电记录", pages: int = 1) -> bytes:
    """A PDF with a text layer, ``pages`` pages long."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        page.setFont("WQY", 14)
        page.drawString(72, 760, f"{text} {number}")
        page.showPage()
    page.save()
    return buffer.getvalue()


@functools.cache
def png(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def mp3(seconds: int = 1) -> bytes:
    """Silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz)."""
    frame = bytes([0xFF, 0xFB, 0x90, 0x64]) + b"\x00" * 413
    return frame * (38 * seconds + 2)


@functools.cache
def wav(seconds: int = 1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000 * seconds)
    return buffer.getvalue()


@functools.cache
def docx(text: str = "客户投诉处理记录") -> bytes:
    """The smallest Word file Word and LibreOffice both open: content
    types, the package relationship and one paragraph."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}.'
            'document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://'
            'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def eml(subject: str = "发票咨询") -> bytes:
    return (
        "From: customer@example.com\r\nTo: service@example.com\r\n"
        f"Subject: {subject}\r\nDate: Mon, 30 Nov 2026 09:00:00 +0800\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n请开具发票。\r\n"
    ).encode()


def encrypted_pdf() -> bytes:
    """The sample PDF saved with an open password (pypdfium2 cannot write
    encryption; the file is made by qpdf-free means: reportlab's encrypt)."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(
        buffer, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0)
    )
    page.drawString(72, 760, "locked")
    page.save()
    return buffer.getvalue()


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "inside")
    return buffer.getvalue()


def broken_mp3() -> bytes:
    """A recording whose header is cut: an ID3 tag and then nothing playable."""
    return b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + b"garbage" * 20


@functools.cache
def jpg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return buffer.getvalue()


@functools.cache
def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "客户台账"
    book.save(buffer)
    return buffer.getvalue()


@functools.cache
def scan(sentence: str, pages: int = 1) -> bytes:
    """A scanned form: pictures of pages at 300 dpi, no text layer, the
    sentence written on each in a Chinese font."""
    from PIL import Image
    from PIL import ImageDraw
    from PIL import ImageFont

    font = ImageFont.truetype(FONT, 48)
    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(image)
        draw.text((200, 300), "客户服务登记表", font=font, fill=0)
        draw.text((200, 450), sentence, font=font, fill=0)
        draw.text((200, 600), f"第 {number} 页", font=font, fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(
        buffer, "PDF", resolution=300, save_all=True, append_images=images[1:]
    )
    return buffer.getvalue()


def eml_with_attachment(*, subject: str, body: str, name: str, data: str) -> bytes:
    """An e-mail with a text body and one text attachment."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "customer@example.com"
    message["To"] = "service@example.com"
    message["Subject"] = subject
    message["Date"] = "Mon, 30 Nov 2026 09:00:00 +0800"
    message.set_content(body)
    message.add_attachment(
        data.encode(), maintype="text", subtype="plain", filename=name
    )
    return message.as_bytes()


def mail(
    *,
    sender: str = "customer@example.com",
    subject: str = "发票咨询",
    body: str = "您好，请问发票什么时候开？",
    message_id: str | None = None,
    attachments: tuple[tuple[str, bytes], ...] = (),
    date: str = "Mon, 30 Nov 2026 09:00:00 +0800",
) -> bytes:
    """A customer's e-mail with any attachments (name, bytes), as a mail
    server keeps it."""
    import mimetypes
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = sender
    message["To"] = "service@example.com"
    message["Subject"] = subject
    message["Date"] = date
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    for name, data in attachments:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        main, sub = kind.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


def broken_mail() -> bytes:
    """A multipart message whose parts never start: its boundary is not in
    the body (cut off by a mail gateway)."""
    return (
        b"From: customer@example.com\r\n"
        b"To: service@example.com\r\n"
        b"Subject: =?utf-8?b?5oqV6K+J?=\r\n"
        b"Message-ID: <broken-1@example.com>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n'
        b"\r\n"
        b"--ABC\r\nContent-Type: text/plain\r\n\r\nhalf a mess\r\n"
    )


def mp4(seconds: int = 60, tracks: tuple[bytes, ...] = (b"vide", b"soun")) -> bytes:
    """An MP4 container (ISO/IEC 14496-12) of the given length: its boxes
    as a camera writes them (ftyp, moov with mvhd and a trak per track,
    mdat), the media data itself blank."""
    import struct

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    scale = 1000
    mvhd = box(
        b"mvhd",
        b"\x00\x00\x00\x00"  # version 0, flags
        + struct.pack(">IIII", 0, 0, scale, seconds * scale)
        + b"\x00" * 80,
    )
    traks = b"".join(
        box(
            b"trak",
            box(
                b"mdia",
                box(b"hdlr", b"\x00" * 8 + kind + b"\x00" * 12 + b"\x00"),
            ),
        )
        for kind in tracks
    )
    return (
        box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + box(b"moov", mvhd + traks)
        + box(b"mdat", b"\x00" * 4096)
    )


def _compound_file(streams: dict[tuple[str, ...], bytes]) -> bytes:
    """An OLE compound file (MS-CFB, version 3) holding ``streams`` by path,
    the storages made from the paths: streams under 4,096 bytes in the mini
    stream, larger ones in sectors of their own; siblings chained to the
    right."""
    import struct

    sector, mini, cutoff = 512, 64, 4096
    end, free, fat_mark, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    storages = {(): 0}
    for path, data in streams.items():
        for depth in range(1, len(path)):
            if path[:depth] not in storages:
                storages[path[:depth]] = len(entries)
                entries[storages[path[: depth - 1]]]["children"].append(len(entries))
                entries.append(
                    {"name": path[depth - 1], "type": 1, "children": [], "data": b""}
                )
        entries[storages[path[:-1]]]["children"].append(len(entries))
        entries.append({"name": path[-1], "type": 2, "children": [], "data": data})

    def chain(first: int, count: int) -> list[int]:
        return [first + i + 1 for i in range(count - 1)] + [end]

    # Small streams into the mini stream, with their MiniFAT chains.
    ministream, minifat = b"", []
    for entry in entries:
        entry["start"], entry["size"] = end, len(entry["data"])
        if entry["type"] == 2 and 0 < len(entry["data"]) < cutoff:
            count = -(-len(entry["data"]) // mini)
            entry["start"] = len(minifat)
            minifat += chain(len(minifat), count)
            ministream += entry["data"].ljust(count * mini, b"\x00")
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    blocks = []  # (data) laid out after the FAT sector, in order

    def place(data: bytes) -> int:
        first = 1 + sum(len(b) for b in blocks) // sector
        blocks.append(data.ljust(-(-len(data) // sector) * sector, b"\x00"))
        return first

    directory_sectors = -(-len(entries) // 4)
    place(b"\x00" * directory_sectors * sector)  # filled in below
    minifat_start = place(minifat_bytes) if minifat else end
    root = entries[0]
    if ministream:
        root["start"], root["size"] = place(ministream), len(ministream)
    for entry in entries:
        if entry["type"] == 2 and len(entry["data"]) >= cutoff:
            entry["start"] = place(entry["data"])
    fat = [fat_mark]
    for block in blocks:
        fat += chain(len(fat), len(block) // sector)
    assert len(fat) <= sector // 4, "a sample this small needs one FAT sector"
    fat += [free] * (sector // 4 - len(fat))
    right = {}
    for entry in entries:
        kids = entry["children"]
        for a, b in itertools.pairwise(kids):
            right[a] = b
    directory = b""
    for index, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,  # black
            none,
            right.get(index, none),
            entry["children"][0] if entry["children"] else none,
            b"\x00" * 16,
            0,
            0,
            0,
            entry["start"],
            entry["size"],
        )
    blocks[0] = directory.ljust(directory_sectors * sector, b"\x00")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        1,  # FAT sectors
        1,  # first directory sector
        0,
        cutoff,
        minifat_start,
        -(-len(minifat_bytes) // sector),
        end,
        0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    return header + struct.pack(f"<{sector // 4}I", *fat) + b"".join(blocks)


def outlook_msg(
    *,
    sender: str = "customer@example.com",
    sender_name: str = "王经理",
    subject: str = "发票咨询",
    body: str = "您好，请问发票什么时候开？",
    message_id: str = "<outlook-1@example.com>",
    sent: datetime.datetime | None = None,
    attachments: tuple[tuple[str, bytes], ...] = (),
) -> bytes:
    """An Outlook .msg (MS-OXMSG) as Outlook saves one: the message's
    properties as streams, each attachment in a storage of its own."""
    import struct

    def text(value: str) -> bytes:
        return value.encode("utf-16-le")

    sent = sent or datetime.datetime(2026, 11, 30, 1, 0, tzinfo=datetime.UTC)
    epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.UTC)
    ticks = int((sent - epoch).total_seconds() * 10_000_000)
    properties = b"\x00" * 32 + struct.pack("<HHIQ", 0x0040, 0x0039, 6, ticks)
    streams = {
        ("__properties_version1.0",): properties,
        ("__substg1.0_0037001F",): text(subject),
        ("__substg1.0_1000001F",): text(body),
        ("__substg1.0_0C1A001F",): text(sender_name),
        ("__substg1.0_5D01001F",): text(sender),
        ("__substg1.0_1035001F",): text(message_id),
    }
    for n, (name, data) in enumerate(attachments):
        folder = f"__attach_version1.0_#{n:08X}"
        streams[(folder, "__substg1.0_3707001F")] = text(name)
        streams[(folder, "__substg1.0_37010102")] = data
    return _compound_file(streams)
