"""Asking to view or borrow records (SPEC §6, §7)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from archives import permissions as archive_permissions
from archives.models import ArchiveRecord
from archives.selectors import numbers_in
from archives.selectors import record_visibility_q
from archives.selectors import records_numbered
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.history import changed_by
from core.history import reason
from core.lifecycle import transition
from core.permissions import holds_perm
from lending import permissions
from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.models import Clearance
from lending.models import Kind
from lending.models import UseEffect
from lending.selectors import REQUESTABLE_STATUSES
from lending.selectors import partner_of
from lending.services.approvals import Plan
from lending.services.approvals import PlannedStep
from lending.services.approvals import agreement_for_request
from lending.services.approvals import may_sign
from lending.services.approvals import notify_next_approvers
from lending.services.approvals import plan_chain
from lending.services.approvals import step_decide
from lending.services.grants import request_grants_sync
from lending.services.workdays import add_working_days

REQUESTABLE = REQUESTABLE_STATUSES
MAX_RECORDS = 50


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(23, 59, 59))
    )


def _numbers_of(text: str) -> list[str]:
    """The numbers in free text: at least one, at most MAX_RECORDS."""
    numbers = numbers_in(text)
    if not numbers:
        raise ValidationError({"numbers": _("Name at least one record number.")})
    if len(numbers) > MAX_RECORDS:
        raise ValidationError(
            {
                "numbers": _("At most %(max)d records in one request.")
                % {"max": MAX_RECORDS}
            }
        )
    return numbers


def records_by_numbers(text: str) -> list[ArchiveRecord]:
    """The records named in free text, for the archive's own use (an
    archivist serving an owner sees every record): unknown numbers and
    records not in the archive are named together."""
    records = records_numbered(_numbers_of(text))
    unusable = [r.number for r in records if r.status not in REQUESTABLE]
    if unusable:
        raise ValidationError(
            {
                "numbers": _("%(numbers)s cannot be used now (not in the archive).")
                % {"numbers": "、".join(map(str, unusable))}
            }
        )
    return records


@dataclass
class Sorted:
    """The numbers of a request, sorted without telling the requester more
    than they may know (security issue, item 1)."""

    numbers: list[str]
    records: list[ArchiveRecord]
    unavailable: list[str]


def _hidden_but_requestable(kind: str, requester, record: ArchiveRecord) -> bool:
    if record.status not in REQUESTABLE:
        return False
    try:
        plan_chain(kind=kind, requester=requester, records=[record])
    except ArchiveError:
        return False
    return True


def numbers_sort(*, kind: str, requester, text: str) -> Sorted:
    """The records a request names, and the numbers it cannot be for.

    A record the requester may see is checked as before, and a refusal names
    it. A number that names no record, or a record the requester may not see,
    gives no message at all: a hidden record the request can be for becomes
    an item like any other, and everything else is "unavailable", which only
    the archive and the approvers are told until the request is approved.
    So missing and hidden numbers get the same answer. The archive, which
    sees every record, is told of a missing number at once.
    """
    numbers = _numbers_of(text)
    found = {
        r.number: r
        for r in ArchiveRecord.objects.filter(number__in=numbers).select_related(
            "category", "customer"
        )
    }
    visible = set(
        ArchiveRecord.objects.filter(
            record_visibility_q(user=requester),
            pk__in=[r.pk for r in found.values()],
        ).values_list("pk", flat=True)
    )
    sees_all = holds_perm(requester, archive_permissions.VIEW_ALL_RECORDS)
    missing = [n for n in numbers if n not in found]
    if missing and sees_all:
        raise ValidationError(
            {
                "numbers": _("No record has the number %(numbers)s.")
                % {"numbers": "、".join(missing)}
            }
        )
    unusable = [
        n
        for n in numbers
        if n in found and found[n].pk in visible and found[n].status not in REQUESTABLE
    ]
    if unusable:
        raise ValidationError(
            {
                "numbers": _("%(numbers)s cannot be used now (not in the archive).")
                % {"numbers": "、".join(map(str, unusable))}
            }
        )
    records: list[ArchiveRecord] = []
    unavailable: list[str] = []
    for number in numbers:
        record = found.get(number)
        if record is not None and (
            record.pk in visible or _hidden_but_requestable(kind, requester, record)
        ):
            records.append(record)
        else:
            unavailable.append(number)
    return Sorted(numbers=numbers, records=records, unavailable=unavailable)


def _already_open(requester, kind: str, numbers: list[str]) -> ValidationError | None:
    """A request of the same kind still open for one of these numbers.

    Compared by the numbers asked for, not by the records found, so that the
    answer is the same whether a number names a record or not.
    """
    wanted = set(numbers)
    open_requests = AccessRequest.objects.filter(
        requester=requester, kind=kind, status__in=AccessRequest.OPEN_STATUSES
    ).prefetch_related("items__record")
    for other in open_requests:
        for number in other.numbers:
            if number in wanted:
                return ValidationError(
                    {
                        "numbers": _(
                            "You already have request %(ref)s open for %(number)s."
                        )
                        % {"ref": other.reference, "number": number}
                    }
                )
    return None


def _check_window(kind, starts_at, ends_at, due_on) -> dict[str, str]:
    errors: dict[str, str] = {}
    now = timezone.now()
    if kind == Kind.VIEWING:
        if ends_at <= starts_at:
            errors["ends_at"] = _("The end must come after the start.")
        elif ends_at <= now:
            errors["ends_at"] = _("This time has already passed.")
        return errors
    if due_on is None:
        errors["due_on"] = _("Give the expected return date.")
        return errors
    start_day = timezone.localdate(starts_at)
    if start_day < timezone.localdate():
        errors["starts_at"] = _("The loan cannot start in the past.")
    latest = add_working_days(start_day, settings.ARCHIVE_LOAN_WORKING_DAYS)
    if due_on <= start_day:
        errors["due_on"] = _("The return date must come after the start.")
    elif due_on > latest:
        errors["due_on"] = _(
            "A loan lasts at most %(days)d working days: return by %(date)s."
        ) % {"days": settings.ARCHIVE_LOAN_WORKING_DAYS, "date": latest.isoformat()}
    return errors


@transaction.atomic
def access_request_create(
    *,
    requester,
    kind: str,
    numbers: str,
    purpose: str,
    scope: str = "",
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    due_on: datetime.date | None = None,
    description: str = "",
) -> AccessRequest:
    """File a request; its approval chain is fixed from the rules at once.

    Without numbers, a ``description`` of the records wanted: the archivist
    finds them (``request_numbers_fill``) before anyone else signs.
    """
    if Clearance.objects.filter(person=requester).exists():
        raise NotAllowed(_("Your departure clearance is complete; you cannot borrow."))
    purpose = (purpose or "").strip()
    description = (description or "").strip()
    errors: dict[str, str] = {}
    if not purpose:
        errors["purpose"] = _("State the purpose.")
    found = Sorted(numbers=[], records=[], unavailable=[])
    if numbers_in(numbers or "") or not description:
        try:
            found = numbers_sort(kind=kind, requester=requester, text=numbers)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            if not numbers_in(numbers or ""):
                errors["numbers"] = _(
                    "Name at least one record number, or describe the records "
                    "you look for."
                )
    if kind == Kind.LENDING and due_on is not None:
        ends_at = end_of_day(due_on)
    if ends_at is None:
        errors["ends_at"] = _("Give the end of the time wanted.")
    else:
        errors.update(_check_window(kind, starts_at, ends_at, due_on))
    if errors:
        raise ValidationError(errors)
    assert ends_at is not None  # refused above when missing
    already = _already_open(requester, kind, found.numbers)
    if already is not None:
        raise already
    records = found.records
    plan = plan_chain(kind=kind, requester=requester, records=records)
    agreement = None
    partner = partner_of(requester)
    if partner is not None and records:
        agreement = agreement_for_request(
            partner=partner, records=records, starts_at=starts_at, ends_at=ends_at
        )
    if not records:
        # Nothing the request can be for: the archive looks at the numbers
        # and answers, as it would for any request (the chain is not shown
        # to the requester before approval).
        plan = Plan(steps=[PlannedStep(Role.ARCHIVIST, None)], accompanied=False)
    access_request = AccessRequest.objects.create(
        kind=kind,
        requester=requester,
        department_id=requester.department_id,
        asked_numbers=found.numbers,
        purpose=purpose,
        description=description,
        scope=(scope or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        due_on=due_on if kind == Kind.LENDING else None,
        accompanied=plan.accompanied,
        agreement=agreement,
    )
    AccessItem.objects.bulk_create(
        AccessItem(request=access_request, record=record) for record in records
    )
    ApprovalStep.objects.bulk_create(
        ApprovalStep(
            request=access_request,
            position=i,
            role=step.role,
            department_id=step.department_id,
        )
        for i, step in enumerate(plan.steps, start=1)
    )
    if not plan.steps:
        # A rule without steps: approved as filed (for example a setting that
        # lets archivists' own requests through).
        access_request.decided_at = timezone.now()
        transition(
            access_request,
            AccessRequest.Status.APPROVED,
            actor=requester,
            reason="no approval needed",
            fields=["decided_at"],
        )
        request_grants_sync(access_request)
    else:
        transaction.on_commit(lambda: notify_next_approvers(access_request))
    return access_request


@transaction.atomic
def access_request_withdraw(
    *, access_request: AccessRequest, actor: User, reason: str = ""
) -> AccessRequest:
    """Withdraw a request not yet handed over: by its requester, or by the
    archive completing the requester's departure clearance (with a reason)."""
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    clearing = bool(reason) and actor.has_perm(permissions.CLEAR_DEPARTURE)
    if actor.pk != locked.requester_id and not clearing:
        raise NotAllowed(_("Only the requester can withdraw a request."))
    if locked.status not in (
        AccessRequest.Status.PENDING,
        AccessRequest.Status.APPROVED,
    ):
        raise ArchiveError(
            _("Records already handed over are returned, not withdrawn.")
        )
    locked.closed_at = timezone.now()
    transition(
        locked,
        AccessRequest.Status.WITHDRAWN,
        actor=actor,
        reason=reason,
        fields=["closed_at"],
    )
    locked.steps.filter(decision=ApprovalStep.Decision.PENDING).update(
        decision=ApprovalStep.Decision.SKIPPED
    )
    audit.log(
        audit.Action.WITHDRAWN,
        actor=actor,
        target=locked,
        reason=reason,
    )
    request_grants_sync(locked)
    return locked


