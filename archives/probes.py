"""Whether a file really opens (the usability check of 四性检测), and what it
holds technically: a PDF's pages, a picture's size, a recording's length.

Each kind is opened by the library that reads it: PDFs by PDFium
(pypdfium2, which also renders the first page), pictures by Pillow, Word and
Excel files by their own structure (zip and XML, or OLE with olefile),
recordings by mutagen, e-mails by the standard library. A probe never
raises: it says what it found (``Probe``).
"""

from __future__ import annotations

import email
import io
import struct
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from dataclasses import field
from email import policy

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A part of an Office file larger than this is not parsed (a zip bomb).
MAX_PART_BYTES = 200 * 1024 * 1024


@dataclass
class Probe:
    """What opening a file found.

    ``code`` names the outcome for the check report (``opens``,
    ``does_not_open``, ``encrypted``, ``container``); ``technical`` is kept
    on the file (pages, size, duration, codec …)."""

    code: str
    technical: dict = field(default_factory=dict)
    detail: str = ""

    @property
    def opens(self) -> bool:
        return self.code == "opens"


def _read(fileobj) -> bytes:
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _pdf(data: bytes) -> Probe:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            return Probe("encrypted", detail=str(error))
        return Probe("does_not_open", detail=str(error))
    try:
        pages = len(document)
        if pages == 0:
            return Probe("does_not_open", detail="no pages")
        page = document[0]
        width, height = page.get_size()
        page.render(scale=0.25).to_pil()  # the first page really renders
        text = page.get_textpage().get_text_range()
        return Probe(
            "opens",
            technical={
                "pages": pages,
                "page_size_mm": [round(width * 25.4 / 72), round(height * 25.4 / 72)],
                "text_layer": bool(text.strip()),
                "pdf_version": document.get_version(),
            },
        )
    except pdfium.PdfiumError as error:
        return Probe("does_not_open", detail=str(error))
    finally:
        document.close()


def _image(data: bytes) -> Probe:
    from PIL import Image
    from PIL import UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return Probe(
                "opens",
                technical={
                    "width": image.width,
                    "height": image.height,
                    "mode": image.mode,
                    "frames": getattr(image, "n_frames", 1),
                },
            )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        return Probe("does_not_open", detail=str(error))
    except Image.DecompressionBombError as error:
        return Probe("does_not_open", detail=str(error))


def _ooxml(data: bytes, main: str) -> Probe:
    """A .docx or .xlsx: a zip whose main part is well-formed XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(main)
            if info.file_size > MAX_PART_BYTES:
                return Probe("does_not_open", detail=f"{main} too large")
            ET.fromstring(archive.read(main))  # noqa: S314 - size-checked part
            parts = len(archive.namelist())
    except KeyError:
        return Probe("does_not_open", detail=f"no {main}")
    except (zipfile.BadZipFile, ET.ParseError, OSError, ValueError) as error:
        return Probe("does_not_open", detail=str(error))
    return Probe("opens", technical={"parts": parts})


def _ole(data: bytes, kind: str) -> Probe:
    """A Word 97 / Excel 97 / Outlook file: an OLE container with its stream."""
    import olefile

    if not data.startswith(OLE_MAGIC):
        return Probe("does_not_open", detail="not an OLE file")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
            if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
                return Probe("encrypted", detail="encrypted Office package")
            if kind == "doc":
                if "WordDocument" not in streams:
                    return Probe("does_not_open", detail="no WordDocument stream")
                fib = ole.openstream("WordDocument").read(12)
                flags = struct.unpack_from("<H", fib, 10)[0] if len(fib) >= 12 else 0
                if flags & 0x0100:  # fEncrypted
                    return Probe("encrypted", detail="password-protected document")
            elif kind == "xls":
                name = "Workbook" if "Workbook" in streams else "Book"
                if name not in streams:
                    return Probe("does_not_open", detail="no Workbook stream")
                head = ole.openstream(name).read(4096)
                if _xls_filepass(head):
                    return Probe("encrypted", detail="password-protected workbook")
            elif kind == "msg" and not any(
                s.startswith("__substg1.0_") for s in streams
            ):
                return Probe("does_not_open", detail="no message properties")
            return Probe("opens", technical={"streams": len(streams)})
    except (OSError, ValueError) as error:
        return Probe("does_not_open", detail=str(error))


def _xls_filepass(head: bytes) -> bool:
    """Whether the workbook's first records hold FILEPASS (0x002F)."""
    offset = 0
    while offset + 4 <= len(head):
        record, length = struct.unpack_from("<HH", head, offset)
        if record == 0x002F:
            return True
        if record == 0x000A:  # EOF of the globals
            return False
        offset += 4 + length
    return False


