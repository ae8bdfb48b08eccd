"""An e-mail read for filing: its Message-ID, sender, subject, date, body
and attachments, from an RFC 822 message (.eml, or what an IMAP server
sends) or an Outlook .msg (read with olefile, BSD; extract-msg is GPL).

Only reading happens here; ``archives.services.mailin`` files what is read.
A message whose MIME structure is broken, or an attachment that cannot be
decoded, is refused as a whole with the reason: nothing of it is filed.
"""

from __future__ import annotations

import datetime
import email
import hashlib
import html
import io
import re
import struct
from dataclasses import dataclass
from dataclasses import field
from email import errors as mime_errors
from email import policy
from email.utils import getaddresses
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath

# Defects after which the parts of a message cannot be trusted: a part may
# be cut off, two parts run together, an attachment decoded to garbage.
BROKEN = (
    mime_errors.StartBoundaryNotFoundDefect,
    mime_errors.CloseBoundaryNotFoundDefect,
    mime_errors.MultipartInvariantViolationDefect,
    mime_errors.NoBoundaryInMultipartDefect,
    mime_errors.InvalidBase64CharactersDefect,
    mime_errors.InvalidBase64LengthDefect,
    mime_errors.InvalidBase64PaddingDefect,
    mime_errors.MissingHeaderBodySeparatorDefect,
)


class MailUnreadable(ValueError):
    """The message cannot be read whole; ``code`` says why, for the reader's
    language (``archives.services.mailin.REASONS``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail[:300]


@dataclass
class Attachment:
    name: str
    data: bytes


@dataclass
class Mail:
    message_id: str
    sender: str  # the address, lower case
    sender_name: str
    to: str
    subject: str
    sent_at: datetime.datetime | None
    body: str
    attachments: list[Attachment] = field(default_factory=list)


def headers_of(raw: bytes) -> tuple[str, str, str]:
    """Message-ID, sender and subject of a message that cannot be read whole
    (its headers usually can), to tell which message was refused."""
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
        addresses = getaddresses([str(message["From"] or "")])
        return (
            str(message["Message-ID"] or "").strip(),
            (addresses[0][1] if addresses else "").strip().lower(),
            str(message["Subject"] or "").strip(),
        )
    except Exception:  # headers broken too: the message's hash tells it
        return "", "", ""


def key_of(raw: bytes, message_id: str) -> str:
    """What tells a message apart from every other: its Message-ID, or the
    hash of its bytes when it has none."""
    if message_id:
        return message_id[:300]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _html_text(text: str) -> str:
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def body_text(message) -> str:
    """A message's text: its plain part, else its HTML part as text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = _html_text(text)
    return text.strip()


def _safe_name(name: str, n: int) -> str:
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    return name or f"attachment-{n}.bin"


def attachments_of(message) -> list[Attachment]:
    """Each attachment's bytes as attached (transfer encoding undone); a
    forwarded message is kept whole. Decoding notes its defects on the part."""
    found = []
    for n, part in enumerate(message.iter_attachments(), start=1):
        if part.is_multipart():
            data = part.as_bytes()
        else:
            data = part.get_payload(decode=True) or b""
        found.append(Attachment(_safe_name(part.get_filename(), n), data))
    return found


def parse_eml(raw: bytes) -> Mail:
    """An RFC 822 message; refused when its structure is broken."""
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
        if not (message["From"] or message["Subject"] or message["Date"]):
            raise MailUnreadable("not_mail", "no From, Subject or Date header")
        attachments = attachments_of(message)
        # After decoding, which notes a bad base64 attachment's defects too.
        for part in message.walk():
            broken = [d for d in part.defects if isinstance(d, BROKEN)]
            if broken:
                raise MailUnreadable("broken_mime", type(broken[0]).__name__)
        addresses = getaddresses([str(message["From"] or "")])
        sender_name, sender = addresses[0] if addresses else ("", "")
        try:
            sent_at = parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError, IndexError):
            sent_at = None
        return Mail(
            message_id=str(message["Message-ID"] or "").strip(),
            sender=sender.strip().lower(),
            sender_name=sender_name.strip(),
            to=str(message["To"] or ""),
            subject=str(message["Subject"] or "").strip(),
            sent_at=sent_at,
            body=body_text(message),
            attachments=attachments,
        )
    except MailUnreadable:
        raise
    except Exception as error:  # the parser's own failures on bad input
        raise MailUnreadable(
            "broken_mime", str(error) or type(error).__name__
        ) from error


