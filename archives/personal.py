"""Personal identifiers: encrypted at rest, shown masked (SPEC §8, §13).

The key is ``ARCHIVE_FIELD_KEY`` from the environment, never the repository.
A model keeps the cipher text (excluded from history and admin) and a masked
copy for every page, list, PDF, export and API answer; the full value is read
only through ``reveal`` views, which log who saw it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

_DIGITS = re.compile(r"\d{5,}")
_EMAIL = re.compile(r"([^\s@])[^\s@]*(@[^\s@]+)")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _fernet() -> Fernet:
    secret = settings.ARCHIVE_FIELD_KEY
    if not secret:
        raise ImproperlyConfigured(
            "ARCHIVE_FIELD_KEY is not set. Set it to a long random string kept "
            "apart from the database; personal identifiers are encrypted with it."
        )
    digest = hashlib.sha256(secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def mask_contact(text: str) -> str:
    """Numbers of five digits or more keep their first 3 and last 4 digits;
    e-mail addresses their first letter and domain: 王先生 138****1111."""

    def digits(match: re.Match) -> str:
        run = match.group()
        keep_head = 3 if len(run) > 8 else 0
        return run[:keep_head] + "*" * (len(run) - keep_head - 4) + run[-4:]

    return _EMAIL.sub(r"\1***\2", _DIGITS.sub(digits, text or ""))


def address_digest(address: str) -> str:
    """A keyed hash of an e-mail address, lower case: what finds a customer
    by the sender of a message without keeping the address in clear."""
    key = hashlib.sha256(f"address:{settings.ARCHIVE_FIELD_KEY}".encode()).digest()
    text = address.strip().lower().encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]


def address_digests(text: str) -> str:
    """The digests of every e-mail address in a contact text, space-separated."""
    found = dict.fromkeys(m.lower() for m in _ADDRESS.findall(text or ""))
    return " ".join(address_digest(a) for a in found)


def id_digest(number: str) -> str:
    """A keyed hash of an ID number (spaces out, letters upper case): what
    finds an owner's dossier from the number typed at the desk, without
    keeping the number in clear."""
    key = hashlib.sha256(f"id:{settings.ARCHIVE_FIELD_KEY}".encode()).digest()
    text = "".join(number.split()).upper().encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]


def mask_id_number(number: str) -> str:
    """The first 3 and last 4 characters: 440***********1234."""
    number = "".join(number.split()).upper()
    if len(number) <= 4:
        return "*" * len(number)
    if len(number) <= 8:
        return "*" * (len(number) - 2) + number[-2:]
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def id_number_problem(id_type: str, value: str) -> str | None:
    """A message when the number cannot be right, else None.

    Mainland ID cards have 18 characters with a check digit (GB 11643).
    """
    value = "".join((value or "").split()).upper()
    if not value:
        return _("Enter the ID number.")
    if len(value) > 30:
        return _("An ID number has at most 30 characters.")
    if id_type != "id_card":
        return None
    if len(value) != 18 or not value[:17].isdigit():
        return _("A resident identity card number has 18 characters.")
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(value[:17], weights, strict=True))
    if "10X98765432"[total % 11] != value[17]:
        return _("This identity card number's check digit is wrong; check it again.")
    return None