def _audio(data: bytes, suffix: str) -> Probe:
    from mutagen.mp3 import MP3
    from mutagen.wave import WAVE

    reader = MP3 if suffix == "mp3" else WAVE
    try:
        audio = reader(io.BytesIO(data))
    except Exception as error:
        return Probe("does_not_open", detail=str(error) or type(error).__name__)
    info = audio.info
    if info is None or not getattr(info, "length", 0):
        return Probe("does_not_open", detail="no playable stream")
    return Probe(
        "opens",
        technical={
            "seconds": round(info.length, 1),
            "codec": "MPEG audio" if suffix == "mp3" else "PCM WAVE",
            "sample_rate": getattr(info, "sample_rate", None),
            "channels": getattr(info, "channels", None),
            "bitrate": getattr(info, "bitrate", None),
        },
    )


def _email(data: bytes) -> Probe:
    try:
        message = email.message_from_bytes(data, policy=policy.default)
        if not (message["From"] or message["Subject"] or message["Date"]):
            return Probe("does_not_open", detail="no e-mail headers")
        attachments = [p.get_filename() or "" for p in message.iter_attachments()]
    except Exception as error:
        return Probe("does_not_open", detail=str(error) or type(error).__name__)
    return Probe(
        "opens",
        technical={
            "from": str(message["From"] or "")[:200],
            "subject": str(message["Subject"] or "")[:200],
            "date": str(message["Date"] or "")[:60],
            "attachments": len(attachments),
        },
    )


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """The ISO base media boxes (MP4 atoms) between start and end: (type,
    payload start, payload end)."""
    end = len(data) if end is None else end
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        head = 8
        if size == 1:
            if offset + 16 > end:
                return
            size = struct.unpack_from(">Q", data, offset + 8)[0]
            head = 16
        elif size == 0:
            size = end - offset
        if size < head or offset + size > end:
            raise ValueError(f"box {kind!r} runs past its container")
        yield kind, offset + head, offset + size
        offset += size


def _child(data: bytes, start: int, end: int, kind: bytes):
    for found, a, b in _boxes(data, start, end):
        if found == kind:
            return a, b
    return None


def _mp4(data: bytes) -> Probe:
    """A video: its movie header's duration and its tracks' kinds (ISO/IEC
    14496-12, read here: mutagen reads only the sound of an MP4)."""
    try:
        top = {kind: (a, b) for kind, a, b in _boxes(data)}
        if b"ftyp" not in top or b"moov" not in top:
            return Probe("does_not_open", detail="no ftyp or moov box")
        moov = top[b"moov"]
        header = _child(data, *moov, b"mvhd")
        if header is None:
            return Probe("does_not_open", detail="no movie header")
        version = data[header[0]]
        if version == 1:
            scale, duration = struct.unpack_from(">IQ", data, header[0] + 20)
        else:
            scale, duration = struct.unpack_from(">II", data, header[0] + 12)
        tracks = []
        for kind, a, b in _boxes(data, *moov):
            if kind != b"trak":
                continue
            media = _child(data, a, b, b"mdia")
            handler = _child(data, *media, b"hdlr") if media else None
            if handler:
                tracks.append(data[handler[0] + 8 : handler[0] + 12].decode("latin-1"))
    except (ValueError, struct.error) as error:
        return Probe("does_not_open", detail=str(error))
    if not scale or not duration:
        return Probe("does_not_open", detail="no duration")
    if not {"vide", "soun"} & set(tracks):
        return Probe("does_not_open", detail="no video or sound track")
    return Probe(
        "opens",
        technical={
            "seconds": round(duration / scale, 1),
            "tracks": tracks,
            "brand": data[8:12].decode("latin-1").strip(),
        },
    )


TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> tuple[str, str] | None:
    """A text file's text and its encoding (UTF-8, else GB 18030); None
    when it is neither."""
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _text(data: bytes) -> Probe:
    decoded = decode_text(data)
    if decoded is None:
        return Probe("does_not_open", detail="not UTF-8 or GB 18030 text")
    text, encoding = decoded
    return Probe("opens", technical={"characters": len(text), "encoding": encoding})


def probe(suffix: str, fileobj) -> Probe:
    """Open the file as its (checked) extension says, and tell what it found."""
    data = _read(fileobj)
    if not data:
        return Probe("does_not_open", detail="empty")
    if suffix == "pdf":
        return _pdf(data)
    if suffix in {"jpg", "jpeg", "png", "tif", "tiff"}:
        return _image(data)
    if suffix == "docx":
        return _ooxml(data, "word/document.xml")
    if suffix == "xlsx":
        return _ooxml(data, "xl/workbook.xml")
    if suffix in {"doc", "xls", "msg"}:
        return _ole(data, suffix)
    if suffix in {"mp3", "wav"}:
        return _audio(data, suffix)
    if suffix == "mp4":
        return _mp4(data)
    if suffix == "eml":
        return _email(data)
    if suffix in {"txt", "csv"}:
        return _text(data)
    if suffix == "zip":
        return Probe("container", detail="zip archive")
    return Probe("does_not_open", detail=f"no reader for .{suffix}")


def encrypted_office(fileobj) -> bool:
    """An Office Open XML file saved with a password is an OLE container
    (EncryptedPackage), not a zip: it fails the content check as a .docx or
    .xlsx, and is told apart here to say why."""
    import olefile

    data = _read(fileobj)
    if not data.startswith(OLE_MAGIC):
        return False
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo")
    except (OSError, ValueError):
        return False
