"""Complaints about the archive's own work (S4 监督与考核; issue 20, item 7):
staff report them, the front desk reports an owner's; the heads of archives
follow each to closure, and whoever complained is told the answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives import personal
from archives.models import ArchiveRecord
from audit import services as audit
from core.history import changed_by
from core.lifecycle import transition
from core.permissions import require_perm
from retention import permissions
from retention.models import Complaint

Status = Complaint.Status
# Who meets owners: the front desk registers them, the archivists serve them
# (lending's permissions, named here as the role matrix has them).
OWNER_DESK_PERMS = ("lending.add_ownerrequest", "lending.serve_ownerrequest")


def serves_owners(user: User) -> bool:
    return any(user.has_perm(p) for p in OWNER_DESK_PERMS)


@transaction.atomic
def complaint_report(
    *,
    actor: User,
    source: str,
    topic: str,
    summary: str,
    description: str = "",
    record_number: str = "",
    owner_name: str = "",
    owner_contact: str = "",
) -> Complaint:
    """Take a complaint; the heads of archives are told."""
    require_perm(
        actor,
        permissions.REPORT_COMPLAINT,
        _("You may not report complaints here."),
    )
    errors = {}
    if not (summary or "").strip():
        errors["summary"] = _("Say in a line what the complaint is about.")
    if source == Complaint.Source.OWNER:
        if not serves_owners(actor):
            errors["source"] = _("An owner's complaint is taken at the front desk.")
        if not (owner_name or "").strip():
            errors["owner_name"] = _("Write the owner's name.")
        if not (owner_contact or "").strip():
            errors["owner_contact"] = _("Write how to reach the owner with the answer.")
    record = None
    if (record_number or "").strip():
        record = ArchiveRecord.objects.filter(number=record_number.strip()).first()
        if record is None:
            errors["record_number"] = _("There is no record %(number)s.") % {
                "number": record_number.strip()
            }
    if errors:
        raise ValidationError(errors)
    contact = (owner_contact or "").strip() if source == Complaint.Source.OWNER else ""
    complaint = Complaint(
        source=source,
        topic=topic,
        summary=summary.strip()[:200],
        description=(description or "").strip(),
        record=record,
        owner_name=(owner_name or "").strip()[:100]
        if source == Complaint.Source.OWNER
        else "",
        owner_contact_cipher=personal.encrypt(contact),
        owner_contact_masked=personal.mask_contact(contact)[:100],
        reported_by=actor,
    )
    changed_by(complaint, actor)
    complaint.save()
    for head in people_with_roles(Role.ARCHIVE_HEAD).exclude(pk=actor.pk):
        notify(
            user=head,
            key="complaint_reported",
            params={"summary": complaint.summary},
            url=complaint.get_absolute_url(),
        )
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def complaint_take(*, actor: User, complaint: Complaint) -> Complaint:
    """A head of archives takes the complaint in hand."""
    require_perm(
        actor, permissions.HANDLE_COMPLAINT, _("You may not handle complaints.")
    )
    complaint = _locked(complaint)
    complaint.handled_by = actor
    return transition(complaint, Status.HANDLING, actor=actor, fields=["handled_by"])


@transaction.atomic
def complaint_close(
    *, actor: User, complaint: Complaint, findings: str, answer: str
) -> Complaint:
    """Close it with what was found and the answer; the reporter is told."""
    require_perm(
        actor, permissions.HANDLE_COMPLAINT, _("You may not handle complaints.")
    )
    complaint = _locked(complaint)
    errors = {}
    if not (findings or "").strip():
        errors["findings"] = _("Say what the investigation found.")
    if not (answer or "").strip():
        errors["answer"] = _("Write the answer given to whoever complained.")
    if errors:
        raise ValidationError(errors)
    complaint.findings = findings.strip()
    complaint.answer = answer.strip()
    complaint.handled_by = complaint.handled_by or actor
    complaint.closed_at = timezone.now()
    transition(
        complaint,
        Status.CLOSED,
        actor=actor,
        fields=["findings", "answer", "handled_by", "closed_at"],
    )
    notify(
        user=complaint.reported_by,
        key="complaint_answered",
        params={"summary": complaint.summary, "answer": complaint.answer[:300]},
        url=complaint.get_absolute_url(),
    )
    return complaint


def owner_contact_reveal(*, actor: User, complaint: Complaint) -> str:
    """The owner's full contact, to give the answer; logged."""
    require_perm(
        actor, permissions.HANDLE_COMPLAINT, _("You may not handle complaints.")
    )
    audit.log(
        audit.Action.PERSONAL_DATA_SHOWN,
        actor=actor,
        target=complaint,
        field="owner_contact",
    )
    return personal.decrypt(complaint.owner_contact_cipher)
