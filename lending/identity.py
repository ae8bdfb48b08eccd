"""Owners' ID numbers: encrypted at rest, shown only masked (SPEC §8)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from archives.personal import decrypt
from archives.personal import encrypt


def normalise_id(value: str) -> str:
    return "".join(value.split()).upper()


def encrypt_id(value: str) -> str:
    return encrypt(normalise_id(value))


def decrypt_id(token: str) -> str:
    return decrypt(token)


def mask_id(value: str) -> str:
    """Keep the first 3 and last 4 characters: 440***********1234."""
    value = normalise_id(value)
    if len(value) <= 4:
        return "*" * len(value)
    if len(value) <= 8:
        return "*" * (len(value) - 2) + value[-2:]
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def check_id(id_type: str, value: str) -> str | None:
    """A message when the number cannot be right, else None.

    Mainland ID cards have 18 characters with a check digit (GB 11643).
    """
    value = normalise_id(value)
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
