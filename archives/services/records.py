"""Filing, submitting, reviewing and accepting records (SPEC §3)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.notifications import notify
from archives import hooks
from archives import permissions
from archives.models import RECORD_INPUT_FIELDS
from archives.models import SEARCH_SOURCES
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import CustodyEvent
from archives.models import Customer
from archives.models import FileCheck
from archives.models import RecordReview
from archives.models import Shelf
from archives.models import Subcode
from archives.services.filechecks import BLOCKING
from archives.services.filechecks import acceptance_gate
from archives.services.filechecks import override_record
from archives.services.filechecks import record_check as record_files_check
from archives.services.files import files_file_into_archive
from archives.services.files import files_ingest
from archives.services.files import files_vet
from archives.services.handover import batch_join
from archives.services.handover import record_waits_for_supervisor
from archives.services.numbering import number_issue
from archives.services.preservation import preservation_queue
from archives.services.search import record_search_fill
from archives.services.storage import box_check_fits
from archives.services.storage import box_create
from archives.services.storage import record_lock
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.history import changed_by
from core.history import reason as history_reason
from core.permissions import require_perm

Status = ArchiveRecord.Status


def _no_department() -> str:
    return _("Choose the department the record comes from: you belong to none.")


def record_transition(
    *,
    record: ArchiveRecord,
    to_status: str,
    actor: User,
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
    changed_by(record, actor, reason)
    fields = ["status", "updated_at", *extra_fields]
    if SEARCH_SOURCES & set(extra_fields):  # numbered on acceptance
        fields += record_search_fill(record)
    record.save(update_fields=fields)
    return record


def subcodes_check(
    category: Category,
    subcodes: Mapping[str, Subcode | None],
    *,
    complete: bool = True,
) -> list[Subcode]:
    errors: dict[str, str] = {}
    chosen: list[Subcode] = []
    for dimension in category.dimensions.all():
        subcode = subcodes.get(dimension.key)
        field = f"subcode_{dimension.key}"
        if subcode is None:
            if dimension.required and complete:
                errors[field] = _("Choose a %(name)s.") % {"name": dimension.local_name}
            continue
        if subcode.dimension_id != dimension.pk:
            errors[field] = _("This sub-code does not belong to %(name)s.") % {
                "name": dimension.local_name
            }
            continue
        chosen.append(subcode)
    if errors:
        raise ValidationError(errors)
    return chosen


def record_check(
    category: Category, data: Mapping[str, Any], *, complete: bool = True
) -> None:
    """The rules a record's fields keep. ``complete=False``: a draft taken
    from an e-mail may still lack what only its filer can say (its
    customer); it is checked whole when it is submitted."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    date_formed = data.get("date_formed")
    if date_formed and date_formed > today:
        errors["date_formed"] = _("The date formed cannot be in the future.")
    received_at = data.get("received_at")
    if received_at and received_at > timezone.now():
        errors["received_at"] = _("The time received cannot be in the future.")
    if complete and category.requires_customer and not data.get("customer"):
        errors["customer"] = _("A %(category)s record must name its customer.") % {
            "category": category.local_name
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
    }[Category.RetentionStart(category.retention_start)]
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


def record_create(
    *,
    actor: User,
    category: Category,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
    uploads: Iterable = (),
) -> ArchiveRecord:
    """File a new draft with its sub-codes and electronic files, each checked
    (and scanned) before the record is stored."""
    require_perm(actor, permissions.FILE_RECORDS, _("You may not file records."))
    vetted = files_vet(uploads=list(uploads), actor=actor)
    record = _record_create(
        actor=actor, category=category, data=data, subcodes=subcodes, uploads=vetted
    )
    if vetted:
        record_files_check(record=record, stage=FileCheck.Stage.UPLOAD, actor=actor)
    return record


