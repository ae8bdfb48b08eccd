"""Owners at the front desk (SPEC §8, S4 檔案的利用)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from archives.models import ArchiveRecord
from archives.personal import decrypt
from archives.personal import encrypt
from archives.personal import mask_contact
from audit import services as audit
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.history import changed_by
from core.lifecycle import transition
from core.permissions import require_perm
from lending import permissions
from lending.identity import check_id
from lending.identity import decrypt_id
from lending.identity import encrypt_id
from lending.identity import mask_id
from lending.models import LEVEL_ORDER
from lending.models import CopyItem
from lending.models import CopyReceipt
from lending.models import OwnerRequest
from lending.models import UsageEvent
from lending.services.requests import records_by_numbers

Status = OwnerRequest.Status
REGISTER = permissions.REGISTER_OWNERS
APPROVE = permissions.APPROVE_OWNERS
SERVE = permissions.SERVE_OWNERS
REVEAL = permissions.REVEAL_OWNERS
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def owner_request_register(*, actor: User, data: dict) -> OwnerRequest:
    """Front desk: identity checked, property, records wanted, purpose."""
    require_perm(actor, REGISTER, _("Only the front desk registers owners."))
    errors: dict[str, str] = {}
    for field, message in (
        ("owner_name", _("Enter the owner's name.")),
        ("property_unit", _("Enter the property or room.")),
        ("records_wanted", _("Say which records the owner wants.")),
        ("purpose", _("State the purpose.")),
    ):
        if not str(data.get(field) or "").strip():
            errors[field] = message
    id_problem = check_id(data.get("id_type", ""), data.get("id_number", ""))
    if id_problem:
        errors["id_number"] = id_problem
    if not data.get("proof_checked"):
        errors["proof_checked"] = _(
            "Check the proof of the property before registering."
        )
    if data.get("is_proxy"):
        if not str(data.get("proxy_name") or "").strip():
            errors["proxy_name"] = _("Enter the proxy's name.")
        proxy_problem = check_id(
            data.get("proxy_id_type", ""), data.get("proxy_id_number", "")
        )
        if proxy_problem:
            errors["proxy_id_number"] = proxy_problem
        if not data.get("authorisation_checked"):
            errors["authorisation_checked"] = _(
                "A proxy brings the owner's letter of authorisation; check it first."
            )
    if errors:
        raise ValidationError(errors)
    phone = str(data.get("phone") or "").strip()
    owner_request = OwnerRequest(
        owner_name=data["owner_name"].strip(),
        id_type=data["id_type"],
        id_number_cipher=encrypt_id(data["id_number"]),
        id_number_masked=mask_id(data["id_number"]),
        phone_cipher=encrypt(phone),
        phone_masked=mask_contact(phone),
        property_unit=data["property_unit"].strip(),
        proof_checked=True,
        proof_description=str(data.get("proof_description") or "").strip(),
        records_wanted=data["records_wanted"].strip(),
        purpose=data["purpose"].strip(),
        registered_by=actor,
    )
    if data.get("is_proxy"):
        owner_request.is_proxy = True
        owner_request.proxy_name = data["proxy_name"].strip()
        owner_request.proxy_id_type = (
            data.get("proxy_id_type") or OwnerRequest.IdType.ID_CARD
        )
        owner_request.proxy_id_cipher = encrypt_id(data["proxy_id_number"])
        owner_request.proxy_id_masked = mask_id(data["proxy_id_number"])
        owner_request.authorisation_checked = True
    changed_by(owner_request, actor)
    owner_request.save()
    supervisors = User.objects.filter(is_active=True, groups__name=Role.CS_SUPERVISOR)
    if actor.department_id:
        own = supervisors.filter(department_id=actor.department_id)
        supervisors = own if own.exists() else supervisors
    for person in supervisors:
        notify(
            user=person,
            key="owner_request_waiting",
            params={"ref": owner_request.reference},
            url=owner_request.get_absolute_url(),
        )
    return owner_request


def _lock(owner_request: OwnerRequest) -> OwnerRequest:
    return OwnerRequest.objects.select_for_update().get(pk=owner_request.pk)


@transaction.atomic
def owner_personal_data(*, actor: User, owner_request: OwnerRequest) -> dict[str, str]:
    """The full identifiers, for those whose work needs them; each time logged."""
    require_perm(
        actor, REVEAL, _("Your role sees owners' ID and phone numbers masked only.")
    )
    audit.log(
        audit.Action.PERSONAL_DATA_SHOWN,
        actor=actor,
        target=owner_request,
        fields=["id_number", "phone"]
        + (["proxy_id_number"] if owner_request.is_proxy else []),
    )
    return {
        "id_number": decrypt_id(owner_request.id_number_cipher),
        "phone": decrypt(owner_request.phone_cipher),
        "proxy_id_number": decrypt_id(owner_request.proxy_id_cipher),
    }


@transaction.atomic
def owner_request_decide(
    *, owner_request: OwnerRequest, actor: User, approve: bool, reason: str = ""
) -> OwnerRequest:
    require_perm(
        actor, APPROVE, _("The customer-service supervisor approves owners' requests.")
    )
    locked = _lock(owner_request)
    if locked.status != Status.PENDING:
        raise ArchiveError(_("This request was already decided."))
    if actor.pk == locked.registered_by_id:
        raise NotAllowed(_("Someone other than the registrant approves it."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ArchiveError(_("Give the reason for the rejection."))
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.rejection_reason = reason
    transition(
        locked,
        Status.APPROVED if approve else Status.REJECTED,
        actor=actor,
        reason=reason,
        fields=["decided_by", "decided_at", "rejection_reason"],
    )
    audit.log(
        audit.Action.APPROVED if approve else audit.Action.REJECTED,
        actor=actor,
        target=locked,
        comment=reason,
    )
    return locked


@transaction.atomic
def owner_viewing_record(
    *, owner_request: OwnerRequest, actor: User, numbers: str
) -> OwnerRequest:
    """The archivist shows the records, present in the reading area."""
    require_perm(actor, SERVE, _("An archivist serves owners."))
    locked = _lock(owner_request)
    if locked.status != Status.APPROVED:
        raise ArchiveError(_("The supervisor has not approved this request."))
    records = records_by_numbers(numbers)
    locked.records.set(records)
    locked.served_by, locked.viewed_at = actor, timezone.now()
    transition(locked, Status.VIEWED, actor=actor, fields=["served_by", "viewed_at"])
    UsageEvent.objects.bulk_create(
        UsageEvent(
            kind=UsageEvent.Kind.OWNER_VIEWING,
            record=record,
            owner_request=locked,
            purpose=locked.purpose,
            recorded_by=actor,
        )
        for record in records
    )
    audit.log(
        audit.Action.OWNER_VIEWING,
        actor=actor,
        target=locked,
        records=[r.number for r in records],
    )
    return locked


def copy_allowed_for(record: ArchiveRecord) -> bool:
    limit = settings.ARCHIVE_OWNER_COPY_MAX_LEVEL
    return LEVEL_ORDER.index(record.confidentiality) <= LEVEL_ORDER.index(limit)


@transaction.atomic
def copy_decide(
    *,
    owner_request: OwnerRequest,
    actor: User,
    record: ArchiveRecord,
    pages: int,
    allowed: bool,
    reason: str = "",
) -> CopyItem:
    """The archivist allows or refuses a copy of one record shown."""
    require_perm(actor, SERVE, _("An archivist decides on copies."))
    locked = _lock(owner_request)
    if locked.status != Status.VIEWED:
        raise ArchiveError(
            _("Copies are decided after the viewing, before the receipt.")
        )
    if not locked.records.filter(pk=record.pk).exists():
        raise ValidationError(
            {"record": _("Only records shown to the owner are copied.")}
        )
    reason = (reason or "").strip()
    if pages < 1:
        raise ValidationError({"pages": _("A copy has at least one page.")})
    if allowed and not copy_allowed_for(record):
        raise ValidationError(
            {
                "record": _("%(number)s is %(level)s: it is not copied for owners.")
                % {
                    "number": record.number,
                    "level": record.get_confidentiality_display(),
                }
            }
        )
    if not allowed and not reason:
        raise ValidationError({"reason": _("Give the reason for refusing the copy.")})
    item, _created = CopyItem.objects.update_or_create(
        owner_request=locked,
        record=record,
        defaults={
            "pages": pages,
            "allowed": allowed,
            "reason": reason,
            "decided_by": actor,
        },
    )
    return item


@transaction.atomic
def receipt_issue(
    *, owner_request: OwnerRequest, actor: User, owner_signed: bool
) -> CopyReceipt:
    """Close the visit: the fee for the allowed copies and the signed receipt."""
    require_perm(actor, SERVE, _("An archivist issues receipts."))
    locked = _lock(owner_request)
    if locked.status != Status.VIEWED:
        raise ArchiveError(_("This visit has no copies waiting for a receipt."))
    if not owner_signed:
        raise ValidationError(
            {"owner_signed": _("The owner signs for the copies first.")}
        )
    allowed = list(locked.copy_items.filter(allowed=True).select_related("record"))
    fee_per_page = Decimal(settings.ARCHIVE_COPY_FEE_PER_PAGE)
    total_pages = sum(item.pages for item in allowed)
    receipt = CopyReceipt.objects.create(
        owner_request=locked,
        code="".join(secrets.choice(CODE_ALPHABET) for _i in range(10)),
        fee_per_page=fee_per_page,
        total_pages=total_pages,
        total_fee=fee_per_page * total_pages,
        issued_by=actor,
        owner_signed=True,
    )
    UsageEvent.objects.bulk_create(
        UsageEvent(
            kind=UsageEvent.Kind.COPY,
            record=item.record,
            owner_request=locked,
            purpose=locked.purpose,
            pages=item.pages,
            recorded_by=actor,
        )
        for item in allowed
    )
    audit.log(
        audit.Action.COPY,
        actor=actor,
        target=locked,
        copies={item.record.number: item.pages for item in allowed},
        receipt=receipt.code,
    )
    transition(locked, Status.CLOSED, actor=actor)
    return receipt
