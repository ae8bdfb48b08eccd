"""Customers: created by the archive, by an import or by a filing system."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from archives import permissions
from archives.models import Customer
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
