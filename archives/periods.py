"""Retention periods (保管期限) as the arrangement rules name them.

A record's period follows its category's rule, except that a GT record
flagged as a major decision or dispute is kept permanently. The key is
``permanent``, ``long_term`` or ``years:<n>``: the statistics count by it,
a box holds one period only (DA/T 22), and the stamps and spines print it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archives.models import Category

PERMANENT = "permanent"
LONG_TERM = "long_term"


def period_key(category: Category, involves_major_decision: bool) -> str:
    if involves_major_decision or category.retention_kind == PERMANENT:
        return PERMANENT
    if category.retention_kind == LONG_TERM:
        return LONG_TERM
    return f"years:{category.retention_years or 0}"


def record_period(record) -> str:
    return period_key(record.category, record.involves_major_decision)


def period_label(key: str) -> str:
    """永久, 长期 or "10 年" in the reader's language."""
    if key.startswith("years:"):
        years = int(key.split(":")[1] or 0)
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return {PERMANENT: _("Permanent"), LONG_TERM: _("Long-term")}.get(key, key)


def period_order(key: str) -> tuple[int, int]:
    """Permanent first, then long-term, then the longest number of years."""
    if key == PERMANENT:
        return (0, 0)
    if key == LONG_TERM:
        return (1, 0)
    return (2, -int(key.split(":")[1] or 0))