@transaction.atomic
def request_numbers_fill(*, step_id: int, actor: User, numbers: str) -> AccessRequest:
    """The archivist's answer to a request by description: the records that
    fit it become its items, the approval chain for them follows this step,
    and the step is signed (``step_decide``)."""
    step = ApprovalStep.objects.get(pk=step_id)
    locked = AccessRequest.objects.select_for_update().get(pk=step.request_id)
    step = locked.steps.get(pk=step_id)
    if not may_sign(actor, step) or actor.pk == locked.requester_id:
        raise NotAllowed(_("This step waits for another approver."))
    if not (locked.description and not locked.items.exists()):
        raise ArchiveError(_("Only a request by description is filled in."))
    if step.role != Role.ARCHIVIST or step.decision != ApprovalStep.Decision.PENDING:
        raise ArchiveError(_("This step is not the archive's to fill."))
    found = numbers_sort(kind=locked.kind, requester=locked.requester, text=numbers)
    if not found.records:
        raise ValidationError(
            {
                "numbers": _(
                    "None of these can be given to %(person)s: %(numbers)s. "
                    "Reject the request with the reason instead."
                )
                % {"person": locked.requester, "numbers": "、".join(found.unavailable)}
            }
        )
    if found.unavailable:
        raise ValidationError(
            {
                "numbers": _("%(numbers)s cannot be given to %(person)s.")
                % {"numbers": "、".join(found.unavailable), "person": locked.requester}
            }
        )
    AccessItem.objects.bulk_create(
        AccessItem(request=locked, record=record) for record in found.records
    )
    plan = plan_chain(
        kind=locked.kind, requester=locked.requester, records=found.records
    )
    ApprovalStep.objects.bulk_create(
        ApprovalStep(
            request=locked,
            position=step.position + i,
            role=planned.role,
            department_id=planned.department_id,
        )
        for i, planned in enumerate(plan.steps, start=1)
    )
    locked.asked_numbers = found.numbers
    locked.accompanied = plan.accompanied
    locked.save(update_fields=["asked_numbers", "accompanied"])
    return step_decide(
        step_id=step.pk,
        actor=actor,
        approve=True,
        # Kept as a code, worded for each reader (issue 19, item 17).
        comment=reason("records_found", length=None, numbers="、".join(found.numbers)),
    )


