"""Customers: created by the archive, by an import or by a filing system."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from archives import permissions
from archives.models import Customer
from archives.models import OwnerFamilyMember
from archives.personal import id_digest
from archives.personal import id_number_problem
from core.history import changed_by
from core.permissions import require_perm

CUSTOMER_FIELDS = (
    "code",
    "name",
    "industry",
    "region",
    "scale",
    "department",
)


def customer_check(data: Mapping[str, Any]) -> None:
    """The rules of a new customer that need no other row than its code's."""
    errors = {}
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = _("Give the customer code.")
    elif Customer.objects.filter(code=code).exists():
        errors["code"] = _("Customer %(code)s already exists.") % {"code": code}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Give the customer's name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def customer_create(*, actor: User, data: Mapping[str, Any]) -> Customer:
    require_perm(actor, permissions.ADD_CUSTOMERS, _("You may not add customers."))
    customer_check(data)
    customer = Customer(**{f: data[f] for f in CUSTOMER_FIELDS if f in data})
    customer.set_contact(data.get("contact", ""))
    customer.code = customer.code.strip()
    customer.name = customer.name.strip()
    changed_by(customer, actor)
    customer.save()
    return customer


@transaction.atomic
def customer_save(
    *, actor: User, customer: Customer, contact: str | None = None
) -> Customer:
    """Save a customer changed in the admin; a new name reaches the search
    columns of its records (they are found by their customer's name)."""
    from archives.services.search import customer_records_search_refresh

    renamed = (
        customer.pk is not None
        and Customer.objects.filter(pk=customer.pk).exclude(name=customer.name).exists()
    )
    if contact:
        customer.set_contact(contact)
    changed_by(customer, actor)
    customer.save()
    if renamed:
        customer_records_search_refresh(customer)
    return customer


def customers_create_bulk(
    *, actor: User, rows: Iterable[Mapping[str, Any]], batch_size: int = 1000
) -> int:
    """Many new customers at once (an import whose rows were checked), with
    their history, in a few queries."""
    customers = []
    for data in rows:
        customer = Customer(
            **{
                k: v
                for k, v in data.items()
                if k in CUSTOMER_FIELDS or k.endswith("_id")
            }
        )
        customer.set_contact(data.get("contact", ""))
        customers.append(customer)
    created = bulk_create_with_history(
        customers, Customer, batch_size=batch_size, default_user=actor
    )
    return len(created)


OWNER_FIELDS = ("name", "room", "floor_area", "layout", "purchased_on")


@transaction.atomic
def owner_save(
    *,
    actor: User,
    owner: Customer | None,
    data: Mapping[str, Any],
) -> Customer:
    """Open or change an owner's dossier (业主信息, S4). The ID number and the
    contact are typed in full and kept encrypted and masked; left empty they
    stay as they are."""
    require_perm(
        actor,
        permissions.CHANGE_CUSTOMERS if owner else permissions.ADD_CUSTOMERS,
        _("You may not keep owners' dossiers."),
    )
    errors = {}
    if owner is None:
        code = (data.get("code") or "").strip()
        if not code:
            errors["code"] = _("Give the owner's code.")
        elif Customer.objects.filter(code=code).exists():
            errors["code"] = _("Customer %(code)s already exists.") % {"code": code}
        owner = Customer(code=code, is_owner=True)
    if not (data.get("name") or "").strip():
        errors["name"] = _("Give the owner's name.")
    if not (data.get("room") or "").strip():
        errors["room"] = _("Give the room number.")
    id_number = (data.get("id_number") or "").strip()
    if id_number:
        problem = id_number_problem(data.get("id_type") or "id_card", id_number)
        if problem:
            errors["id_number"] = problem
        else:
            same = (
                Customer.objects.filter(id_digest=id_digest(id_number))
                .exclude(pk=owner.pk)
                .first()
            )
            if same is not None:
                errors["id_number"] = _(
                    "An owner with this ID number has a dossier already: %(code)s."
                ) % {"code": same.code}
    purchased = data.get("purchased_on")
    if purchased and purchased > timezone.localdate():
        errors["purchased_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    owner.is_owner = True
    for field in OWNER_FIELDS:
        value = data.get(field)
        if field in ("name", "room", "layout"):
            value = (value or "").strip()
        setattr(owner, field, value)
    if id_number:
        owner.set_id_number(id_number)
    if (data.get("contact") or "").strip():
        owner.set_contact(data["contact"])
    changed_by(owner, actor)
    owner.save()
    return owner


@transaction.atomic
def family_member_add(
    *, actor: User, owner: Customer, name: str, relation: str, phone: str = ""
) -> OwnerFamilyMember:
    require_perm(
        actor, permissions.CHANGE_CUSTOMERS, _("You may not keep owners' dossiers.")
    )
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the family member's name.")})
    if relation not in OwnerFamilyMember.Relation.values:
        raise ValidationError({"relation": _("Choose the relation.")})
    member = OwnerFamilyMember(owner=owner, name=name.strip(), relation=relation)
    member.set_phone(phone)
    changed_by(member, actor)
    member.save()
    return member


@transaction.atomic
def family_member_remove(*, actor: User, member: OwnerFamilyMember) -> None:
    require_perm(
        actor, permissions.CHANGE_CUSTOMERS, _("You may not keep owners' dossiers.")
    )
    changed_by(member, actor)
    member.delete()