# Outlook .msg (MS-OXMSG): properties are streams named by tag and type.
_UNICODE, _STRING8, _BINARY = "001F", "001E", "0102"
_SUBJECT, _BODY, _HTML = "0037", "1000", "1013"
_SENDER_NAME, _SENDER_ADDRESS, _SENDER_SMTP = "0C1A", "0C1F", "5D01"
_MESSAGE_ID, _DISPLAY_TO, _HEADERS = "1035", "0E04", "007D"
_SENT = 0x0039  # PR_CLIENT_SUBMIT_TIME, in the fixed-size property stream
_ATTACH_LONG_NAME, _ATTACH_NAME, _ATTACH_DATA = "3707", "3704", "3701"


def _msg_string(ole, folder: str, tag: str) -> str:
    for kind, codec in ((_UNICODE, "utf-16-le"), (_STRING8, "gb18030")):
        path = f"{folder}__substg1.0_{tag}{kind}"
        if ole.exists(path):
            data = ole.openstream(path).read()
            return data.decode(codec, errors="replace").rstrip("\x00")
    return ""


def _msg_time(ole) -> datetime.datetime | None:
    """PR_CLIENT_SUBMIT_TIME from the top-level property stream (a 32-byte
    header, then 16-byte entries: tag, flags, value)."""
    if not ole.exists("__properties_version1.0"):
        return None
    data = ole.openstream("__properties_version1.0").read()
    for offset in range(32, len(data) - 15, 16):
        kind, tag = struct.unpack_from("<HH", data, offset)
        if tag == _SENT and kind == 0x0040:
            ticks = struct.unpack_from("<Q", data, offset + 8)[0]
            epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.UTC)
            return epoch + datetime.timedelta(microseconds=ticks // 10)
    return None


def parse_msg(raw: bytes) -> Mail:
    """An Outlook message: the same fields as an .eml."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(raw)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
            if not any(s.startswith("__substg1.0_") for s in streams):
                raise MailUnreadable("not_mail", "no message properties")
            body = _msg_string(ole, "", _BODY)
            if not body:
                body = _html_text(_msg_string(ole, "", _HTML))
            message_id = _msg_string(ole, "", _MESSAGE_ID)
            headers = _msg_string(ole, "", _HEADERS)
            if not message_id and headers:
                found = re.search(r"(?im)^message-id:\s*(\S+)", headers)
                message_id = found.group(1) if found else ""
            sender = _msg_string(ole, "", _SENDER_SMTP) or _msg_string(
                ole, "", _SENDER_ADDRESS
            )
            folders = sorted(
                {s.split("/")[0] for s in streams if s.startswith("__attach_")}
            )
            attachments = []
            for n, folder in enumerate(folders, start=1):
                data_path = f"{folder}/__substg1.0_{_ATTACH_DATA}{_BINARY}"
                if not ole.exists(data_path):
                    continue  # an embedded message or OLE object: in the .msg
                name = _msg_string(ole, f"{folder}/", _ATTACH_LONG_NAME) or (
                    _msg_string(ole, f"{folder}/", _ATTACH_NAME)
                )
                attachments.append(
                    Attachment(_safe_name(name, n), ole.openstream(data_path).read())
                )
            return Mail(
                message_id=message_id.strip(),
                sender=sender.strip().lower() if "@" in sender else "",
                sender_name=_msg_string(ole, "", _SENDER_NAME).strip(),
                to=_msg_string(ole, "", _DISPLAY_TO),
                subject=_msg_string(ole, "", _SUBJECT).strip(),
                sent_at=_msg_time(ole),
                body=body.strip(),
                attachments=attachments,
            )
    except MailUnreadable:
        raise
    except Exception as error:
        raise MailUnreadable(
            "broken_msg", str(error) or type(error).__name__
        ) from error


def parse(raw: bytes, suffix: str = "eml") -> Mail:
    return parse_msg(raw) if suffix == "msg" else parse_eml(raw)
