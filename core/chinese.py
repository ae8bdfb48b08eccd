"""Simplified and Traditional Chinese found alike (issue 19, item 15).

A person in Hong Kong or Taiwan types 投訴 where the record says 投诉. Every
search folds both the text it searches and the words typed to Simplified
characters (OpenCC ``t2s``), so either form finds either. Fields searched
with ``icontains`` (not folded when stored) are asked for each form of the
word instead (``contains_any``).
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q
from opencc import OpenCC

_TO_SIMPLIFIED = OpenCC("t2s")
_TO_TRADITIONAL = OpenCC("s2t")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The text in Simplified characters (Latin letters and digits as they are)."""
    if not text or text.isascii():
        return text
    return _TO_SIMPLIFIED.convert(text)


def forms(text: str) -> list[str]:
    """The word as typed, in Simplified and in Traditional characters."""
    if not text or text.isascii():
        return [text]
    found = dict.fromkeys([text, fold(text), _TO_TRADITIONAL.convert(text)])
    return list(found)


def contains_any(field: str, text: str) -> Q:
    """``field`` contains the word in any of its forms (case-insensitively)."""
    q = Q()
    for form in forms(text):
        q |= Q(**{f"{field}__icontains": form})
    return q
