"""Filing, submitting, reviewing and accepting records (SPEC §3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import permissions
from archives.models import RECORD_INPUT_FIELDS
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import CustodyEvent
from archives.models import RecordReview
from archives.models import Subcode
from archives.services.files import files_file_into_archive
from archives.services.files import files_ingest
from archives.services.numbering import number_issue
from archives.services.storage import box_check_fits
from archives.services.storage import record_lock
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.permissions import require_perm

Status = ArchiveRecord.Status


def record_transition(
    *,
    record: ArchiveRecord,
    to_status: str,
    actor,
    reason: str = "",
    extra_fields: Iterable[str] = (),
) -> ArchiveRecord:
    """The one place a status changes: checks the move and saves with history.

    The caller holds the row lock (``select_for_update``) in its transaction.
    """
    allowed = ArchiveRecord.TRANSITIONS.get(record.status, frozenset())
    if to_status not in allowed:
        raise ArchiveError(
            _("A record that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": Status(record.status).label,
                "to": Status(to_status).label,
            }
        )
    record.status = to_status
    record._history_user = actor
    record._change_reason = reason[:100] if reason else ""
    record.save(update_fields=["status", "updated_at", *extra_fields])
    return record


def subcodes_check(
    category: Category, subcodes: Mapping[str, Subcode | None]
) -> list[Subcode]:
    errors: dict[str, str] = {}
    chosen: list[Subcode] = []
    for dimension in category.dimensions.all():
        subcode = subcodes.get(dimension.key)
        field = f"subcode_{dimension.key}"
        if subcode is None:
            if dimension.required:
                errors[field] = _("Choose a %(name)s.") % {"name": dimension.name}
            continue
        if subcode.dimension_id != dimension.pk:
            errors[field] = _("This sub-code does not belong to %(name)s.") % {
                "name": dimension.name
            }
            continue
        chosen.append(subcode)
    if errors:
        raise ValidationError(errors)
    return chosen


def record_check(category: Category, data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    date_formed = data.get("date_formed")
    if date_formed and date_formed > today:
        errors["date_formed"] = _("The date formed cannot be in the future.")
    received_at = data.get("received_at")
    if received_at and received_at > timezone.now():
        errors["received_at"] = _("The time received cannot be in the future.")
    if category.requires_customer and not data.get("customer"):
        errors["customer"] = _("A %(category)s record must name its customer.") % {
            "category": category.name
        }
    handled_on = data.get("handled_on")
    if handled_on and handled_on > today:
        errors["handled_on"] = _("The date handled cannot be in the future.")
    if handled_on and date_formed and handled_on < date_formed:
        errors["handled_on"] = _("The date handled cannot be before the date formed.")
    if (
        data.get("handling_status") == ArchiveRecord.HandlingStatus.HANDLED
        and not handled_on
    ):
        errors["handled_on"] = _("Give the date the matter was handled.")
    if errors:
        raise ValidationError(errors)


def submission_due(record: ArchiveRecord) -> datetime.datetime | None:
    hours = record.category.submission_deadline_hours
    if hours is None:
        return None
    if (
        record.category.deadline_anchor == Category.DeadlineAnchor.RECEIVED
        and record.received_at
    ):
        anchor = record.received_at
    else:
        # The end of the day formed: a training that day may run until evening.
        anchor = timezone.make_aware(
            datetime.datetime.combine(
                record.date_formed + datetime.timedelta(days=1), datetime.time.min
            )
        )
    return anchor + datetime.timedelta(hours=hours)


RETENTION_FIELDS = (
    "date_formed",
    "handled_on",
    "contract_ends_on",
    "involves_major_decision",
    "retention_kept_until",
)


def add_years(start: datetime.date, years: int) -> datetime.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def retention_due(
    category: Category, values: Mapping[str, Any]
) -> datetime.date | None:
    """The disposal date that ``category``'s rule gives a record's ``values``.

    None when the record is kept long-term or permanently (a GT record flagged
    as a major decision or dispute is permanent), or its start event has not
    happened yet. A later date set by an appraisal's "keep" always stands.
    """
    if (
        category.retention_kind != Category.RetentionKind.YEARS
        or values["involves_major_decision"]
    ):
        return None
    start = {
        Category.RetentionStart.FORMED: values["date_formed"],
        Category.RetentionStart.TRAINING: values["date_formed"],
        Category.RetentionStart.HANDLED: values["handled_on"],
        Category.RetentionStart.CONTRACT_END: values["contract_ends_on"],
    }[category.retention_start]
    if start is None:
        return None
    due = add_years(start, category.retention_years or 0)
    kept = values["retention_kept_until"]
    return max(due, kept) if kept else due


def disposal_due(record: ArchiveRecord) -> datetime.date | None:
    """The date the record's retention ends, or None if kept long-term."""
    return retention_due(
        record.category, {f: getattr(record, f) for f in RETENTION_FIELDS}
    )