@transaction.atomic
def _record_create(
    *,
    actor: User,
    category: Category,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
    uploads: Iterable = (),
    complete: bool = True,
) -> ArchiveRecord:
    if not category.active:
        raise ArchiveError(_("This category is no longer in use."))
    record_check(category, data, complete=complete)
    chosen = subcodes_check(category, subcodes, complete=complete)
    record = ArchiveRecord(category=category, created_by=actor)
    for field in RECORD_INPUT_FIELDS:
        if field in data:
            setattr(record, field, data[field])
    if not record.source_department_id:
        if actor.department_id is None:
            raise ValidationError({"source_department": _no_department()})
        record.source_department_id = actor.department_id
    if not record.responsible_person_id:
        record.responsible_person = actor
    record.submission_due_at = submission_due(record)
    record_search_fill(record)
    changed_by(record, actor)
    record.save()
    record.subcodes.set(chosen)
    files_ingest(record=record, uploads=uploads, actor=actor)
    return record


def record_draft_incomplete(
    *,
    actor: User,
    category: Category,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
) -> ArchiveRecord:
    """A draft made from what another channel brought (an e-mail): it may
    lack what only its filer can say (the customer, a sub-code) and is
    checked whole at submission. Called inside the caller's transaction,
    which stores its files too; no files here."""
    return _record_create(
        actor=actor, category=category, data=data, subcodes=subcodes, complete=False
    )


def record_update(
    *,
    actor: User,
    record: ArchiveRecord,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
    uploads: Iterable = (),
) -> ArchiveRecord:
    """Correct a draft or a returned record; only its filer may. New files
    are checked (and scanned) before anything is stored."""
    if record.created_by_id != actor.pk:
        raise NotAllowed(_("Only the person who filed it may change it."))
    vetted = files_vet(uploads=list(uploads), actor=actor, record=record)
    record = _record_update(
        actor=actor, record=record, data=data, subcodes=subcodes, uploads=vetted
    )
    if vetted:
        record_files_check(record=record, stage=FileCheck.Stage.UPLOAD, actor=actor)
    return record


@transaction.atomic
def _record_update(
    *,
    actor: User,
    record: ArchiveRecord,
    data: Mapping[str, Any],
    subcodes: Mapping[str, Subcode | None],
    uploads: Iterable = (),
) -> ArchiveRecord:
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
    record_search_fill(record)
    changed_by(record, actor)
    record.save()
    record.subcodes.set(chosen)
    files_ingest(record=record, uploads=uploads, actor=actor)
    return record


# What a correction after acceptance never changes: what the number is made
# of, and the confidentiality (the head of archives changes it).
NOT_CORRECTED = {"date_formed", "confidentiality"}


