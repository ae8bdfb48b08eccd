"""Handing records over, taking them back, extensions and reminders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from archives.models import ArchiveRecord
from archives.models import CustodyEvent
from archives.services.records import record_transition
from archives.services.storage import record_lock
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.lifecycle import transition
from core.permissions import require_perm
from lending import permissions
from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import Extension
from lending.models import Kind
from lending.models import Reminder
from lending.models import UsageEvent
from lending.services.grants import expired_grants_remove
from lending.services.grants import record_grant_sync
from lending.services.grants import request_grants_sync
from lending.services.requests import end_of_day
from lending.services.workdays import add_working_days
from retention.models import Incident
from retention.services.incidents import incident_open

HANDLE = permissions.HANDLE
Status = AccessRequest.Status
Condition = AccessItem.Condition


def _lock_request(access_request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("requester")
        .get(pk=access_request.pk)
    )


@transaction.atomic
def hand_over(
    *,
    access_request: AccessRequest,
    actor: User,
    receiver_confirmed: bool,
    accompanied_by=None,
) -> AccessRequest:
    """The archivist gives the approved records to the reader or borrower."""
    require_perm(actor, HANDLE, _("Only the archive hands records over."))
    locked = _lock_request(access_request)
    if locked.status != Status.APPROVED:
        raise ArchiveError(
            _(
                "Request %(ref)s is “%(status)s”; "
                "only approved requests are handed over."
            )
            % {"ref": locked.reference, "status": locked.get_status_display()}
        )
    now = timezone.now()
    if locked.ends_at <= now:
        raise ArchiveError(_("The approved time of this request has passed."))
    if locked.kind == Kind.VIEWING and locked.starts_at > now + datetime.timedelta(
        hours=1
    ):
        raise ArchiveError(
            _("The approved viewing starts at %(time)s.")
            % {"time": timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M")}
        )
    if actor.pk == locked.requester_id:
        raise NotAllowed(_("Someone else must hand records over to you."))
    if not receiver_confirmed:
        raise ValidationError(
            {
                "receiver_confirmed": _(
                    "The reader confirms receipt before taking the records."
                )
            }
        )
    if locked.accompanied:
        if accompanied_by is None:
            raise ValidationError(
                {
                    "accompanied_by": _(
                        "This viewing is accompanied: name the archivist."
                    )
                }
            )
        if accompanied_by.pk == locked.requester_id:
            raise ValidationError(
                {"accompanied_by": _("The reader cannot accompany themselves.")}
            )
    to_status = (
        ArchiveRecord.Status.IN_VIEWING
        if locked.kind == Kind.VIEWING
        else ArchiveRecord.Status.ON_LOAN
    )
    usage = (
        UsageEvent.Kind.VIEWING if locked.kind == Kind.VIEWING else UsageEvent.Kind.LOAN
    )
    items = list(locked.items.select_related("record").order_by("record_id"))
    custody, usage_events = [], []
    for item in items:
        # Records are locked in one order (by id) so two hand-overs cannot
        # wait on each other.
        record = record_lock(item.record)
        if record.status != ArchiveRecord.Status.ARCHIVED:
            raise ArchiveError(
                _(
                    "%(number)s is not on the shelf (%(status)s); "
                    "it cannot be handed over."
                )
                % {"number": record.number, "status": record.get_status_display()}
            )
        record_transition(
            record=record, to_status=to_status, actor=actor, reason=locked.reference
        )
        item.is_out = True
        item.handed_over_at = now
        item.handed_over_by = actor
        item.accompanied_by = accompanied_by if locked.accompanied else None
        item.receiver_confirmed = True
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError as error:
            raise ArchiveError(
                _("%(number)s is already out.") % {"number": record.number}
            ) from error
        custody.append(
            CustodyEvent(
                record=record,
                kind=CustodyEvent.Kind.HANDED_OVER,
                from_box_id=record.box_id,
                holder=locked.requester,
                actor=actor,
                note=locked.reference,
            )
        )
        usage_events.append(
            UsageEvent(
                kind=usage,
                record=record,
                person=locked.requester,
                department_id=locked.department_id,
                access_request=locked,
                purpose=locked.purpose,
                recorded_by=actor,
            )
        )
    CustodyEvent.objects.bulk_create(custody)
    UsageEvent.objects.bulk_create(usage_events)
    audit.log(
        audit.Action.LOAN if usage == UsageEvent.Kind.LOAN else audit.Action.VIEWING,
        actor=actor,
        target=locked,
        person=locked.requester.get_username(),
        records=[i.record.number for i in items],
    )
    return transition(locked, Status.OUT, actor=actor, reason="handed over")


@transaction.atomic
def take_back(
    *,
    access_request: AccessRequest,
    actor: User,
    conditions: dict[int, tuple[str, str]],
    partial: bool = False,
) -> AccessRequest:
    """Take records back, checking count and condition of each one.

    ``conditions`` maps each item's id to (condition, note). Missing or
    damaged records open an incident against the person who had them. With
    ``partial``, only the records given a condition come back; the others
    stay out, and the request closes when the last one is back.
    """
    require_perm(actor, HANDLE, _("Only the archive takes records back."))
    locked = _lock_request(access_request)
    if locked.status != Status.OUT:
        raise ArchiveError(_("Nothing of this request is out."))
    out = list(
        locked.items.filter(is_out=True).select_related("record").order_by("record_id")
    )
    checked = [i for i in out if conditions.get(i.pk, ("", ""))[0] in Condition.values]
    if partial and not checked:
        raise ValidationError(_("Check at least one record that comes back now."))
    items = checked if partial else out
    unchecked = [i.record.number for i in out if i not in checked]
    if unchecked and not partial:
        raise ValidationError(
            _(
                "Check every record: %(checked)d of %(total)d checked; "
                "missing: %(numbers)s."
            )
            % {
                "checked": len(items) - len(unchecked),
                "total": len(items),
                "numbers": "、".join(map(str, unchecked)),
            }
        )
    problems = [i.pk for i in items if conditions[i.pk][0] != Condition.INTACT]
    without_note = [
        i.record.number
        for i in items
        if i.pk in problems and not conditions[i.pk][1].strip()
    ]
    if without_note:
        raise ValidationError(
            _("Describe what is wrong with %(numbers)s.")
            % {"numbers": "、".join(map(str, without_note))}
        )
    now = timezone.now()
    incident = None
    if problems:
        lost = any(conditions[pk][0] == Condition.MISSING for pk in problems)
        # Through the one service that opens incidents, so the heads of
        # archives are told; each record's own status follows below.
        incident = incident_open(
            actor=actor,
            kind=Incident.Kind.LOSS if lost else Incident.Kind.DAMAGE,
            summary=_("%(ref)s returned incomplete") % {"ref": locked.reference},
            description="\n".join(
                f"{i.record.number}: {conditions[i.pk][1].strip()}"
                for i in items
                if i.pk in problems
            ),
            records=[i.record for i in items if i.pk in problems],
            effect="none",
            told=[],
            person=locked.requester,
        )
    custody = []
    for item in items:
        condition, note = conditions[item.pk]
        record = record_lock(item.record)
        to_status = {
            Condition.INTACT: ArchiveRecord.Status.ARCHIVED,
            Condition.DAMAGED: ArchiveRecord.Status.DAMAGED,
            Condition.MISSING: ArchiveRecord.Status.LOST,
        }[Condition(condition)]
        record_transition(
            record=record, to_status=to_status, actor=actor, reason=locked.reference
        )
        item.is_out = False
        item.returned_at = now
        item.received_by = actor
        item.condition = condition
        item.return_note = note.strip()[:300]
        if item.pk in problems:
            item.incident = incident
        item.save()
        if condition != Condition.MISSING:
            custody.append(
                CustodyEvent(
                    record=record,
                    kind=CustodyEvent.Kind.RETURNED,
                    to_box_id=record.box_id,
                    holder=locked.requester,
                    actor=actor,
                    note=locked.reference,
                )
            )
    CustodyEvent.objects.bulk_create(custody)
    still_out = [i.record.number for i in out if i not in items]
    if not still_out:
        locked.closed_at = now
        transition(
            locked, Status.CLOSED, actor=actor, reason="returned", fields=["closed_at"]
        )
        notify(
            user=locked.requester,
            key="use_effect_asked",
            params={"ref": locked.reference},
            url=locked.get_absolute_url(),
        )
    audit.log(
        audit.Action.RETURN,
        actor=actor,
        target=locked,
        conditions={i.record.number: i.condition for i in items},
        still_out=still_out,
    )
    request_grants_sync(locked)
    return locked


def _due_on(loan: AccessRequest) -> datetime.date:
    """A loan's due date; a loan has one from its request on."""
    if loan.due_on is None:
        raise ArchiveError(_("This loan has no due date."))
    return loan.due_on


