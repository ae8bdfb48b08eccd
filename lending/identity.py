"""Owners' ID numbers: encrypted at rest, shown only masked (SPEC §8)."""

from __future__ import annotations

from archives.personal import decrypt
from archives.personal import encrypt
from archives.personal import id_number_problem
from archives.personal import mask_id_number


def normalise_id(value: str) -> str:
    return "".join(value.split()).upper()


def encrypt_id(value: str) -> str:
    return encrypt(normalise_id(value))


def decrypt_id(token: str) -> str:
    return decrypt(token)


def mask_id(value: str) -> str:
    """Keep the first 3 and last 4 characters: 440***********1234."""
    return mask_id_number(normalise_id(value))


def check_id(id_type: str, value: str) -> str | None:
    """A message when the number cannot be right, else None (the rule is
    archives.personal's: owners' dossiers check the same way)."""
    return id_number_problem(id_type, value)
