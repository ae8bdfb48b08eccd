"""Who reads which part of the audit log (SPEC §13)."""

from __future__ import annotations

from django.db.models import QuerySet

from audit import permissions
from audit.models import AuditEntry
from core.chinese import contains_any
from core.permissions import holds_perm

READ_PERMISSION = permissions.READ_LOG


def entries_for(user) -> QuerySet[AuditEntry]:
    """The auditors read everything; the head of archives their department's."""
    if not holds_perm(user, READ_PERMISSION):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "department")
    if holds_perm(user, permissions.READ_WHOLE_LOG):
        return entries
    if user.department_id is None:
        return AuditEntry.objects.none()
    return entries.filter(department_id=user.department_id)


def entries_filtered(
    user,
    *,
    start=None,
    end=None,
    person="",
    action="",
    outcome="",
    department=None,
    target="",
) -> QuerySet[AuditEntry]:
    entries = entries_for(user)
    if start:
        entries = entries.filter(at__gte=start)
    if end:
        entries = entries.filter(at__lt=end)
    if person:
        entries = entries.filter(contains_any("actor_name", person))
    if action:
        entries = entries.filter(action=action)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if department is not None:
        entries = entries.filter(department=department)
    if target:
        entries = entries.filter(contains_any("target_label", target))
    return entries.order_by("-pk")