def extension_refusal(loan: AccessRequest, today: datetime.date | None = None) -> str:
    """Why this loan cannot be extended now, or "" when it can: the one rule
    the borrower's page (which offers the form only when it can be used) and
    ``extension_request`` share."""
    if loan.kind != Kind.LENDING or loan.status != Status.OUT:
        return _("Only a loan that is out can be extended.")
    if (today or timezone.localdate()) > _due_on(loan):
        return _("The due date has passed; an extension is asked for before it.")
    if loan.extensions_used >= settings.ARCHIVE_LOAN_MAX_EXTENSIONS:
        return _("This loan has had its %(count)d extension(s) already.") % {
            "count": settings.ARCHIVE_LOAN_MAX_EXTENSIONS
        }
    return ""


@transaction.atomic
def extension_request(
    *,
    access_request: AccessRequest,
    actor: User,
    new_due_on: datetime.date,
    reason: str,
) -> Extension:
    locked = _lock_request(access_request)
    if actor.pk != locked.requester_id:
        raise NotAllowed(_("Only the borrower asks for an extension."))
    refusal = extension_refusal(locked)
    if refusal:
        raise ArchiveError(refusal)
    due_on = _due_on(locked)
    if locked.extension_requests.filter(decision=Extension.Decision.PENDING).exists():
        raise ArchiveError(_("An extension of this loan already waits for a decision."))
    latest = add_working_days(due_on, settings.ARCHIVE_LOAN_EXTENSION_DAYS)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the extension.")
    if new_due_on is None or new_due_on <= due_on:
        errors["new_due_on"] = _("The new date must come after %(due)s.") % {
            "due": due_on.isoformat()
        }
    elif new_due_on > latest:
        errors["new_due_on"] = _(
            "An extension adds at most %(days)d working days: %(date)s at the latest."
        ) % {"days": settings.ARCHIVE_LOAN_EXTENSION_DAYS, "date": latest.isoformat()}
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        request=locked,
        old_due_on=due_on,
        new_due_on=new_due_on,
        reason=reason.strip(),
    )
    for person in User.objects.filter(is_active=True, groups__name=Role.ARCHIVE_HEAD):
        if person.pk != actor.pk:
            notify(
                user=person,
                key="request_waiting",
                params={"ref": locked.reference, "person": str(actor)},
                url=locked.get_absolute_url(),
            )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: Extension, actor: User, approve: bool, comment: str = ""
) -> Extension:
    require_perm(
        actor,
        permissions.DECIDE_EXTENSIONS,
        _("The head of archives decides extensions."),
    )
    locked = _lock_request(extension.request)
    extension = locked.extension_requests.get(pk=extension.pk)
    if extension.decision != Extension.Decision.PENDING:
        raise ArchiveError(_("This extension was already decided."))
    if actor.pk == locked.requester_id:
        raise NotAllowed(_("Nobody approves their own request."))
    if not approve and not (comment or "").strip():
        raise ArchiveError(_("Give the reason for the rejection."))
    extension.decision = (
        Extension.Decision.APPROVED if approve else Extension.Decision.REJECTED
    )
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.comment = (comment or "").strip()
    extension.save()
    audit.log(
        audit.Action.APPROVED if approve else audit.Action.REJECTED,
        actor=actor,
        target=locked,
        extension_to=extension.new_due_on.isoformat(),
        comment=extension.comment,
    )
    if approve and locked.status == Status.OUT:
        locked.due_on = extension.new_due_on
        locked.ends_at = end_of_day(extension.new_due_on)
        locked.extensions_used += 1
        locked.save(update_fields=["due_on", "ends_at", "extensions_used"])
        request_grants_sync(locked)
    notify(
        user=locked.requester,
        key="extension_decided",
        params={
            "ref": locked.reference,
            "decision": str(extension.get_decision_display()),
        },
        url=locked.get_absolute_url(),
    )
    return extension


