"""Personal numbers kept out of every log (security issue, item 2).

An ID-card or phone number typed into a search box travels in the URL; the
audit log's page field and the server's access and error logs would keep it
in full. Everything logged passes through ``redact`` first: ID-shaped values
(18 or 15 digits; the last may be X) and phone-shaped values (mainland
mobiles, with or without +86 and separators; landlines with an area code)
keep their first three and last four characters, the rest becomes ``*``.
Archive numbers (letters, then a date and a sequence) are not of these shapes.
"""

from __future__ import annotations

import logging
import re

# A separator inside a number as people type it, also URL-encoded.
_SEP = r"(?:[\s\-+.]|%20|%2[dD])?"
_PATTERNS = [
    # Resident ID: 6-digit area, 8-digit birth date, 3 digits, check digit.
    re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?!\d)"),
    # First-generation ID: 15 digits.
    re.compile(r"(?<![0-9A-Za-z])\d{15}(?!\d)"),
    # Mobile: 1[3-9] and 9 more digits, often 3-4-4 with separators.
    re.compile(
        rf"(?<!\d)(?:(?:\+|%2[bB])?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)"
    ),
    # Landline with its area code: 010-12345678, 0755 8765 4321.
    re.compile(rf"(?<![0-9A-Za-z])0\d{{2,3}}{_SEP}\d{{3,4}}{_SEP}\d{{4}}(?!\d)"),
]


def _mask(match: re.Match) -> str:
    text = match.group()
    digits = [i for i, ch in enumerate(text) if ch.isalnum()]
    keep = set(digits[:3]) | set(digits[-4:])
    return "".join(
        ch if i in keep or not ch.isalnum() else "*" for i, ch in enumerate(text)
    )


def redact(text: str) -> str:
    """The text with ID- and phone-shaped values masked."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    for pattern in _PATTERNS:
        text = pattern.sub(_mask, text)
    return text


def redact_value(value):
    """A JSON-able value with its texts redacted (lists and dicts too)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    return value


class RedactFilter(logging.Filter):
    """A logging filter: the formatted message, redacted, replaces the record's
    message and arguments (Django's request lines, errors, our own logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logged as it is
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
