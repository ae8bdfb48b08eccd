"""Customers: created by the archive, by an import or by a filing system."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from archives import permissions
from archives.models import Customer
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
def customer_create(*, actor, data: Mapping[str, Any]) -> Customer:
    require_perm(actor, permissions.ADD_CUSTOMERS, _("You may not add customers."))
    customer_check(data)
    customer = Customer(**{f: data[f] for f in CUSTOMER_FIELDS if f in data})
    customer.set_contact(data.get("contact", ""))
    customer.code = customer.code.strip()
    customer.name = customer.name.strip()
    customer._history_user = actor
    customer.save()
    return customer
