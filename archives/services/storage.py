"""Storage: the storeroom entry log and moving paper between boxes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archives import permissions
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import CustodyEvent
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import StoreroomEntry
from archives.periods import period_label
from archives.periods import record_period
from core.errors import ArchiveError
from core.history import changed_by
from core.history import reason as history_reason
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
    if settings.ARCHIVE_BOX_ONE_YEAR_AND_PERIOD:
        _check_year_and_period(box, record)
    if box.records.count() >= box.capacity:
        raise ValidationError({"box": _("Box %(box)s is full.") % {"box": box.code}})


def _check_year_and_period(box: Box, record: ArchiveRecord) -> None:
    """DA/T 22: a box holds the records of one year and one retention period."""
    if box.year != record.date_formed.year:
        raise ValidationError(
            {
                "box": _(
                    "Box %(box)s holds records of %(year)s; this one was formed in "
                    "%(formed)s."
                )
                % {
                    "box": box.code,
                    "year": box.year,
                    "formed": record.date_formed.year,
                }
            }
        )
    period = record_period(record)
    other = (
        box.records.exclude(pk=record.pk)
        .select_related("category")
        .only("category", "involves_major_decision")
        .exclude(involves_major_decision=record.involves_major_decision)
        .first()
    )
    if other is not None and record_period(other) != period:
        raise ValidationError(
            {
                "box": _(
                    "Box %(box)s holds records kept %(held)s; this one is kept "
                    "%(period)s. A box holds one retention period."
                )
                % {
                    "box": box.code,
                    "held": period_label(record_period(other)),
                    "period": period_label(period),
                }
            }
        )


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
            "room": storeroom.local_name,
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


def _next_box_code(category, year: int) -> str:
    """The next free code of the form ``GT-2019-003`` (category, year, count)."""
    prefix = f"{category.code}-{year}-"
    used = [
        int(code[len(prefix) :])
        for code in Box.objects.filter(code__startswith=prefix).values_list(
            "code", flat=True
        )
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(used, default=0) + 1:03d}"


def _clean_code(code: str, field: str = "code") -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({field: _("Give a code.")})
    return code


@transaction.atomic
def box_create(
    *,
    actor: User,
    shelf: Shelf,
    category: Category,
    year: int,
    capacity: int | None = None,
    code: str = "",
) -> Box:
    """Put a new box on a shelf; without a code it gets the next of its kind."""
    require_perm(actor, permissions.ADD_BOXES, _("You may not add boxes."))
    if shelf.category is not None and shelf.category_id != category.pk:
        raise ValidationError(
            {
                "shelf": _("Shelf %(shelf)s holds %(category)s records.")
                % {"shelf": shelf, "category": shelf.category.code}
            }
        )
    code = (code or "").strip() or _next_box_code(category, year)
    if Box.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("A box with the code %(code)s exists already.") % {"code": code}}
        )
    box = Box(
        shelf=shelf,
        code=code,
        category=category,
        year=year,
        capacity=capacity or settings.ARCHIVE_BOX_CAPACITY,
    )
    changed_by(box, actor, history_reason("box_added"))
    try:
        with transaction.atomic():
            box.save()
    except IntegrityError:  # another archivist took the code a moment ago
        raise ValidationError(
            {"code": _("A box with the code %(code)s exists already.") % {"code": code}}
        ) from None
    return box


@transaction.atomic
def box_update(*, actor: User, box: Box, shelf: Shelf, capacity: int) -> Box:
    """Move a box to another shelf or change how many records it takes."""
    require_perm(actor, permissions.MANAGE_BOXES, _("You may not change boxes."))
    box = Box.objects.select_for_update().get(pk=box.pk)
    errors = {}
    if shelf.category is not None and shelf.category_id != box.category_id:
        errors["shelf"] = _("Shelf %(shelf)s holds %(category)s records.") % {
            "shelf": shelf,
            "category": shelf.category.code,
        }
    held = box.records.count()
    if capacity < held:
        errors["capacity"] = _(
            "The box holds %(count)s records already; it cannot take fewer."
        ) % {"count": held}
    if errors:
        raise ValidationError(errors)
    moved = box.shelf_id != shelf.pk
    box.shelf = shelf
    box.capacity = capacity
    changed_by(
        box, actor, history_reason("moved_to_shelf", shelf=str(shelf)) if moved else ""
    )
    box.save(update_fields=["shelf", "capacity"])
    return box


@transaction.atomic
def box_empty_into(
    *, actor: User, box: Box, into: Box, note: str = ""
) -> list[ArchiveRecord]:
    """Move every record of one box into another in one go, each with its
    custody event; nothing moves unless all fit."""
    require_perm(
        actor, permissions.MANAGE_BOXES, _("You may not move records between boxes.")
    )
    if into.pk == box.pk:
        raise ValidationError({"box": _("Choose another box than this one.")})
    into = Box.objects.select_for_update().select_related("category").get(pk=into.pk)
    records = list(
        ArchiveRecord.objects.select_for_update(of=("self",))
        .filter(box=box)
        .order_by("number_prefix", "sequence_number", "pk")
    )
    if not records:
        raise ArchiveError(_("Box %(box)s is empty.") % {"box": box.code})
    if into.category_id != box.category_id:
        raise ValidationError(
            {
                "box": _("Box %(box)s holds %(category)s records.")
                % {"box": into.code, "category": into.category.code}
            }
        )
    room = into.capacity - into.records.count()
    if len(records) > room:
        raise ValidationError(
            {
                "box": _(
                    "Box %(box)s has room for %(room)s more; this box holds %(count)s."
                )
                % {"box": into.code, "room": max(room, 0), "count": len(records)}
            }
        )
    for record in records:
        record.box = into
        changed_by(record, actor)
        record.save(update_fields=["box", "updated_at"])
    CustodyEvent.objects.bulk_create(
        CustodyEvent(
            record=record,
            kind=CustodyEvent.Kind.MOVED,
            from_box=box,
            to_box=into,
            actor=actor,
            note=note[:255],
        )
        for record in records
    )
    return records


@transaction.atomic
def storeroom_save(
    *, actor: User, storeroom: Storeroom | None, code: str, name: str, location: str
) -> Storeroom:
    """Add a storeroom, or rename or relocate one (its code stays)."""
    require_perm(
        actor,
        permissions.CHANGE_STOREROOMS if storeroom else permissions.ADD_STOREROOMS,
        _("You may not manage storerooms."),
    )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the storeroom a name.")})
    if storeroom is None:
        code = _clean_code(code)
        if Storeroom.objects.filter(code=code).exists():
            raise ValidationError(
                {
                    "code": _("A storeroom with the code %(code)s exists already.")
                    % {"code": code}
                }
            )
        storeroom = Storeroom(code=code)
    storeroom.name = name
    storeroom.location = (location or "").strip()
    changed_by(storeroom, actor)
    storeroom.save()
    return storeroom


@transaction.atomic
def shelf_save(
    *,
    actor: User,
    shelf: Shelf | None,
    storeroom: Storeroom | None = None,
    code: str = "",
    category: Category | None,
) -> Shelf:
    """Add a shelf to a storeroom, or change the category it is kept for."""
    require_perm(
        actor,
        permissions.CHANGE_SHELVES if shelf else permissions.ADD_SHELVES,
        _("You may not manage shelves."),
    )
    if shelf is None:
        assert storeroom is not None
        code = _clean_code(code)
        if Shelf.objects.filter(storeroom=storeroom, code=code).exists():
            raise ValidationError(
                {
                    "code": _("Storeroom %(room)s has a shelf %(code)s already.")
                    % {"room": storeroom.code, "code": code}
                }
            )
        shelf = Shelf(storeroom=storeroom, code=code)
    elif category is not None:
        other = (
            shelf.boxes.exclude(category=category)
            .values_list("code", flat=True)
            .first()
        )
        if other:
            raise ValidationError(
                {
                    "category": _("Box %(box)s on this shelf holds another category.")
                    % {"box": other}
                }
            )
    shelf.category = category
    changed_by(shelf, actor)
    shelf.save()
    return shelf


@transaction.atomic
def box_note_save(
    *,
    actor: User,
    box: Box,
    note: str,
    arranged_by: User | None,
    arranged_on: datetime.date | None,
    checked_by: User | None,
    checked_on: datetime.date | None,
) -> Box:
    """Fill in the box's note sheet (备考表). The checker is not the arranger,
    and checks after the arranging; neither date is in the future."""
    require_perm(actor, permissions.MANAGE_BOXES, _("You may not manage boxes."))
    errors = {}
    today = timezone.localdate()
    for name, day in (("arranged_on", arranged_on), ("checked_on", checked_on)):
        if day and day > today:
            errors[name] = _("This date is in the future.")
    if checked_by and arranged_by and checked_by.pk == arranged_by.pk:
        errors["checked_by"] = _(
            "The records are checked by someone other than their arranger."
        )
    if checked_on and arranged_on and checked_on < arranged_on:
        errors["checked_on"] = _("The check comes after the arranging.")
    if (checked_by is None) != (checked_on is None):
        errors["checked_on" if checked_by else "checked_by"] = _(
            "Give both who checked the box and when."
        )
    if (arranged_by is None) != (arranged_on is None):
        errors["arranged_on" if arranged_by else "arranged_by"] = _(
            "Give both who arranged the box and when."
        )
    if errors:
        raise ValidationError(errors)
    box = Box.objects.select_for_update().get(pk=box.pk)
    box.note = (note or "").strip()
    box.arranged_by, box.arranged_on = arranged_by, arranged_on
    box.checked_by, box.checked_on = checked_by, checked_on
    changed_by(box, actor, history_reason("box_note"))
    box.save(
        update_fields=[
            "note",
            "arranged_by",
            "arranged_on",
            "checked_by",
            "checked_on",
        ]
    )
    return box
