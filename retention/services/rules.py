"""Retention rules (SPEC §5): editing one recomputes its records' due dates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Category
from archives.services.records import RETENTION_FIELDS
from archives.services.records import retention_due
from core.history import changed_by
from core.history import reason as history_reason

CHUNK = 2000
Status = ArchiveRecord.Status


def disposal_dates_recompute(*, category: Category, actor: User | None = None) -> int:
    """Bring every numbered record of ``category`` in line with its rule.

    Reads the records in primary-key chunks, so memory stays flat however
    many there are, and writes (with history) only the dates that change.
    Returns how many changed.
    """
    records = (
        ArchiveRecord.objects.filter(category=category, number__isnull=False)
        .exclude(status=Status.DESTROYED)
        .order_by("pk")
    )
    changed_total = 0
    last_pk = 0
    while True:
        chunk = list(records.filter(pk__gt=last_pk)[:CHUNK])
        if not chunk:
            return changed_total
        last_pk = chunk[-1].pk
        changed = []
        for record in chunk:
            due = retention_due(
                category, {f: getattr(record, f) for f in RETENTION_FIELDS}
            )
            if due != record.disposal_due_on:
                record.disposal_due_on = due
                changed.append(record)
        if changed:
            bulk_update_with_history(
                changed,
                ArchiveRecord,
                ["disposal_due_on"],
                default_user=actor,
                default_change_reason=history_reason("rule_changed"),
            )
            changed_total += len(changed)


@transaction.atomic
def retention_rule_update(
    *,
    actor: User,
    category: Category,
    kind: str,
    years: int | None,
    start: str,
) -> int:
    """Change a category's retention rule and recompute its records' dates."""
    if kind == Category.RetentionKind.YEARS and not years:
        raise ValidationError(
            {"retention_years": _("Give the number of years to keep records.")}
        )
    category.retention_kind = kind
    category.retention_years = years if kind == Category.RetentionKind.YEARS else None
    category.retention_start = start
    changed_by(category, actor)
    category.save(
        update_fields=["retention_kind", "retention_years", "retention_start"]
    )
    return disposal_dates_recompute(category=category, actor=actor)