@transaction.atomic
def record_correct(
    *, actor: User, record: ArchiveRecord, data: Mapping[str, Any], reason: str
) -> ArchiveRecord:
    """Correct an accepted record's catalogue fields; the reason and the old
    values stay in its history and in the audit log."""
    require_perm(
        actor,
        permissions.REVIEW_RECORDS,
        _("Only the archive corrects an accepted record's catalogue."),
    )
    record = record_lock(record)
    if record.number is None or record.status == ArchiveRecord.Status.DESTROYED:
        raise ArchiveError(_("Only an accepted record's catalogue is corrected here."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the catalogue is corrected.")})
    before = {}
    for field in RECORD_INPUT_FIELDS:
        if field in data and field not in NOT_CORRECTED:
            old = getattr(record, field)
            if old != data[field]:
                before[field] = "" if old is None else str(old)
                setattr(record, field, data[field])
    if not before:
        raise ValidationError({"reason": _("Nothing was changed.")})
    record_check(record.category, {f: getattr(record, f) for f in RECORD_INPUT_FIELDS})
    record.disposal_due_on = disposal_due(record)
    record_search_fill(record)
    changed_by(record, actor, reason.strip())
    record.save()
    audit.log(
        audit.Action.RECORD_CORRECTED,
        actor=actor,
        target=record,
        reason=reason.strip()[:200],
        before={k: v[:100] for k, v in before.items()},
    )
    return record


@transaction.atomic
def record_reclassify(
    *, actor: User, record: ArchiveRecord, level: str, reason: str
) -> dict:
    """The head of archives changes an accepted record's confidentiality
    (密级变更, or 解密 when lowered), with a reason. What the new level means
    for the open requests of the record is applied at once (``archives.hooks``);
    returns the counts of what was done."""
    require_perm(
        actor,
        permissions.RECLASSIFY_RECORDS,
        _("Only the head of archives changes a record's confidentiality."),
    )
    record = record_lock(record)
    if record.number is None or record.status == ArchiveRecord.Status.DESTROYED:
        raise ArchiveError(_("Only an accepted record's confidentiality is changed."))
    if level not in ArchiveRecord.Confidentiality.values:
        raise ValidationError({"level": _("Choose a confidentiality level.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the confidentiality changes.")})
    old = record.confidentiality
    if old == level:
        raise ValidationError({"level": _("The record already has this level.")})
    record.confidentiality = level
    changed_by(record, actor, reason.strip())
    record.save(update_fields=["confidentiality"])
    effects: dict[str, int] = {}
    for hook in hooks.LEVEL_CHANGED:
        for key, count in hook(
            record=record, old=old, new=level, actor=actor, reason=reason.strip()
        ).items():
            effects[key] = effects.get(key, 0) + count
    audit.log(
        audit.Action.RECORD_RECLASSIFIED,
        actor=actor,
        target=record,
        reason=reason.strip()[:200],
        before=old,
        after=level,
        requests=effects,
    )
    return effects


def _check_complete(record: ArchiveRecord) -> None:
    if record.carrier == ArchiveRecord.Carrier.ELECTRONIC and not record.files.exists():
        raise ArchiveError(
            _("%(title)s: an electronic record needs at least one file.")
            % {"title": record.title}
        )
    # A draft taken from an e-mail may lack its customer or sub-codes.
    try:
        record_check(
            record.category, {f: getattr(record, f) for f in RECORD_INPUT_FIELDS}
        )
        subcodes_check(
            record.category, {s.dimension.key: s for s in record.subcodes.all()}
        )
    except ValidationError as error:
        raise ArchiveError(
            _(
                "%(title)s is not complete: %(problems)s Open it, complete it, "
                "then submit it."
            )
            % {"title": record.title, "problems": " ".join(error.messages)}
        ) from error


@transaction.atomic
def records_submit(
    *, actor: User, records: Iterable[ArchiveRecord]
) -> list[ArchiveRecord]:
    """Send one or many drafts (or corrected returns) to the archivist."""
    submitted = []
    now = timezone.now()
    for record in records:
        record = record_lock(record)
        if record.created_by_id != actor.pk:
            raise NotAllowed(_("Only the person who filed it may submit it."))
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
        # In a department that checks its submissions first (S1 §4.1, S4),
        # the record waits in the supervisor's batch of the month.
        batch_join(record)
    return submitted


@transaction.atomic
def record_return(*, actor: User, record: ArchiveRecord, reason: str) -> ArchiveRecord:
    """Send a submission back to its filer with the reasons to correct."""
    require_perm(
        actor, permissions.REVIEW_RECORDS, _("You may not review submissions.")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must be corrected.")})
    record = record_lock(record)
    _not_with_supervisor(record)
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
    notify(
        user=record.created_by,
        key="record_returned",
        params={"title": record.title, "reason": reason},
        url=record.get_absolute_url(),
    )
    return record


def _not_with_supervisor(record: ArchiveRecord) -> None:
    if record_waits_for_supervisor(record):
        raise ArchiveError(
            _(
                "%(title)s is still in its department's hand-over batch: the "
                "archive reviews it once the batch is received."
            )
            % {"title": record.title}
        )


def record_accept(
    *,
    actor: User,
    record: ArchiveRecord,
    box: Box | None = None,
    new_box_shelf: Shelf | None = None,
    override_reason: str = "",
) -> ArchiveRecord:
    """Accept a submission: give its number, file its files, shelve its paper.

    Its files pass the four checks first (``filechecks.acceptance_gate``; the
    report is kept whatever it finds); a failed or pending check refuses the
    acceptance unless ``override_reason`` says why it is accepted anyway.
    ``new_box_shelf`` puts a new box for the record's category and year on
    that shelf and shelves the record in it (both or neither happen).
    """
    require_perm(
        actor, permissions.REVIEW_RECORDS, _("You may not review submissions.")
    )
    current = (
        ArchiveRecord.objects.filter(pk=record.pk)
        .values_list("status", "created_by")
        .first()
    )
    status, filer = current or ("", None)
    if status == Status.SUBMITTED:
        _not_with_supervisor(record)
    if status == Status.SUBMITTED and filer != actor.pk:
        report = acceptance_gate(
            record=record, actor=actor, override_reason=override_reason
        )
    else:
        report = None  # refused below, with the reason
    accepted = _record_accept(
        actor=actor, record=record, box=box, new_box_shelf=new_box_shelf
    )
    if report is not None and report.outcome in BLOCKING:
        override_record(report=report, actor=actor, reason=override_reason)
    return accepted


@transaction.atomic
def _record_accept(
    *,
    actor: User,
    record: ArchiveRecord,
    box: Box | None = None,
    new_box_shelf: Shelf | None = None,
) -> ArchiveRecord:
    record = record_lock(record)
    if record.status != Status.SUBMITTED:
        raise ArchiveError(
            _("Only submitted records can be accepted; this one is “%(status)s”.")
            % {"status": record.get_status_display()}
        )
    if record.created_by_id == actor.pk:
        raise NotAllowed(_("You cannot accept a record you filed yourself."))
    _not_with_supervisor(record)
    if record.is_paper and box is None and new_box_shelf is not None:
        box = box_create(
            actor=actor,
            shelf=new_box_shelf,
            category=record.category,
            year=record.date_formed.year,
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
    preservation_queue(record=record)
    record_transition(
        record=record,
        to_status=Status.ARCHIVED,
        actor=actor,
        reason=history_reason("accepted", number=issued.number),
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
    notify(
        user=record.created_by,
        key="record_accepted",
        params={"title": record.title, "number": record.number},
        url=record.get_absolute_url(),
    )
    return record


@dataclass
class BulkAcceptance:
    """What a bulk accept did: the records accepted in order, and the ones
    refused with the reason (they stay in the queue)."""

    accepted: list[ArchiveRecord] = dataclasses.field(default_factory=list)
    refused: list[tuple[ArchiveRecord, str]] = dataclasses.field(default_factory=list)
    past_retention: int = 0


def _refusal_text(error: ValidationError | ArchiveError | NotAllowed) -> str:
    if isinstance(error, ArchiveError):
        return str(error.message)
    if isinstance(error, NotAllowed):
        return str(error)
    return " ".join(str(m) for m in error.messages)


def records_accept_bulk(
    *,
    actor: User,
    records: Iterable[ArchiveRecord],
    box: Box | None = None,
    new_box_shelf: Shelf | None = None,
) -> BulkAcceptance:
    """Accept a selection in the queue's order, so the numbers follow it.

    Paper records go into ``box``, or into new boxes on ``new_box_shelf`` (one
    per category and year, another when one is full). Each record is accepted
    on its own: one refused record leaves the others accepted.
    """
    require_perm(
        actor, permissions.REVIEW_RECORDS, _("You may not review submissions.")
    )
    outcome = BulkAcceptance()
    # The new boxes made, per category and year, with how many they hold.
    made: dict[tuple[int, int], tuple[Box, int]] = {}
    today = timezone.localdate()
    ordered = sorted(records, key=lambda r: (r.submitted_at or r.created_at, r.pk))
    for record in ordered:
        try:
            # The checks' report is kept even when the acceptance is refused.
            if record.status == Status.SUBMITTED and record.created_by_id != actor.pk:
                acceptance_gate(record=record, actor=actor)
            with transaction.atomic():
                target = box if record.is_paper else None
                key = (record.category_id, record.date_formed.year)
                if record.is_paper and box is None and new_box_shelf is not None:
                    target, held = made.get(key, (None, 0))
                    if target is not None and held >= target.capacity:
                        target = None
                    if target is None:
                        target = box_create(
                            actor=actor,
                            shelf=new_box_shelf,
                            category=record.category,
                            year=key[1],
                        )
                accepted = _record_accept(actor=actor, record=record, box=target)
        except (ValidationError, ArchiveError, NotAllowed) as error:
            outcome.refused.append((record, _refusal_text(error)))
            continue
        if target is not None and box is None:
            held = made[key][1] if key in made and made[key][0] == target else 0
            made[key] = (target, held + 1)
        if accepted.disposal_due_on is not None and accepted.disposal_due_on < today:
            outcome.past_retention += 1
        outcome.accepted.append(accepted)
    return outcome


def subcodes_by_code(
    category: Category,
    named: Iterable[tuple[str | None, str]],
    known: Mapping[str, Subcode] | None = None,
) -> dict[str, Subcode]:
    """The sub-codes a filing system, the API or an import names by code, per
    dimension: ``(key, code)``, or ``(None, code)`` for a code that only one
    of the category's dimensions has. Unknown or retired ones are refused with
    a ValidationError on ``subcodes`` (the filing form offers only current
    ones). ``known`` (``subcode_index``) spares the queries of a bulk caller.
    """
    index = subcode_index(category) if known is None else known
    chosen: dict[str, Subcode] = {}
    for key, code in named:
        if key is not None:
            matches = [index[f"{key}:{code}"]] if f"{key}:{code}" in index else []
        else:
            matches = [s for name, s in index.items() if name.split(":", 1)[1] == code]
        if len(matches) != 1:
            raise ValidationError(
                {
                    "subcodes": _("%(category)s has no sub-code %(code)s.")
                    % {
                        "category": category.code,
                        "code": f"{key}:{code}" if key else code,
                    }
                }
            )
        chosen[matches[0].dimension.key] = matches[0]
    return chosen


def subcode_index(category: Category) -> dict[str, Subcode]:
    """The category's current sub-codes by ``key:code``."""
    return {
        f"{s.dimension.key}:{s.code}": s
        for s in Subcode.objects.filter(
            dimension__category=category, active=True
        ).select_related("dimension")
    }


def records_file_bulk(
    *,
    actor: User,
    rows: list[tuple[Category, dict[str, Any], list[Subcode]]],
    submit: bool,
    reason: str,
    batch_size: int = 1000,
) -> int:
    """File many checked records at once (an import): drafts, or submitted
    when ``submit``, with their first version (naming their sub-codes, as a
    record filed through the form has), their sub-codes and search columns,
    in a few queries. The rows have passed ``record_check`` and
    ``subcodes_check``; numbers are given on acceptance as usual.
    """
    now = timezone.now()
    names = dict(
        Customer.objects.filter(
            pk__in={data.get("customer_id") for _category, data, _codes in rows}
        ).values_list("pk", "name")
    )
    records = []
    for category, data, _codes in rows:
        record = ArchiveRecord(
            category=category,
            created_by=actor,
            status=Status.SUBMITTED if submit else Status.DRAFT,
            **data,
        )
        if not record.source_department_id:
            if actor.department_id is None:
                raise ArchiveError(_no_department())
            record.source_department_id = actor.department_id
        if not record.responsible_person_id:
            record.responsible_person_id = actor.pk
        record.submission_due_at = submission_due(record)
        if submit:
            record.submitted_at = now
            record.submitted_late = bool(
                record.submission_due_at and now > record.submission_due_at
            )
        record_search_fill(record, names.get(record.customer_id or 0, ""), "")
        records.append(record)
    created = bulk_create_with_history(
        records,
        ArchiveRecord,
        batch_size=batch_size,
        default_user=actor,
        default_change_reason=reason,
    )
    through = ArchiveRecord.subcodes.through
    links = through.objects.bulk_create(
        [
            through(archiverecord_id=record.pk, subcode_id=subcode.pk)
            for record, (_category, _data, codes) in zip(created, rows, strict=True)
            for subcode in codes
        ],
        batch_size=batch_size,
    )
    versions = dict(
        ArchiveRecord.history.filter(id__in=[r.pk for r in created]).values_list(
            "id", "history_id"
        )
    )
    history_links = apps.get_model("archives", "HistoricalArchiveRecord_subcodes")
    history_links.objects.bulk_create(
        [
            history_links(
                id=link.pk,
                history_id=versions[link.archiverecord_id],
                archiverecord_id=link.archiverecord_id,
                subcode_id=link.subcode_id,
            )
            for link in links
        ],
        batch_size=batch_size,
    )
    return len(created)
