"""Appraisal and destruction (SPEC §9): every step, in order, under approval.

The organiser (archive_head) opens an appraisal with its group and its
candidates; the group decides each one (destroy, or keep with a new date and a
reason); the list goes to the executive; an approved list is executed with
method, place, time, executor and witnesses, who then confirm. At execution
each record is checked again: a hold, a loan, a viewing or an open incident
stops the whole destruction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives.models import ArchiveRecord
from archives.models import CustodyEvent
from archives.models import RecordUserObjectPermission
from archives.services.files import files_erase
from archives.services.records import disposal_due
from archives.services.records import record_transition
from archives.services.storage import record_lock
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.history import changed_by
from core.history import reason as history_reason
from core.lifecycle import transition
from core.permissions import require_perm
from retention import hooks
from retention import permissions
from retention.models import Appraisal
from retention.models import AppraisalItem
from retention.models import Incident
from retention.models import Witness
from retention.services.holds import held_record_ids

Status = Appraisal.Status
Decision = AppraisalItem.Decision
RecordStatus = ArchiveRecord.Status
ACTIVE = (Status.OPEN, Status.SUBMITTED, Status.APPROVED)
CANDIDATE_STATUSES = (RecordStatus.ARCHIVED, RecordStatus.DAMAGED)


def _lock(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.select_for_update().get(pk=appraisal.pk)


def _move(appraisal: Appraisal, to_status: str, actor: User, *fields: str) -> None:
    transition(appraisal, to_status, actor=actor, fields=fields)


def _require_status(appraisal: Appraisal, *allowed: str) -> None:
    if appraisal.status not in allowed:
        raise ArchiveError(
            _("Appraisal %(ref)s is “%(status)s”; this cannot be done now.")
            % {"ref": appraisal.reference, "status": appraisal.get_status_display()}
        )


def _lock_records(ids: Iterable[int]) -> list[ArchiveRecord]:
    """Lock these records in one query, always in the same order."""
    return list(
        ArchiveRecord.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )


def _records_back_on_shelf(appraisal: Appraisal, actor: User) -> list[AppraisalItem]:
    """Return the listed records of an appraisal to "archived"; their items."""
    items = list(appraisal.items.filter(decision=Decision.DESTROY))
    for record in _lock_records(i.record_id for i in items):
        record_transition(
            record=record,
            to_status=RecordStatus.ARCHIVED,
            actor=actor,
            reason=appraisal.reference,
        )
    return items


def _blocked(record_ids: Iterable[int]) -> dict[int, str]:
    """Why each of these records may not be destroyed now, if it may not."""
    ids = list(record_ids)
    reasons: dict[int, str] = {}
    for pk in held_record_ids(ids):
        reasons[pk] = _("it is held")
    # Through the link table: only these records, not the incident's others.
    for pk in Incident.records.through.objects.filter(
        incident__status=Incident.Status.OPEN, archiverecord_id__in=ids
    ).values_list("archiverecord_id", flat=True):
        reasons.setdefault(pk, _("an incident about it is open"))
    for blocker in hooks.DESTRUCTION_BLOCKERS:
        for pk, reason in blocker(ids):
            reasons.setdefault(pk, reason)
    return reasons


def _refuse_blocked(records: list[ArchiveRecord]) -> None:
    reasons = _blocked(r.pk for r in records)
    if reasons:
        numbers = {r.pk: r.number for r in records}
        raise ArchiveError(
            _("Not allowed to destroy: %(list)s.")
            % {
                "list": "；".join(
                    f"{numbers[pk]} ({why})" for pk, why in sorted(reasons.items())
                )
            }
        )


def _check_candidates(records: list[ArchiveRecord], ground: str) -> None:
    today = timezone.localdate()
    problems = []
    busy = set(
        AppraisalItem.objects.filter(
            record__in=records, appraisal__status__in=ACTIVE
        ).values_list("record__number", flat=True)
    )
    for record in records:
        if record.status not in CANDIDATE_STATUSES:
            problems.append(
                _("%(number)s is “%(status)s”")
                % {"number": record.number, "status": record.get_status_display()}
            )
        elif record.number in busy:
            problems.append(
                _("%(number)s is already in an appraisal") % {"number": record.number}
            )
        elif ground == AppraisalItem.Ground.EXPIRED and not (
            record.disposal_due_on and record.disposal_due_on <= today
        ):
            problems.append(
                _("%(number)s has not reached its disposal date")
                % {"number": record.number}
            )
        elif (
            ground == AppraisalItem.Ground.DAMAGED
            and record.status != RecordStatus.DAMAGED
        ):
            problems.append(
                _("%(number)s is not recorded as damaged") % {"number": record.number}
            )
    held = held_record_ids(r.pk for r in records)
    problems += [
        _("%(number)s is held") % {"number": r.number} for r in records if r.pk in held
    ]
    if problems:
        raise ArchiveError(
            _("These records cannot be appraised: %(list)s.")
            % {"list": "；".join(problems)}
        )


@transaction.atomic
def appraisal_open(
    *, actor: User, title: str, members: Iterable, records: list[ArchiveRecord]
) -> Appraisal:
    """Open an appraisal with its group and its first candidates."""
    require_perm(
        actor, permissions.ORGANISE_APPRAISAL, _("You may not organise appraisals.")
    )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the appraisal a title.")})
    appraisal = Appraisal(title=title[:200], opened_by=actor)
    changed_by(appraisal, actor)
    appraisal.save()
    appraisal.members.set([actor, *members])
    if records:
        appraisal_add_candidates(actor=actor, appraisal=appraisal, records=records)
    return appraisal


@transaction.atomic
def appraisal_add_candidates(
    *,
    actor: User,
    appraisal: Appraisal,
    records: list[ArchiveRecord],
    ground: str = AppraisalItem.Ground.EXPIRED,
    reason: str = "",
) -> list[AppraisalItem]:
    """Add records to an open appraisal, checked for their ground."""
    appraisal = _lock(appraisal)
    _require_organiser(actor, appraisal)
    _require_status(appraisal, Status.OPEN)
    if ground != AppraisalItem.Ground.EXPIRED and not (reason or "").strip():
        raise ValidationError({"reason": _("Say why these records should go.")})
    # Judge the records as they are now, not as the caller last saw them.
    records = list(
        ArchiveRecord.objects.select_for_update()
        .filter(pk__in=[r.pk for r in records])
        .order_by("number_prefix", "sequence_number")
    )
    _check_candidates(records, ground)
    return AppraisalItem.objects.bulk_create(
        [
            AppraisalItem(
                appraisal=appraisal,
                record=record,
                ground=ground,
                reason=(reason or "").strip()[:255],
            )
            for record in records
        ]
    )


def _require_organiser(actor: User, appraisal: Appraisal) -> None:
    if appraisal.opened_by_id != actor.pk and not actor.has_perm(
        permissions.ORGANISE_APPRAISAL
    ):
        raise NotAllowed(_("Only the organiser may change this appraisal."))


def _require_member(actor: User, appraisal: Appraisal) -> None:
    if not appraisal.members.filter(pk=actor.pk).exists():
        raise NotAllowed(_("Only the appraisal group decides its candidates."))


def _decide_destroy(item: AppraisalItem, actor: User, reason: str) -> None:
    record = record_lock(item.record)
    _refuse_blocked([record])
    if record.status != RecordStatus.APPRAISED:
        record_transition(
            record=record,
            to_status=RecordStatus.APPRAISED,
            actor=actor,
            reason=item.appraisal.reference,
        )
    item.decision = Decision.DESTROY
    item.reason = (reason or item.reason or item.get_ground_display())[:255]
    item.keep_until = None


def _decide_keep(
    item: AppraisalItem, actor: User, reason: str, keep_until: datetime.date | None
) -> None:
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Say why the record is kept.")
    if keep_until is None or keep_until <= timezone.localdate():
        errors["keep_until"] = _("Keep it until a date after today.")
    if errors:
        raise ValidationError(errors)
    record = record_lock(item.record)
    if record.status == RecordStatus.APPRAISED:
        record_transition(
            record=record,
            to_status=RecordStatus.ARCHIVED,
            actor=actor,
            reason=item.appraisal.reference,
        )
    record.retention_kept_until = keep_until
    record.disposal_due_on = disposal_due(record)
    changed_by(
        record,
        actor,
        history_reason("kept_by_appraisal", ref=item.appraisal.reference),
    )
    record.save(update_fields=["retention_kept_until", "disposal_due_on", "updated_at"])
    item.decision = Decision.KEEP
    item.reason = reason.strip()[:255]
    item.keep_until = keep_until


@transaction.atomic
def appraisal_item_decide(
    *,
    actor: User,
    item: AppraisalItem,
    decision: str,
    reason: str = "",
    keep_until: datetime.date | None = None,
) -> AppraisalItem:
    """Decide one candidate: list it for destruction, or keep it to a new date.

    A "keep" is final within the appraisal: nothing afterwards, one by one or
    in bulk, lists that record for destruction.
    """
    appraisal = _lock(item.appraisal)
    item = AppraisalItem.objects.select_for_update().get(pk=item.pk)
    item.appraisal = appraisal
    _require_member(actor, appraisal)
    _require_status(appraisal, Status.OPEN)
    if item.decision == Decision.KEEP:
        raise ArchiveError(
            _("%(number)s was decided “keep”; that decision stands.")
            % {"number": item.record.number}
        )
    if decision == Decision.DESTROY:
        _decide_destroy(item, actor, reason)
    elif decision == Decision.KEEP:
        _decide_keep(item, actor, reason, keep_until)
    else:
        raise ArchiveError(_("Choose destroy or keep."))
    item.decided_by = actor
    item.decided_at = timezone.now()
    changed_by(item, actor)
    item.save()
    return item


@transaction.atomic
def appraisal_list_undecided(*, actor: User, appraisal: Appraisal) -> int:
    """List every still undecided candidate for destruction (never a "keep").

    All at once: one lock, one check of every record (a blocked one stops the
    lot and is named), then the decisions written in bulk with history.
    """
    appraisal = _lock(appraisal)
    _require_member(actor, appraisal)
    _require_status(appraisal, Status.OPEN)
    items = list(appraisal.items.select_for_update().filter(decision=Decision.PENDING))
    if not items:
        return 0
    records = _lock_records(i.record_id for i in items)
    _refuse_blocked(records)
    for record in records:
        if record.status != RecordStatus.APPRAISED:
            record_transition(
                record=record,
                to_status=RecordStatus.APPRAISED,
                actor=actor,
                reason=appraisal.reference,
            )
    now = timezone.now()
    for item in items:
        item.decision = Decision.DESTROY
        item.reason = (item.reason or item.get_ground_display())[:255]
        item.keep_until = None
        item.decided_by = actor
        item.decided_at = now
    bulk_update_with_history(
        items,
        AppraisalItem,
        ["decision", "reason", "keep_until", "decided_by", "decided_at"],
        default_user=actor,
    )
    return len(items)


@transaction.atomic
def appraisal_submit(*, actor: User, appraisal: Appraisal) -> Appraisal:
    """Send the destruction list to the executive for approval."""
    appraisal = _lock(appraisal)
    _require_organiser(actor, appraisal)
    _require_status(appraisal, Status.OPEN)
    pending = appraisal.items.filter(decision=Decision.PENDING).count()
    if pending:
        raise ArchiveError(
            _("%(count)d candidate(s) are not decided yet.") % {"count": pending}
        )
    if not appraisal.items.filter(decision=Decision.DESTROY).exists():
        raise ArchiveError(_("The list is empty: every candidate is kept."))
    appraisal.submitted_at = timezone.now()
    _move(appraisal, Status.SUBMITTED, actor, "submitted_at")
    audit.log(audit.Action.DESTRUCTION, actor=actor, target=appraisal, step="submitted")
    url = appraisal.get_absolute_url()
    for person in people_with_roles(Role.EXECUTIVE):
        notify(
            user=person,
            key="destruction_waiting",
            params={"ref": appraisal.reference, "title": appraisal.title},
            url=url,
        )
    return appraisal


@transaction.atomic
def appraisal_approve(
    *, actor: User, appraisal: Appraisal, note: str = ""
) -> Appraisal:
    """The executive approves the destruction list."""
    require_perm(
        actor,
        permissions.APPROVE_DESTRUCTION,
        _("You may not approve destruction lists."),
    )
    appraisal = _lock(appraisal)
    _require_status(appraisal, Status.SUBMITTED)
    if actor.pk == appraisal.opened_by_id:
        raise NotAllowed(_("You cannot approve a list you organised."))
    appraisal.decided_by = actor
    appraisal.decided_at = timezone.now()
    appraisal.decision_note = (note or "").strip()
    _move(
        appraisal, Status.APPROVED, actor, "decided_by", "decided_at", "decision_note"
    )
    audit.log(audit.Action.APPROVED, actor=actor, target=appraisal, comment=note)
    notify(
        user=appraisal.opened_by,
        key="destruction_approved",
        params={"ref": appraisal.reference},
        url=appraisal.get_absolute_url(),
    )
    return appraisal


@transaction.atomic
def appraisal_reject(*, actor: User, appraisal: Appraisal, reason: str) -> Appraisal:
    """The executive sends the list back, with reasons; the group revises it."""
    require_perm(
        actor,
        permissions.APPROVE_DESTRUCTION,
        _("You may not approve destruction lists."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"note": _("Give the reasons for rejecting the list.")})
    appraisal = _lock(appraisal)
    _require_status(appraisal, Status.SUBMITTED)
    appraisal.decided_by = actor
    appraisal.decided_at = timezone.now()
    appraisal.decision_note = reason
    _move(appraisal, Status.OPEN, actor, "decided_by", "decided_at", "decision_note")
    audit.log(audit.Action.REJECTED, actor=actor, target=appraisal, comment=reason)
    # Listed records go back for a fresh decision; "keep" decisions stand.
    items = _records_back_on_shelf(appraisal, actor)
    for item in items:
        item.decision = Decision.PENDING
    bulk_update_with_history(items, AppraisalItem, ["decision"], default_user=actor)
    notify(
        user=appraisal.opened_by,
        key="destruction_rejected",
        params={"ref": appraisal.reference, "reason": reason},
        url=appraisal.get_absolute_url(),
    )
    return appraisal


@transaction.atomic
def appraisal_cancel(*, actor: User, appraisal: Appraisal) -> Appraisal:
    """Give up an appraisal that has not been approved; its records go back."""
    appraisal = _lock(appraisal)
    _require_organiser(actor, appraisal)
    _require_status(appraisal, Status.OPEN, Status.SUBMITTED)
    _records_back_on_shelf(appraisal, actor)
    _move(appraisal, Status.CANCELLED, actor)
    audit.log(audit.Action.DESTRUCTION, actor=actor, target=appraisal, step="cancelled")
    return appraisal


@transaction.atomic
def destruction_execute(
    *,
    actor: User,
    appraisal: Appraisal,
    executor,
    witnesses: list,
    place: str,
    executed_at: datetime.datetime,
    paper_method: str = "",
) -> Appraisal:
    """Destroy every listed record of an approved appraisal, or none.

    Records become tombstones (number kept), leave their boxes with a custody
    event, lose every access grant; their files are erased from the store and
    the backup once this commits.
    """
    require_perm(
        actor,
        permissions.EXECUTE_DESTRUCTION,
        _("You may not carry out destruction."),
    )
    appraisal = _lock(appraisal)
    _require_status(appraisal, Status.APPROVED)
    errors = {}
    needed = settings.ARCHIVE_DESTRUCTION_WITNESSES
    witnesses = list(dict.fromkeys(witnesses))
    if len(witnesses) < needed:
        errors["witnesses"] = _("Name at least %(n)d witnesses.") % {"n": needed}
    elif executor in witnesses:
        errors["witnesses"] = _("The executor cannot also be a witness.")
    if not (place or "").strip():
        errors["place"] = _("Say where the records were destroyed.")
    if executed_at and executed_at > timezone.now():
        errors["executed_at"] = _("The time of destruction cannot be in the future.")
    items = list(
        appraisal.items.filter(decision=Decision.DESTROY).select_related("record")
    )
    if any(i.record.is_paper for i in items) and not paper_method:
        errors["paper_method"] = _("Choose how the paper was destroyed.")
    if errors:
        raise ValidationError(errors)
    records = _lock_records(item.record_id for item in items)
    not_listed = [r.number for r in records if r.status != RecordStatus.APPRAISED]
    if not_listed:
        raise ArchiveError(
            _("Not allowed to destroy: %(list)s.")
            % {"list": "、".join(map(str, not_listed))}
        )
    _refuse_blocked(records)
    now = timezone.now()
    custody = []
    for record in records:
        if record.box_id:
            custody.append(
                CustodyEvent(
                    record=record,
                    kind=CustodyEvent.Kind.SENT_FOR_DESTRUCTION,
                    from_box_id=record.box_id,
                    holder=executor,
                    actor=actor,
                    note=appraisal.reference,
                )
            )
        record.box = None
        record_transition(
            record=record,
            to_status=RecordStatus.DESTROYED,
            actor=actor,
            reason=appraisal.reference,
            extra_fields=["box"],
        )
    files_erase(records=records, actor=actor, now=now)
    CustodyEvent.objects.bulk_create(custody)
    RecordUserObjectPermission.objects.filter(content_object__in=records).delete()
    appraisal.executor = executor
    appraisal.executed_at = executed_at or now
    appraisal.place = place.strip()[:200]
    appraisal.paper_method = paper_method
    _move(
        appraisal,
        Status.EXECUTED,
        actor,
        "executor",
        "executed_at",
        "place",
        "paper_method",
    )
    audit.log(
        audit.Action.DESTRUCTION,
        actor=actor,
        target=appraisal,
        step="executed",
        executor=executor.get_username(),
        witnesses=[w.get_username() for w in witnesses],
        records=[r.number for r in records],
    )
    Witness.objects.bulk_create(
        [Witness(appraisal=appraisal, person=person) for person in witnesses]
    )
    for person in witnesses:
        notify(
            user=person,
            key="destruction_witness",
            params={"ref": appraisal.reference},
            url=appraisal.get_absolute_url(),
        )
    return appraisal


@transaction.atomic
def destruction_witness_confirm(*, actor: User, appraisal: Appraisal) -> Appraisal:
    """A witness confirms the destruction; the last one completes it."""
    appraisal = _lock(appraisal)
    _require_status(appraisal, Status.EXECUTED)
    witness = appraisal.witnesses.filter(person=actor).first()
    if witness is None:
        raise NotAllowed(_("You are not a witness of this destruction."))
    if witness.confirmed_at:
        raise ArchiveError(_("You have already confirmed."))
    witness.confirmed_at = timezone.now()
    witness.save(update_fields=["confirmed_at"])
    audit.log(audit.Action.DESTRUCTION, actor=actor, target=appraisal, step="witnessed")
    if not appraisal.witnesses.filter(confirmed_at__isnull=True).exists():
        appraisal.completed_at = timezone.now()
        _move(appraisal, Status.COMPLETED, actor, "completed_at")
    return appraisal
