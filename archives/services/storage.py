"""Storage: the storeroom entry log and moving paper between boxes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archives import permissions
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import CustodyEvent
from archives.models import Storeroom
from archives.models import StoreroomEntry
from core.errors import ArchiveError
from core.history import changed_by
from core.permissions import require_perm


def record_lock(record: ArchiveRecord) -> ArchiveRecord:
    """Lock the record's row (not its category's) for the caller's transaction."""
    return (
        ArchiveRecord.objects.select_for_update(of=("self",))
        .select_related("category")
        .get(pk=record.pk)
    )


def box_check_fits(*, box: Box, record: ArchiveRecord) -> None:
    """Refuse a box of another category, or one that is full."""
    if box.category_id != record.category_id:
        raise ValidationError(
            {
                "box": _("Box %(box)s holds %(category)s records.")
                % {"box": box.code, "category": box.category.code}
            }
        )
    if box.records.count() >= box.capacity:
        raise ValidationError({"box": _("Box %(box)s is full.") % {"box": box.code}})


@transaction.atomic
def storeroom_entry_record(
    *,
    actor: User,
    storeroom: Storeroom,
    person,
    reason: str,
    entered_at: datetime.datetime | None = None,
) -> StoreroomEntry:
    """Log that an authorised person entered a storeroom, and why."""
    require_perm(
        actor, permissions.ENTER_STOREROOM, _("You may not keep the entry log.")
    )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for entering.")
    if not storeroom.authorised.filter(pk=person.pk).exists():
        errors["person"] = _("%(person)s is not authorised to enter %(room)s.") % {
            "person": person,
            "room": storeroom.name,
        }
    entered_at = entered_at or timezone.now()
    if entered_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["entered_at"] = _("The time of entry cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return StoreroomEntry.objects.create(
        storeroom=storeroom,
        person=person,
        entered_at=entered_at,
        reason=reason,
        recorded_by=actor,
    )


@transaction.atomic
def record_move_to_box(
    *, actor: User, record: ArchiveRecord, box: Box, note: str = ""
) -> ArchiveRecord:
    """Move a shelved paper record to another box, keeping the custody chain."""
    require_perm(
        actor, permissions.MANAGE_BOXES, _("You may not move records between boxes.")
    )
    record = record_lock(record)
    if record.status != ArchiveRecord.Status.ARCHIVED or record.box_id is None:
        raise ArchiveError(_("Only a shelved paper record can be moved."))
    if box.pk == record.box_id:
        raise ValidationError({"box": _("The record is already in this box.")})
    box_check_fits(box=box, record=record)
    from_box_id = record.box_id
    record.box = box
    changed_by(record, actor)
    record.save(update_fields=["box", "updated_at"])
    CustodyEvent.objects.create(
        record=record,
        kind=CustodyEvent.Kind.MOVED,
        from_box_id=from_box_id,
        to_box=box,
        actor=actor,
        note=note[:255],
    )
    return record