@transaction.atomic
def record_create(
    *,
    actor,
    category: Category,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
    uploads: Iterable = (),
) -> ArchiveRecord:
    """File a new draft with its sub-codes and electronic files."""
    require_perm(actor, permissions.FILE_RECORDS, _("You may not file records."))
    if not category.active:
        raise ArchiveError(_("This category is no longer in use."))
    record_check(category, data)
    chosen = subcodes_check(category, subcodes)
    record = ArchiveRecord(category=category, created_by=actor)
    for field in RECORD_INPUT_FIELDS:
        if field in data:
            setattr(record, field, data[field])
    if not record.source_department_id:
        record.source_department = actor.department
    if not record.responsible_person_id:
        record.responsible_person = actor
    record.submission_due_at = submission_due(record)
    record._history_user = actor
    record.save()
    record.subcodes.set(chosen)
    files_ingest(record=record, uploads=uploads, actor=actor)
    return record


@transaction.atomic
def record_update(
    *,
    actor,
    record: ArchiveRecord,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
    uploads: Iterable = (),
) -> ArchiveRecord:
    """Correct a draft or a returned record; only its filer may."""
    record = record_lock(record)
    if record.created_by_id != actor.pk:
        raise NotAllowed(_("Only the person who filed it may change it."))
    if not record.is_editable:
        raise ArchiveError(
            _("A record that is “%(status)s” can no longer be changed.")
            % {"status": record.get_status_display()}
        )
    for field in RECORD_INPUT_FIELDS:
        if field in data:
            setattr(record, field, data[field])
    record_check(record.category, {f: getattr(record, f) for f in RECORD_INPUT_FIELDS})
    chosen = subcodes_check(record.category, subcodes)
    record.submission_due_at = submission_due(record)
    record._history_user = actor
    record.save()
    record.subcodes.set(chosen)
    files_ingest(record=record, uploads=uploads, actor=actor)
    return record


def _check_complete(record: ArchiveRecord) -> None:
    if record.carrier == ArchiveRecord.Carrier.ELECTRONIC and not record.files.exists():
        raise ArchiveError(
            _("%(title)s: an electronic record needs at least one file.")
            % {"title": record.title}
        )


@transaction.atomic
def records_submit(*, actor, records: Iterable[ArchiveRecord]) -> list[ArchiveRecord]:
    """Send one or many drafts (or corrected returns) to the archivist."""
    submitted = []
    now = timezone.now()
    for record in records:
        record = record_lock(record)
        if record.created_by_id != actor.pk:
            raise NotAllowed(
                _("Only the person who filed it may submit it.")
            )
        _check_complete(record)
        record.submitted_at = now
        record.submitted_late = bool(
            record.submission_due_at and now > record.submission_due_at
        )
        submitted.append(
            record_transition(
                record=record,
                to_status=Status.SUBMITTED,
                actor=actor,
                extra_fields=["submitted_at", "submitted_late"],
            )
        )
    return submitted


@transaction.atomic
def record_return(*, actor, record: ArchiveRecord, reason: str) -> ArchiveRecord:
    """Send a submission back to its filer with the reasons to correct."""
    require_perm(
        actor, permissions.REVIEW_RECORDS, _("You may not review submissions.")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must be corrected.")})
    record = record_lock(record)
    record_transition(
        record=record, to_status=Status.RETURNED, actor=actor, reason=reason
    )
    RecordReview.objects.create(
        record=record,
        decision=RecordReview.Decision.RETURNED,
        reason=reason,
        actor=actor,
    )
    audit.log(audit.Action.REJECTED, actor=actor, target=record, comment=reason)
    return record


@transaction.atomic
def record_accept(
    *, actor, record: ArchiveRecord, box: Box | None = None
) -> ArchiveRecord:
    """Accept a submission: give its number, file its files, shelve its paper."""
    require_perm(
        actor, permissions.REVIEW_RECORDS, _("You may not review submissions.")
    )
    record = record_lock(record)
    if record.status != Status.SUBMITTED:
        raise ArchiveError(
            _("Only submitted records can be accepted; this one is “%(status)s”.")
            % {"status": record.get_status_display()}
        )
    if record.created_by_id == actor.pk:
        raise NotAllowed(
            _("You cannot accept a record you filed yourself.")
        )
    if record.is_paper:
        if box is None:
            raise ValidationError({"box": _("Choose the box for the paper record.")})
        box_check_fits(box=box, record=record)
    elif box is not None:
        raise ValidationError({"box": _("An electronic record goes in no box.")})
    _check_complete(record)

    issued = number_issue(record=record)
    record.number = issued.number
    record.number_prefix = issued.prefix
    record.sequence_number = issued.sequence
    record.box = box
    record.accepted_at = timezone.now()
    record.accepted_by = actor
    record.disposal_due_on = disposal_due(record)
    files_file_into_archive(record=record)
    record_transition(
        record=record,
        to_status=Status.ARCHIVED,
        actor=actor,
        reason=_("Accepted as %(number)s") % {"number": issued.number},
        extra_fields=[
            "number",
            "number_prefix",
            "sequence_number",
            "box",
            "accepted_at",
            "accepted_by",
            "disposal_due_on",
        ],
    )
    RecordReview.objects.create(
        record=record, decision=RecordReview.Decision.ACCEPTED, actor=actor
    )
    if box is not None:
        CustodyEvent.objects.create(
            record=record, kind=CustodyEvent.Kind.SHELVED, to_box=box, actor=actor
        )
    audit.log(audit.Action.APPROVED, actor=actor, target=record)
    return record
