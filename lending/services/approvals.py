"""Approval chains (SPEC §6, §7): worked out from the rules, signed in order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives.models import ArchiveRecord
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.lifecycle import transition
from core.permissions import user_roles
from lending.models import APPROVER_ROLES
from lending.models import LEVEL_ORDER
from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import ApprovalRule
from lending.models import ApprovalRuleStep
from lending.models import ApprovalStep
from lending.models import Kind
from lending.models import Partner
from lending.models import PartnerAgreement
from lending.selectors import agreement_covers
from lending.selectors import live_agreements
from lending.selectors import partner_of
from lending.services.grants import request_grants_sync

Relation = ApprovalRule.Relation
Scope = ApprovalRuleStep.Scope
Decision = ApprovalStep.Decision
CLOSED_LEVELS = (
    ArchiveRecord.Confidentiality.CONFIDENTIAL,
    ArchiveRecord.Confidentiality.SECRET,
)


@dataclass(frozen=True)
class PlannedStep:
    role: str
    department_id: int | None


@dataclass
class Plan:
    steps: list[PlannedStep]
    accompanied: bool


def relations_between(user, record: ArchiveRecord) -> set[str]:
    """Which of the rule relations hold between a person and a record."""
    relations: set[str] = {Relation.ANY}
    customer = record.customer
    if record.responsible_person_id == user.pk or (
        customer is not None and customer.responsible_staff_id == user.pk
    ):
        relations.add(Relation.RESPONSIBLE)
    if user.department_id and record.source_department_id == user.department_id:
        relations.add(Relation.OWN_DEPARTMENT)
    else:
        relations.add(Relation.OTHER_DEPARTMENT)
    return relations


def _matches(rule: ApprovalRule, roles: set[str], relations: set[str], level) -> bool:
    if rule.requester_role and rule.requester_role not in roles:
        return False
    if rule.relation not in relations:
        return False
    return LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(rule.min_level)


def _department_for(scope: str, requester, record: ArchiveRecord) -> int | None:
    if scope == Scope.REQUESTER_DEPARTMENT:
        return requester.department_id
    if scope == Scope.RECORD_DEPARTMENT:
        return record.source_department_id
    return None


def plan_chain(*, kind: str, requester, records: Iterable[ArchiveRecord]) -> Plan:
    """The signatures a request needs, from the active rules.

    Raises ArchiveError naming the record when a rule refuses it, a setting
    closes it, or no rule covers it.
    """
    partner = partner_of(requester)
    if partner is not None:
        return _partner_plan(kind=kind, partner=partner, records=records)
    rules = list(
        ApprovalRule.objects.filter(kind=kind, active=True)
        .prefetch_related("steps")
        .order_by("priority", "pk")
    )
    base_rules = [r for r in rules if not r.additive]
    extra_rules = [r for r in rules if r.additive]
    roles = user_roles(requester)
    wanted: dict[PlannedStep, None] = {}
    accompanied = False
    for record in records:
        level = record.confidentiality
        if settings.ARCHIVE_CONFIDENTIAL_VIEWING_CLOSED and level in CLOSED_LEVELS:
            raise ArchiveError(
                _("%(number)s is %(level)s; such records are not offered for use.")
                % {
                    "number": record.number,
                    "level": record.get_confidentiality_display(),
                }
            )
        if kind == Kind.LENDING and not record.category.lendable:
            raise ArchiveError(
                _("%(number)s is a %(category)s record: these are viewed, never lent.")
                % {"number": record.number, "category": record.category.local_name}
            )
        relations = relations_between(requester, record)
        base = next(
            (r for r in base_rules if _matches(r, roles, relations, level)), None
        )
        if base is None:
            raise ArchiveError(
                _(
                    "No approval rule covers your request for %(number)s; "
                    "ask the archive."
                )
                % {"number": record.number}
            )
        if base.refuse:
            raise ArchiveError(
                _("%(number)s cannot be requested: %(rule)s.")
                % {"number": record.number, "rule": base.description}
            )
        chosen = [
            base,
            *(r for r in extra_rules if _matches(r, roles, relations, level)),
        ]
        for rule in chosen:
            accompanied = accompanied or rule.accompanied
            for step in rule.steps.all():
                department = _department_for(step.scope, requester, record)
                wanted[PlannedStep(step.role, department)] = None
        if kind == Kind.LENDING and settings.ARCHIVE_LENDING_CS_MANAGER_APPROVAL:
            wanted[PlannedStep(Role.CS_SUPERVISOR, record.source_department_id)] = None
    # A department's signature on its own head's request is that head's: the
    # step is theirs already, and nobody signs their own request. The rest of
    # the chain decides; a chain left empty goes to the head of archives.
    own = {
        planned
        for planned in wanted
        if planned.department_id is not None
        and planned.department_id == requester.department_id
        and planned.role in roles
    }
    for planned in own:
        del wanted[planned]
    if own and not wanted:
        wanted[PlannedStep(Role.ARCHIVE_HEAD, None)] = None
    order: dict[str, int] = {role: i for i, role in enumerate(APPROVER_ROLES)}
    steps = sorted(wanted, key=lambda s: (order[s.role], s.department_id or 0))
    return Plan(steps=steps, accompanied=accompanied)


def _partner_plan(*, kind: str, partner: Partner, records) -> Plan:
    """A partner's request (S3 §5.1.3, SPEC §6.6): viewing only, of records a
    live confidentiality agreement covers; the head of the department in
    charge signs, then an executive; an archivist stays with the reader."""
    if kind != Kind.VIEWING:
        raise ArchiveError(
            _("Partners view records under their agreement; they do not borrow them.")
        )
    agreements = list(live_agreements(partner))
    for record in records:
        if record.confidentiality in CLOSED_LEVELS:
            raise ArchiveError(
                _("%(number)s is %(level)s; it is not shown outside the company.")
                % {
                    "number": record.number,
                    "level": record.get_confidentiality_display(),
                }
            )
        if not any(agreement_covers(a, record) for a in agreements):
            raise ArchiveError(
                _(
                    "%(number)s is not covered by a live confidentiality agreement "
                    "of %(partner)s."
                )
                % {"number": record.number, "partner": partner.name}
            )
    return Plan(
        steps=[
            PlannedStep(Role.DEPT_HEAD, partner.department_id),
            PlannedStep(Role.EXECUTIVE, None),
        ],
        accompanied=True,
    )


def agreement_for_request(
    *, partner: Partner, records, starts_at, ends_at
) -> PartnerAgreement:
    """The live agreement that covers every record and the whole window."""
    start, end = timezone.localdate(starts_at), timezone.localdate(ends_at)
    covering = [
        a
        for a in live_agreements(partner, start)
        if all(agreement_covers(a, r) for r in records)
    ]
    for agreement in covering:
        if agreement.valid_until >= end:
            return agreement
    if covering:
        last = max(a.valid_until for a in covering)
        raise ValidationError(
            {
                "ends_at": _(
                    "The confidentiality agreement ends on %(day)s: ask for a time "
                    "that ends by then."
                )
                % {"day": last.isoformat()}
            }
        )
    raise ValidationError(
        {"numbers": _("No live confidentiality agreement covers these records.")}
    )


def approvers_for(step: ApprovalStep):
    """Everyone who may sign this step (active, right role and department)."""
    people = User.objects.filter(is_active=True, groups__name=step.role).exclude(
        pk=step.request.requester_id
    )
    if step.department_id:
        people = people.filter(department_id=step.department_id)
    return people.distinct()


def may_sign(user, step: ApprovalStep) -> bool:
    return (
        step.role in user_roles(user)
        and (step.department_id is None or step.department_id == user.department_id)
        and user.pk != step.request.requester_id
    )


def notify_next_approvers(access_request: AccessRequest) -> None:
    step = access_request.steps.filter(decision=Decision.PENDING).first()
    if step is None:
        return
    for person in approvers_for(step):
        notify(
            user=person,
            key="request_waiting",
            params={
                "ref": access_request.reference,
                "person": str(access_request.requester),
            },
            url=access_request.get_absolute_url(),
        )


@transaction.atomic
def step_decide(
    *, step_id: int, actor: User, approve: bool, comment: str = ""
) -> AccessRequest:
    """Sign (or refuse) one step. Exactly one of two people at once succeeds."""
    step = ApprovalStep.objects.select_related("request").get(pk=step_id)
    # Every decision on a request takes the request's row lock first, so two
    # approvers of the same step are served one after the other.
    access_request = AccessRequest.objects.select_for_update().get(pk=step.request_id)
    step = access_request.steps.select_related("decided_by").get(pk=step_id)
    if step.decision != Decision.PENDING:
        raise ArchiveError(
            _("This step was already decided by %(person)s at %(time)s.")
            % {
                "person": step.decided_by,
                "time": timezone.localtime(step.decided_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if access_request.status != AccessRequest.Status.PENDING:
        raise ArchiveError(_("This request is no longer waiting for approval."))
    if actor.pk == access_request.requester_id:
        raise NotAllowed(_("Nobody approves their own request."))
    if not may_sign(actor, step):
        raise NotAllowed(_("This step waits for another approver."))
    current = access_request.steps.filter(decision=Decision.PENDING).first()
    if current is None or current.pk != step.pk:
        raise ArchiveError(_("An earlier signature is still missing."))
    if access_request.steps.filter(decided_by=actor).exists():
        raise NotAllowed(_("You have already signed this request once."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ArchiveError(_("Give the reason for the rejection."))
    if approve and not access_request.items.exists():
        raise ArchiveError(
            _(
                "None of the numbers asked for names a record this request can "
                "be for: reject it and tell the requester why."
            )
        )
    now = timezone.now()
    step.decision = Decision.APPROVED if approve else Decision.REJECTED
    step.decided_by, step.decided_at, step.comment = actor, now, comment
    step.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    audit.log(
        audit.Action.APPROVED if approve else audit.Action.REJECTED,
        actor=actor,
        target=access_request,
        step=step.position,
        comment=comment,
    )
    if not approve:
        access_request.steps.filter(decision=Decision.PENDING).update(
            decision=Decision.SKIPPED
        )
        access_request.rejection_reason = comment
        access_request.decided_at = now
        transition(
            access_request,
            AccessRequest.Status.REJECTED,
            actor=actor,
            reason=comment,
            fields=["rejection_reason", "decided_at"],
        )
        notify(
            user=access_request.requester,
            key="request_rejected",
            params={"ref": access_request.reference, "reason": comment},
            url=access_request.get_absolute_url(),
        )
        return access_request
    if access_request.steps.filter(decision=Decision.PENDING).exists():
        transaction.on_commit(lambda: notify_next_approvers(access_request))
        return access_request
    request_approve(access_request, actor=actor, now=now)
    return access_request


def request_approve(access_request: AccessRequest, *, actor, now) -> None:
    """The last signature is in: approved, the grants follow, the requester
    and the desk are told."""
    access_request.decided_at = now
    transition(
        access_request,
        AccessRequest.Status.APPROVED,
        actor=actor,
        fields=["decided_at"],
    )
    request_grants_sync(access_request)
    notify(
        user=access_request.requester,
        key="request_approved",
        params={"ref": access_request.reference},
        url=access_request.get_absolute_url(),
    )
    # The desk prepares what was approved.
    count = access_request.items.count()
    for archivist in people_with_roles(Role.ARCHIVIST):
        notify(
            user=archivist,
            key="request_ready",
            params={
                "ref": access_request.reference,
                "person": str(access_request.requester),
                "count": count,
            },
            url=access_request.get_absolute_url(),
        )


LIVE_BEFORE_HAND_OVER = (AccessRequest.Status.PENDING, AccessRequest.Status.APPROVED)


def requests_follow_level(*, record, old, new, actor, reason) -> dict:
    """A record's confidentiality changed (密级变更/解密): every request not yet
    handed over that asks for it gets the chain the new level needs.

    Steps the new level needs are added (an approved request waits again and
    its reading rights end until they are signed); steps it no longer needs
    are skipped (a request whose every remaining step is signed is approved);
    a record the rules no longer offer leaves the request (a request left
    empty is refused). Records already out stay out; the archivists are told.
    """
    counts = {"reopened": 0, "approved": 0, "removed": 0, "refused": 0, "out": 0}
    ids = (
        AccessItem.objects.filter(
            record=record, request__status__in=LIVE_BEFORE_HAND_OVER
        )
        .values_list("request_id", flat=True)
        .distinct()
    )
    for access_request in (
        AccessRequest.objects.select_for_update()
        .filter(pk__in=list(ids))
        .order_by("pk")
    ):
        _request_follow_level(access_request, record, actor, reason, counts)
    raised = LEVEL_ORDER.index(new) > LEVEL_ORDER.index(old)
    if raised:
        for item in AccessItem.objects.filter(
            record=record, is_out=True, request__status=AccessRequest.Status.OUT
        ).select_related("request__requester"):
            counts["out"] += 1
            for archivist in people_with_roles(Role.ARCHIVIST):
                notify(
                    user=archivist,
                    key="level_raised_out",
                    params={
                        "number": record.number,
                        "person": str(item.request.requester),
                        "ref": item.request.reference,
                    },
                    url=item.request.get_absolute_url(),
                )
    return {key: n for key, n in counts.items() if n}


def _request_follow_level(access_request, record, actor, reason, counts) -> None:
    items = list(access_request.items.select_related("record__category"))
    try:
        plan = plan_chain(
            kind=access_request.kind,
            requester=access_request.requester,
            records=[i.record for i in items],
        )
    except ArchiveError:
        plan = None
    if plan is None:
        # The record is no longer offered to this person at its new level.
        access_request.items.filter(record=record).delete()
        counts["removed"] += 1
        rest = [i.record for i in items if i.record_id != record.pk]
        try:
            plan = (
                plan_chain(
                    kind=access_request.kind,
                    requester=access_request.requester,
                    records=rest,
                )
                if rest
                else None
            )
        except ArchiveError:
            plan = None
        if plan is None:
            _request_refuse(access_request, actor, reason, counts)
            return
        notify(
            user=access_request.requester,
            key="request_item_removed",
            params={"number": record.number, "ref": access_request.reference},
            url=access_request.get_absolute_url(),
        )
    steps = list(access_request.steps.order_by("position"))
    kept = {
        PlannedStep(s.role, s.department_id)
        for s in steps
        if s.decision in (Decision.APPROVED, Decision.PENDING)
    }
    wanted = set(plan.steps)
    for step in steps:
        planned = PlannedStep(step.role, step.department_id)
        if step.decision == Decision.PENDING and planned not in wanted:
            step.decision = Decision.SKIPPED
            step.save(update_fields=["decision"])
    position = max((s.position for s in steps), default=0)
    added = [p for p in plan.steps if p not in kept]
    ApprovalStep.objects.bulk_create(
        ApprovalStep(
            request=access_request,
            position=position + i,
            role=planned.role,
            department_id=planned.department_id,
        )
        for i, planned in enumerate(added, start=1)
    )
    waiting = access_request.steps.filter(decision=Decision.PENDING).exists()
    Status = AccessRequest.Status
    if waiting and access_request.status == Status.APPROVED:
        access_request.decided_at = None
        transition(
            access_request,
            Status.PENDING,
            actor=actor,
            reason=reason,
            fields=["decided_at"],
        )
        request_grants_sync(access_request)
        counts["reopened"] += 1
        notify(
            user=access_request.requester,
            key="request_reopened",
            params={"number": record.number, "ref": access_request.reference},
            url=access_request.get_absolute_url(),
        )
        transaction.on_commit(lambda: notify_next_approvers(access_request))
    elif waiting and added:
        counts["reopened"] += 1
        transaction.on_commit(lambda: notify_next_approvers(access_request))
    elif not waiting and access_request.status == Status.PENDING:
        request_approve(access_request, actor=actor, now=timezone.now())
        counts["approved"] += 1


def _request_refuse(access_request, actor, reason, counts) -> None:
    access_request.steps.filter(decision=Decision.PENDING).update(
        decision=Decision.SKIPPED
    )
    access_request.rejection_reason = reason
    access_request.decided_at = timezone.now()
    transition(
        access_request,
        AccessRequest.Status.REJECTED,
        actor=actor,
        reason=reason,
        fields=["rejection_reason", "decided_at"],
    )
    request_grants_sync(access_request)
    counts["refused"] += 1
    notify(
        user=access_request.requester,
        key="request_rejected",
        params={"ref": access_request.reference, "reason": reason},
        url=access_request.get_absolute_url(),
    )
