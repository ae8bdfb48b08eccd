"""External partners under a confidentiality agreement (S3 §5.1.3, SPEC
§6.6; issue 20, item 1): the head of archives registers the organisation,
its people and each signed agreement; access ends with the agreement."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from audit import services as audit
from core.errors import ArchiveError
from core.history import changed_by
from core.lifecycle import transition
from core.permissions import require_perm
from core.permissions import user_roles
from lending import permissions
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.models import Partner
from lending.models import PartnerAgreement
from lending.services.grants import request_grants_sync

MAX_AGREEMENT_BYTES = 20 * 1024 * 1024
Decision = ApprovalStep.Decision


@transaction.atomic
def partner_save(*, actor: User, partner: Partner | None, data) -> Partner:
    require_perm(
        actor,
        permissions.MANAGE_PARTNERS,
        _("Only the head of archives keeps partners."),
    )
    errors = {}
    code = (data.get("code") or "").strip() if partner is None else partner.code
    if not code:
        errors["code"] = _("Give the partner's code.")
    elif partner is None and Partner.objects.filter(code=code).exists():
        errors["code"] = _("Partner %(code)s exists already.") % {"code": code}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Give the partner's name.")
    if data.get("department") is None:
        errors["department"] = _("Choose the department in charge.")
    if errors:
        raise ValidationError(errors)
    partner = partner or Partner(code=code)
    partner.name = data["name"].strip()
    partner.contact = (data.get("contact") or "").strip()
    partner.department = data["department"]
    changed_by(partner, actor)
    partner.save()
    return partner


@transaction.atomic
def partner_member_add(*, actor: User, partner: Partner, person: User) -> None:
    """Let a person with the partner role ask for records as this partner."""
    require_perm(
        actor,
        permissions.MANAGE_PARTNERS,
        _("Only the head of archives keeps partners."),
    )
    if Role.PARTNER not in user_roles(person):
        raise ValidationError(
            {
                "person": _(
                    "%(person)s does not have the partner role; the security "
                    "administrator gives it."
                )
                % {"person": person}
            }
        )
    other = Partner.objects.filter(members=person).exclude(pk=partner.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "person": _("%(person)s works for %(partner)s.")
                % {"person": person, "partner": other}
            }
        )
    partner.members.add(person)
    audit.log(
        audit.Action.ACCESS_CHANGED, actor=actor, target=partner, added=person.username
    )


def _signed_copy_check(upload) -> None:
    if upload is None:
        raise ValidationError({"signed_file": _("Attach the signed agreement (PDF).")})
    if upload.size > MAX_AGREEMENT_BYTES:
        raise ValidationError(
            {"signed_file": _("The signed agreement is larger than 20 MB.")}
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(
            {"signed_file": _("The signed agreement must be a PDF file.")}
        )


@transaction.atomic
def agreement_register(
    *,
    actor: User,
    partner: Partner,
    number: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    categories=(),
    records=(),
    signed_file=None,
) -> PartnerAgreement:
    """Record a signed confidentiality agreement: its scope (categories or
    named records), its validity and the signed copy."""
    require_perm(
        actor,
        permissions.MANAGE_PARTNERS,
        _("Only the head of archives keeps partners."),
    )
    errors = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = _("Give the agreement's number.")
    elif PartnerAgreement.objects.filter(number=number).exists():
        errors["number"] = _("Agreement %(number)s is registered already.") % {
            "number": number
        }
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("The agreement ends before it begins.")
    if not list(categories) and not list(records):
        errors["categories"] = _(
            "Name what the agreement covers: categories or records."
        )
    try:
        _signed_copy_check(signed_file)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    agreement = PartnerAgreement(
        partner=partner,
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        registered_by=actor,
    )
    name = storages["default"].save(
        f"agreements/{partner.code}-{number}.pdf", signed_file
    )
    agreement.signed_file.name = name
    changed_by(agreement, actor)
    agreement.save()
    agreement.categories.set(categories)
    agreement.records.set(records)
    audit.log(
        audit.Action.SETTING_CHANGED,
        actor=actor,
        target=agreement,
        agreement=number,
        until=valid_until.isoformat(),
    )
    return agreement


@transaction.atomic
def agreement_end(*, actor: User, agreement: PartnerAgreement, reason: str) -> dict:
    """End an agreement before its date: the partner's requests under it end
    with it (waiting ones refused, approved ones expired, reading stops); a
    record already handed over is taken back by the desk, who is told."""
    require_perm(
        actor,
        permissions.MANAGE_PARTNERS,
        _("Only the head of archives keeps partners."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the agreement ends early.")})
    agreement = PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.ended_at is not None:
        raise ArchiveError(_("This agreement has ended already."))
    now = timezone.now()
    agreement.ended_at, agreement.end_reason = now, reason[:300]
    changed_by(agreement, actor, reason[:100])
    agreement.save(update_fields=["ended_at", "end_reason"])
    Status = AccessRequest.Status
    counts = {"refused": 0, "expired": 0, "out": 0}
    for access_request in AccessRequest.objects.select_for_update().filter(
        agreement=agreement, status__in=[Status.PENDING, Status.APPROVED, Status.OUT]
    ):
        if access_request.status == Status.PENDING:
            access_request.steps.filter(decision=Decision.PENDING).update(
                decision=Decision.SKIPPED
            )
            access_request.rejection_reason = reason
            access_request.decided_at = now
            transition(
                access_request,
                Status.REJECTED,
                actor=actor,
                reason=reason,
                fields=["rejection_reason", "decided_at"],
            )
            counts["refused"] += 1
        elif access_request.status == Status.APPROVED:
            access_request.closed_at = now
            transition(
                access_request,
                Status.EXPIRED,
                actor=actor,
                reason=reason,
                fields=["closed_at"],
            )
            counts["expired"] += 1
        else:
            counts["out"] += 1
            for archivist in people_with_roles(Role.ARCHIVIST):
                notify(
                    user=archivist,
                    key="agreement_ended_out",
                    params={
                        "ref": access_request.reference,
                        "number": agreement.number,
                    },
                    url=access_request.get_absolute_url(),
                )
        request_grants_sync(access_request)
    audit.log(
        audit.Action.SETTING_CHANGED,
        actor=actor,
        target=agreement,
        ended=agreement.number,
        reason=reason[:200],
        requests=counts,
    )
    return counts
