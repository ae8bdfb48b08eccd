"""What a file is, read from its first bytes rather than its name (SPEC §13).

Each accepted extension names the signatures its content may start with; a
file whose content does not match its extension is refused, so a renamed
program or web page cannot pass as a scan.
"""

from __future__ import annotations

import codecs
import io
import zipfile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97, Excel 97, Outlook .msg
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
HEAD_BYTES = 8192


def _starts(*prefixes: bytes):
    return lambda head, fileobj: head.startswith(prefixes)


def _office(folder: str):
    """An Office Open XML file: a zip holding the application's folder."""

    def check(head: bytes, fileobj) -> bool:
        if not head.startswith(ZIP):
            return False
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            fileobj.seek(0)
        return "[Content_Types].xml" in names and any(
            n.startswith(folder) for n in names
        )

    return check


def _text(head: bytes, fileobj) -> bool:
    """Plain text (UTF-8 or GB 18030), which a binary file is not.

    Only the first HEAD_BYTES are read, so a multi-byte character may be cut
    at the end of the sample: it is decoded as a stream that may go on,
    which accepts an unfinished last character and nothing else malformed.
    """
    if b"\x00" in head:
        return False
    cut = len(head) >= HEAD_BYTES
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=not cut)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _mp3(head: bytes, fileobj) -> bool:
    return head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    )


def _wav(head: bytes, fileobj) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WAVE"


def _mp4(head: bytes, fileobj) -> bool:
    return head[4:8] == b"ftyp"


CHECKS = {
    "pdf": _starts(b"%PDF-"),
    "jpg": _starts(b"\xff\xd8\xff"),
    "jpeg": _starts(b"\xff\xd8\xff"),
    "png": _starts(b"\x89PNG\r\n\x1a\n"),
    "tif": _starts(b"II*\x00", b"MM\x00*"),
    "tiff": _starts(b"II*\x00", b"MM\x00*"),
    "doc": _starts(OLE),
    "xls": _starts(OLE),
    "msg": _starts(OLE),
    "docx": _office("word/"),
    "xlsx": _office("xl/"),
    "zip": _starts(*ZIP),
    "txt": _text,
    "csv": _text,
    "eml": _text,
    "mp3": _mp3,
    "wav": _wav,
    "mp4": _mp4,
}


def content_matches(suffix: str, fileobj) -> bool:
    """Whether the content is what the extension says. Unknown kinds: no."""
    check = CHECKS.get(suffix)
    if check is None:
        return False
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    if isinstance(head, str):
        head = head.encode()
    return check(head, fileobj if hasattr(fileobj, "seek") else io.BytesIO(head))