def approved_requests_expire(*, now=None) -> int:
    """Approved requests whose window passed before anything was handed over."""
    now = now or timezone.now()
    expired = 0
    stale = AccessRequest.objects.filter(status=Status.APPROVED, ends_at__lte=now)
    for access_request in stale.iterator(chunk_size=500):
        with transaction.atomic():
            locked = _lock_request(access_request)
            if locked.status != Status.APPROVED:
                continue
            locked.closed_at = now
            transition(
                locked,
                Status.EXPIRED,
                reason="window passed before the hand-over",
                fields=["closed_at"],
            )
            for item in locked.items.select_related("record"):
                record_grant_sync(user=locked.requester, record=item.record)
            expired += 1
    return expired


def _supervisors_of(person) -> list:
    if person.supervisor_id:
        return [person.supervisor]
    if not person.department_id:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            department_id=person.department_id,
            groups__name=Role.DEPT_HEAD,
        )
    )


def loan_reminders_send(*, today: datetime.date | None = None) -> int:
    """Reminders on the cadence of the settings; never the same one twice.

    For each loan still out, the latest reminder day that has come and has
    not been sent is sent (a day the task missed is caught up once, not
    repeated). From the second overdue reminder the supervisor is told too.
    """
    today = today or timezone.localdate()
    cadence = sorted(settings.ARCHIVE_LOAN_REMINDER_DAYS)
    if not cadence:
        return 0
    overdue_offsets = [d for d in cadence if d > 0]
    earliest = today - datetime.timedelta(days=cadence[0])
    loans = (
        AccessRequest.objects.filter(
            kind=Kind.LENDING, status=Status.OUT, due_on__lte=earliest
        )
        .select_related("requester__supervisor")
        .order_by("pk")
    )
    sent = 0
    for loan in loans.iterator(chunk_size=500):
        due_on = _due_on(loan)
        late_by = (today - due_on).days
        offset = max(d for d in cadence if d <= late_by)
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                request=loan, due_on=due_on, offset_days=offset
            )
            if not created:
                continue
            params = {
                "ref": loan.reference,
                "due": due_on.isoformat(),
                "days": late_by,
            }
            key = (
                "loan_due_soon"
                if offset < 0
                else "loan_due_today"
                if offset == 0
                else "loan_overdue"
            )
            notify(
                user=loan.requester,
                key=key,
                params=params,
                url=loan.get_absolute_url(),
                email=True,
            )
            if offset > 0 and overdue_offsets.index(offset) >= 1:
                for supervisor in _supervisors_of(loan.requester):
                    notify(
                        user=supervisor,
                        key="loan_overdue_report",
                        params={**params, "person": str(loan.requester)},
                        url=loan.get_absolute_url(),
                        email=True,
                    )
                reminder.supervisor_told = True
                reminder.save(update_fields=["supervisor_told"])
            sent += 1
    return sent


def daily_run(*, now=None) -> dict[str, int]:
    """What the daily Celery task does for viewing and lending."""
    now = now or timezone.now()
    return {
        "requests_expired": approved_requests_expire(now=now),
        "grants_removed": expired_grants_remove(now=now),
        "reminders_sent": loan_reminders_send(today=timezone.localdate(now)),
    }