def use_effect_may_tell(user, access_request: AccessRequest) -> bool:
    """The requester, or the archive at the desk, tells what a use achieved
    once it has ended (returned, or the viewing window passed)."""
    return access_request.status in AccessRequest.ENDED_STATUSES and (
        user.pk == access_request.requester_id or user.has_perm(permissions.HANDLE)
    )


@transaction.atomic
def use_effect_record(
    *, actor: User, access_request: AccessRequest, effect: str, note: str = ""
) -> AccessRequest:
    """Record the effect of a viewing or loan (利用效果) for the statistics."""
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status not in AccessRequest.ENDED_STATUSES:
        raise ArchiveError(_("The effect is told once the use has ended."))
    if not use_effect_may_tell(actor, locked):
        raise NotAllowed(_("Only the requester or the archive tells the effect."))
    if effect not in UseEffect.values:
        raise ValidationError({"effect": _("Choose what the use achieved.")})
    note = (note or "").strip()
    if effect == UseEffect.OTHER and not note:
        raise ValidationError({"note": _("Say what the use achieved.")})
    locked.use_effect, locked.use_effect_note = effect, note[:300]
    locked.use_effect_by, locked.use_effect_at = actor, timezone.now()
    changed_by(locked, actor, reason("use_effect"))
    locked.save(
        update_fields=[
            "use_effect",
            "use_effect_note",
            "use_effect_by",
            "use_effect_at",
        ]
    )
    audit.log(audit.Action.USE_EFFECT, actor=actor, target=locked, effect=effect)
    return locked
