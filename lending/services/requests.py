"""Asking to view or borrow records (SPEC §6, §7)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives.errors import ArchiveError
from archives.errors import NotAllowed
from archives.models import ArchiveRecord
from archives.selectors import numbers_in
from archives.selectors import records_numbered
from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.models import Clearance
from lending.models import Kind
from lending.services.approvals import notify_next_approvers
from lending.services.approvals import plan_chain
from lending.services.grants import request_grants_sync
from lending.services.workdays import add_working_days

REQUESTABLE = (
    ArchiveRecord.Status.ARCHIVED,
    ArchiveRecord.Status.IN_VIEWING,
    ArchiveRecord.Status.ON_LOAN,
)
MAX_RECORDS = 50


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(23, 59, 59))
    )


def records_by_numbers(text: str) -> list[ArchiveRecord]:
    """The records named in free text (one number per line, or separated by
    commas or spaces); unknown numbers are reported together."""
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
    records = records_numbered(numbers)
    unusable = [r.number for r in records if r.status not in REQUESTABLE]
    if unusable:
        raise ValidationError(
            {
                "numbers": _("%(numbers)s cannot be used now (not in the archive).")
                % {"numbers": "、".join(unusable)}
            }
        )
    return records


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
) -> AccessRequest:
    """File a request; its approval chain is fixed from the rules at once."""
    if Clearance.objects.filter(person=requester).exists():
        raise NotAllowed(_("Your departure clearance is complete; you cannot borrow."))
    purpose = (purpose or "").strip()
    errors: dict[str, str] = {}
    if not purpose:
        errors["purpose"] = _("State the purpose.")
    records: list[ArchiveRecord] = []
    try:
        records = records_by_numbers(numbers)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if kind == Kind.LENDING and due_on is not None:
        ends_at = end_of_day(due_on)
    if ends_at is None:
        errors["ends_at"] = _("Give the end of the time wanted.")
    else:
        errors.update(_check_window(kind, starts_at, ends_at, due_on))
    if errors:
        raise ValidationError(errors)
    open_items = AccessItem.objects.filter(
        request__requester=requester,
        request__kind=kind,
        request__status__in=AccessRequest.OPEN_STATUSES,
        record__in=records,
    ).select_related("record", "request")
    if open_items:
        item = open_items[0]
        raise ValidationError(
            {
                "numbers": _("You already have request %(ref)s open for %(number)s.")
                % {"ref": item.request.reference, "number": item.record.number}
            }
        )
    plan = plan_chain(kind=kind, requester=requester, records=records)
    access_request = AccessRequest.objects.create(
        kind=kind,
        requester=requester,
        department_id=requester.department_id,
        purpose=purpose,
        scope=(scope or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        due_on=due_on if kind == Kind.LENDING else None,
        accompanied=plan.accompanied,
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
        access_request.status = AccessRequest.Status.APPROVED
        access_request.decided_at = timezone.now()
        access_request.save(update_fields=["status", "decided_at"])
        request_grants_sync(access_request)
    else:
        transaction.on_commit(lambda: notify_next_approvers(access_request))
    return access_request


@transaction.atomic
def access_request_withdraw(*, access_request: AccessRequest, actor) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if actor.pk != locked.requester_id:
        raise NotAllowed(_("Only the requester can withdraw a request."))
    if locked.status not in (
        AccessRequest.Status.PENDING,
        AccessRequest.Status.APPROVED,
    ):
        raise ArchiveError(
            _("Records already handed over are returned, not withdrawn.")
        )
    locked.status = AccessRequest.Status.WITHDRAWN
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    locked.steps.filter(decision=ApprovalStep.Decision.PENDING).update(
        decision=ApprovalStep.Decision.SKIPPED
    )
    request_grants_sync(locked)
    return locked
