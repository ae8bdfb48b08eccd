"""The supervisor's batch check and the month-end hand-over (S1 §4.1, S4;
issue 20, item 2).

In a department whose ``batch_check`` is on, a submission does not reach the
archivist at once: it joins the department's open batch of the month. The
department's supervisor or head checks the records week by week (returning
any that need correcting to their filer), and at month end hands the batch to
the archive with a hand-over list (移交清单) both sides sign. The archivist's
receipt (移交接收登记) puts the records in the review queue.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives import permissions
from archives.models import ArchiveRecord
from archives.models import HandoverBatch
from archives.models import HandoverItem
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.lifecycle import transition
from core.permissions import require_perm
from core.permissions import user_roles

Status = HandoverBatch.Status
SIGNER_ROLES = (Role.CS_SUPERVISOR, Role.DEPT_HEAD)


def batch_checked_department(record: ArchiveRecord):
    """The department whose supervisor checks this submission first, or None
    when it goes straight to the archive."""
    department = record.created_by.department
    if department is not None and department.batch_check:
        return department
    return None


def batch_join(record: ArchiveRecord) -> HandoverItem | None:
    """Put a submission in its department's open batch of the month (called
    by the submission, inside its transaction)."""
    department = batch_checked_department(record)
    if department is None:
        return None
    month = timezone.localdate().replace(day=1)
    batch = (
        HandoverBatch.objects.select_for_update()
        .filter(department=department, month=month, status=Status.OPEN)
        .first()
    )
    if batch is None:
        batch = HandoverBatch.objects.create(department=department, month=month)
    HandoverItem.objects.filter(record=record).delete()  # a resubmission
    return HandoverItem.objects.create(batch=batch, record=record)


def record_waits_for_supervisor(record: ArchiveRecord) -> bool:
    return HandoverItem.objects.filter(
        record=record, batch__status__in=[Status.OPEN, Status.HANDED_OVER]
    ).exists()


def may_sign(user, batch: HandoverBatch) -> bool:
    return (
        user.has_perm(permissions.SIGN_BATCHES)
        and bool(set(SIGNER_ROLES) & user_roles(user))
        and user.department_id == batch.department_id
    )


def _signer(actor: User, batch: HandoverBatch) -> None:
    if not may_sign(actor, batch):
        raise NotAllowed(
            _("Only the supervisor or head of %(department)s checks this batch.")
            % {"department": batch.department}
        )


def _lock(batch: HandoverBatch) -> HandoverBatch:
    return HandoverBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def batch_items_check(
    *, actor: User, batch: HandoverBatch, items: Iterable[int]
) -> int:
    """The weekly check: the supervisor signs the records looked at."""
    _signer(actor, batch)
    batch = _lock(batch)
    if batch.status != Status.OPEN:
        raise ArchiveError(_("This batch is handed over already."))
    ids = list(items)
    if not ids:
        raise ValidationError(_("Tick the records you have checked."))
    checked = batch.items.filter(pk__in=ids, checked_at__isnull=True).update(
        checked_by=actor, checked_at=timezone.now()
    )
    audit.log(audit.Action.BATCH_CHECKED, actor=actor, target=batch, count=checked)
    return checked


@transaction.atomic
def batch_record_return(
    *, actor: User, item: HandoverItem, reason: str
) -> ArchiveRecord:
    """The supervisor sends one record back to its filer with the reasons."""
    from archives.services.records import record_transition

    batch = item.batch
    _signer(actor, batch)
    batch = _lock(batch)
    if batch.status != Status.OPEN:
        raise ArchiveError(_("This batch is handed over already."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must be corrected.")})
    record = ArchiveRecord.objects.select_for_update().get(pk=item.record_id)
    if record.status != ArchiveRecord.Status.SUBMITTED:
        raise ArchiveError(_("This record is no longer waiting in the batch."))
    record_transition(
        record=record,
        to_status=ArchiveRecord.Status.RETURNED,
        actor=actor,
        reason=reason,
    )
    item.delete()
    audit.log(audit.Action.REJECTED, actor=actor, target=record, comment=reason)
    notify(
        user=record.created_by,
        key="record_returned",
        params={"title": record.title, "reason": reason},
        url=record.get_absolute_url(),
    )
    return record


@transaction.atomic
def batch_hand_over(*, actor: User, batch: HandoverBatch) -> HandoverBatch:
    """Month end: every record checked, the batch goes to the archive."""
    _signer(actor, batch)
    batch = _lock(batch)
    if not batch.items.exists():
        raise ArchiveError(_("The batch is empty: there is nothing to hand over."))
    unchecked = batch.items.filter(checked_at__isnull=True).count()
    if unchecked:
        raise ArchiveError(
            _("%(count)d record(s) of the batch are not checked yet.")
            % {"count": unchecked}
        )
    batch.handed_over_by, batch.handed_over_at = actor, timezone.now()
    transition(
        batch,
        Status.HANDED_OVER,
        actor=actor,
        fields=["handed_over_by", "handed_over_at"],
    )
    audit.log(
        audit.Action.BATCH_HANDED_OVER,
        actor=actor,
        target=batch,
        count=batch.items.count(),
    )
    for archivist in people_with_roles(Role.ARCHIVIST):
        notify(
            user=archivist,
            key="batch_handed_over",
            params={
                "ref": batch.reference,
                "person": str(actor),
                "count": batch.items.count(),
            },
            url=batch.get_absolute_url(),
        )
    return batch


@transaction.atomic
def batch_receive(
    *, actor: User, batch: HandoverBatch, note: str = ""
) -> HandoverBatch:
    """The archivist signs the receipt (移交接收登记): the records are checked
    against the list, and join the review queue."""
    require_perm(
        actor, permissions.RECEIVE_BATCHES, _("Only the archive receives batches.")
    )
    batch = _lock(batch)
    if batch.status != Status.HANDED_OVER:
        raise ArchiveError(_("Only a batch handed over is received."))
    if actor.pk == batch.handed_over_by_id:
        raise NotAllowed(_("The one who hands a batch over does not receive it."))
    batch.received_by, batch.received_at = actor, timezone.now()
    batch.receipt_note = (note or "").strip()[:300]
    transition(
        batch,
        Status.RECEIVED,
        actor=actor,
        fields=["received_by", "received_at", "receipt_note"],
    )
    audit.log(
        audit.Action.BATCH_RECEIVED,
        actor=actor,
        target=batch,
        count=batch.items.count(),
    )
    return batch
