"""The columns an import file may have, as data (SPEC §13, S4).

Each column names the field it fills and how one cell becomes its value;
a cell that cannot raises ValueError with a message for the person. The
header may name a column by its key or by its label in any language. Text
lengths are the model's; the rules that need more than one cell are the
filing rules' (``archives.services.records``), applied to the whole row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archives.models import ArchiveRecord
from archives.models import Customer

if TYPE_CHECKING:
    from reports.services.import_rows import Lookups

Convert = Callable[[Any, "Lookups"], Any]


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: Any
    required: bool = False
    # How a cell becomes a value; None for a column the row reads itself
    # (a record's category and sub-codes).
    convert: Convert | None = None
    # The field the value fills, when it is not ``key``.
    field: str = ""

    @property
    def target(self) -> str:
        return self.field or self.key


# --- one cell ---------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
TRUE = {"1", "yes", "y", "true", "是", "x", "✓"}
FALSE = {"0", "no", "n", "false", "否"}
EARLIEST = datetime.date(1900, 1, 1)
# A description is a TextField: one cell of an import holds at most this.
LONG_TEXT = 5000


def text(model, name: str) -> Convert:
    """Text no longer than the model's field allows."""
    limit = model._meta.get_field(name).max_length or LONG_TEXT

    def convert(value, lookups) -> str:
        value = str(value)
        if len(value) > limit:
            raise ValueError(_("At most %(max)d characters.") % {"max": limit})
        return value

    return convert


def date(value, lookups=None) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        parsed = value
    else:
        cell = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(cell, fmt).date()  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("Not a date; write it as 2026-03-31."))
    if parsed < EARLIEST:
        raise ValueError(_("This date is too early."))
    return parsed


def moment(value, lookups=None) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        when = value
    elif isinstance(value, datetime.date):
        when = datetime.datetime.combine(value, datetime.time.min)
    else:
        cell = str(value).strip()
        for fmt in DATETIME_FORMATS + DATE_FORMATS:
            try:
                # Local time, made aware below.
                when = datetime.datetime.strptime(cell, fmt)  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("Not a date and time; write it as 2026-03-31 14:30."))
    if when.date() < EARLIEST:
        raise ValueError(_("This date is too early."))
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def whole_number(value, lookups=None) -> int:
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(_("Not a whole number.")) from None
    if not 0 <= number <= 100_000:
        raise ValueError(_("Must be between 0 and 100000."))
    return number


def yes_no(value, lookups=None) -> bool:
    if isinstance(value, bool):
        return value
    cell = str(value).strip().casefold()
    if cell in TRUE:
        return True
    if cell in FALSE:
        return False
    raise ValueError(_("Write yes or no (是 or 否)."))


def names_of(choices) -> dict[str, str]:
    """A choice by its value or its label in any language, case-folded."""
    names = {}
    for value, label in choices:
        names[str(value).casefold()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names[str(label).casefold()] = value
    return names


def choice(choices) -> Convert:
    names: dict[str, str] = {}

    def convert(value, lookups) -> str:
        if not names:  # on first use: the translations are loaded by then
            names.update(names_of(choices))
        found = names.get(str(value).casefold())
        if found is None:
            raise ValueError(_("Not one of the allowed values."))
        return found

    return convert


def department(value, lookups: Lookups) -> int:
    pk = lookups.departments.get(str(value).casefold())
    if pk is None:
        raise ValueError(_("No department is called %(name)s.") % {"name": value})
    return pk


def customer(value, lookups: Lookups) -> int:
    pk = lookups.customers.get(str(value))
    if pk is None:
        raise ValueError(_("No customer has the code %(code)s.") % {"code": value})
    return pk


def person(value, lookups: Lookups) -> int:
    pk = lookups.users.get(str(value))
    if pk is None:
        raise ValueError(_("No active user has the name %(name)s.") % {"name": value})
    return pk


def industry(value, lookups: Lookups):
    found = lookups.industries.get(str(value).casefold())
    if found is None:
        raise ValueError(_("No industry has the code %(code)s.") % {"code": value})
    return found


Record = ArchiveRecord
RECORD_COLUMNS = [
    ImportColumn("category", gettext_lazy("Category"), True),
    ImportColumn("subcodes", gettext_lazy("Sub-codes")),
    ImportColumn("title", gettext_lazy("Title"), True, text(Record, "title")),
    ImportColumn(
        "customer", gettext_lazy("Customer code"), False, customer, "customer_id"
    ),
    ImportColumn("date_formed", gettext_lazy("Date formed"), True, date),
    ImportColumn("received_at", gettext_lazy("Time received"), False, moment),
    ImportColumn(
        "source_department",
        gettext_lazy("Department code"),
        False,
        department,
        "source_department_id",
    ),
    ImportColumn(
        "responsible_person",
        gettext_lazy("Responsible person"),
        False,
        person,
        "responsible_person_id",
    ),
    ImportColumn(
        "carrier", gettext_lazy("Carrier"), False, choice(Record.Carrier.choices)
    ),
    ImportColumn("page_count", gettext_lazy("Pages"), False, whole_number),
    ImportColumn(
        "confidentiality",
        gettext_lazy("Confidentiality"),
        False,
        choice(Record.Confidentiality.choices),
    ),
    ImportColumn("keywords", gettext_lazy("Keywords"), False, text(Record, "keywords")),
    ImportColumn(
        "description", gettext_lazy("Description"), False, text(Record, "description")
    ),
    ImportColumn(
        "handling_status",
        gettext_lazy("Handling status"),
        False,
        choice(Record.HandlingStatus.choices),
    ),
    ImportColumn("handled_on", gettext_lazy("Date handled"), False, date),
    ImportColumn(
        "involves_major_decision",
        gettext_lazy("Major decision or dispute"),
        False,
        yes_no,
    ),
    ImportColumn("contract_ends_on", gettext_lazy("Contract ends"), False, date),
]
CUSTOMER_COLUMNS = [
    ImportColumn("code", gettext_lazy("Customer code"), True, text(Customer, "code")),
    ImportColumn("name", gettext_lazy("Name"), True, text(Customer, "name")),
    ImportColumn("industry", gettext_lazy("Industry"), False, industry),
    ImportColumn(
        "region", gettext_lazy("Region"), False, choice(Customer.Region.choices)
    ),
    ImportColumn("scale", gettext_lazy("Scale"), False, choice(Customer.Scale.choices)),
    ImportColumn(
        "department",
        gettext_lazy("Department code"),
        False,
        department,
        "department_id",
    ),
    ImportColumn(
        "contact", gettext_lazy("Contact"), False, text(Customer, "contact_masked")
    ),
]
