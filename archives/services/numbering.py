"""Giving numbers: once, at acceptance, gap-free per prefix, under row locks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from archives.models import ArchiveRecord
from archives.models import NumberSequence
from archives.numbering import MissingSubcode
from archives.numbering import format_number
from archives.numbering import parse_pattern
from archives.numbering import render_prefix
from archives.numbering import seq_width
from core.errors import ArchiveError


@dataclass(frozen=True)
class IssuedNumber:
    prefix: str
    sequence: int
    number: str


def _prefix_and_width(record: ArchiveRecord) -> tuple[str, int]:
    parts = parse_pattern(record.category.number_pattern)
    codes = {
        s.dimension.key: s.code for s in record.subcodes.select_related("dimension")
    }
    try:
        prefix = render_prefix(parts, date_formed=record.date_formed, subcodes=codes)
    except MissingSubcode as missing:
        raise ArchiveError(
            _(
                "The number needs the sub-code “%(key)s”, "
                "which the record does not have."
            )
            % {"key": missing.args[0]}
        ) from missing
    return prefix, seq_width(parts)


def number_preview(*, record: ArchiveRecord) -> str:
    """The number the record would get if accepted now (not reserved)."""
    prefix, width = _prefix_and_width(record)
    last = (
        NumberSequence.objects.filter(prefix=prefix)
        .values_list("last_value", flat=True)
        .first()
    )
    return format_number(prefix, (last or 0) + 1, width)


def number_issue(*, record: ArchiveRecord) -> IssuedNumber:
    """Take the next number of the record's sequence inside the caller's transaction.

    The sequence row stays locked until the caller commits, so concurrent
    acceptances queue on it; a rollback returns the number, leaving no gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_issue must run inside a transaction")
    prefix, width = _prefix_and_width(record)
    locked = NumberSequence.objects.select_for_update()
    sequence = locked.filter(prefix=prefix).first()
    if sequence is None:
        # First number of this prefix: create the row race-free, then lock it.
        NumberSequence.objects.bulk_create(
            [NumberSequence(prefix=prefix, last_value=0)], ignore_conflicts=True
        )
        sequence = locked.get(prefix=prefix)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return IssuedNumber(
        prefix=prefix,
        sequence=sequence.last_value,
        number=format_number(prefix, sequence.last_value, width),
    )
