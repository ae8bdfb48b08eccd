"""Incidents (SPEC §11): what happened, to which records, what was done."""

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
from archives.models import ArchiveRecord
from archives.services.records import record_transition
from archives.services.storage import record_lock
from core.errors import ArchiveError
from core.history import changed_by
from core.lifecycle import transition
from core.permissions import require_perm
from retention import permissions
from retention.models import Incident
from retention.models import IncidentAction

RecordStatus = ArchiveRecord.Status
# What an incident does to the records it names.
EFFECTS = {"lost": RecordStatus.LOST, "damaged": RecordStatus.DAMAGED, "none": None}


@transaction.atomic
def incident_open(
    *,
    actor: User,
    kind: str,
    summary: str,
    description: str,
    records: list[ArchiveRecord],
    effect: str,
    told: list,
    told_outside: str = "",
    person=None,
) -> Incident:
    """Record an incident; the records it names become lost or damaged."""
    require_perm(actor, permissions.OPEN_INCIDENT, _("You may not record incidents."))
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Say in a line what happened.")})
    to_status = EFFECTS[effect]
    records = list(
        ArchiveRecord.objects.select_for_update()
        .filter(pk__in=[r.pk for r in records])
        .order_by("pk")
    )
    if to_status:
        allowed = [
            r
            for r in records
            if to_status in ArchiveRecord.TRANSITIONS.get(r.status, frozenset())
        ]
        refused = [r.number for r in records if r not in allowed]
        if refused:
            raise ValidationError(
                {
                    "records": _("These records cannot become “%(status)s”: %(list)s.")
                    % {"status": to_status.label, "list": "、".join(map(str, refused))}
                }
            )
    incident = Incident(
        kind=kind,
        summary=summary.strip()[:200],
        description=(description or "").strip(),
        person=person,
        opened_by=actor,
        told_outside=(told_outside or "").strip()[:255],
    )
    changed_by(incident, actor)
    incident.save()
    incident.records.set(records)
    incident.told.set(told)
    if to_status:
        for record in records:
            record_transition(
                record=record_lock(record),
                to_status=to_status,
                actor=actor,
                reason=incident.summary,
            )
    heads = people_with_roles(Role.ARCHIVE_HEAD)
    for user in {*told, *heads} - {actor}:
        notify(
            user=user,
            key="incident_opened",
            params={
                "kind": str(incident.get_kind_display()),
                "summary": incident.summary,
                "count": len(records),
            },
            url=incident.get_absolute_url(),
        )
    return incident


def _require_open(incident: Incident) -> None:
    if incident.status != Incident.Status.OPEN:
        raise ArchiveError(_("This incident is closed."))


@transaction.atomic
def incident_act(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    description: str,
    records: Iterable[ArchiveRecord] = (),
) -> IncidentAction:
    """Add an action taken; repair, re-collection or finding puts records back."""
    require_perm(
        actor, permissions.HANDLE_INCIDENT, _("You may not follow up incidents.")
    )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require_open(incident)
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what was done.")})
    records = list(records)
    affected = set(incident.records.values_list("pk", flat=True))
    strangers = [r.number for r in records if r.pk not in affected]
    if strangers:
        raise ValidationError(
            {
                "records": _("Not records of this incident: %(list)s.")
                % {"list": "、".join(map(str, strangers))}
            }
        )
    action = IncidentAction.objects.create(
        incident=incident, kind=kind, description=description.strip(), actor=actor
    )
    action.records.set(records)
    if kind in IncidentAction.RESTORING:
        for record in records:
            record = record_lock(record)
            if record.status in (RecordStatus.LOST, RecordStatus.DAMAGED):
                record_transition(
                    record=record,
                    to_status=RecordStatus.ARCHIVED,
                    actor=actor,
                    reason=action.get_kind_display(),
                )
    return action


@transaction.atomic
def incident_close(*, actor: User, incident: Incident, outcome: str) -> Incident:
    """Close the incident with its outcome; records still lost stay lost."""
    require_perm(
        actor, permissions.HANDLE_INCIDENT, _("You may not follow up incidents.")
    )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require_open(incident)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say how the incident ended.")})
    incident.outcome = outcome.strip()
    incident.closed_by = actor
    incident.closed_at = timezone.now()
    return transition(
        incident,
        Incident.Status.CLOSED,
        actor=actor,
        fields=["outcome", "closed_by", "closed_at"],
    )
