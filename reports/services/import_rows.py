"""An import file's rows as values for the filing rules, or their problems.

The header is matched to the columns (``import_columns``); each row becomes a
record's or a customer's data, checked cell by cell and then, whole, by the
filing rules of ``archives.services.records``, the same the filing form, the
API and the review apply. Every problem is kept with its row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Department
from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import Customer
from archives.models import Subcode
from archives.services.records import record_check
from archives.services.records import subcodes_by_code
from archives.services.records import subcodes_check
from reports.models import ImportJob
from reports.services import import_files
from reports.services.import_columns import CUSTOMER_COLUMNS
from reports.services.import_columns import RECORD_COLUMNS
from reports.services.import_columns import ImportColumn

HEADER_ROW = 1
COLUMNS: dict[str, list[ImportColumn]] = {
    ImportJob.Kind.RECORDS: RECORD_COLUMNS,
    ImportJob.Kind.CUSTOMERS: CUSTOMER_COLUMNS,
}
SUBCODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


class RowProblem(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


def problem(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


class Lookups:
    """The rows a file names, loaded once per import (codes → objects)."""

    def __init__(self) -> None:
        self.categories = {
            c.code: c for c in Category.objects.prefetch_related("dimensions")
        }
        # Each category's current sub-codes by "key:code" (subcode_index).
        self.subcodes: dict[int, dict[str, Subcode]] = {}
        for found in Subcode.objects.filter(active=True).select_related("dimension"):
            self.subcodes.setdefault(found.dimension.category_id, {}).setdefault(
                f"{found.dimension.key}:{found.code}", found
            )
        self.customers = dict(Customer.objects.values_list("code", "pk"))
        self.departments = {}
        for pk, code, name in Department.objects.values_list("pk", "code", "name"):
            self.departments[code.casefold()] = pk
            self.departments.setdefault(name.casefold(), pk)
        self.users = dict(
            User.objects.filter(is_active=True).values_list("username", "pk")
        )
        self.industries = {
            s.code.casefold(): s
            for s in Subcode.objects.filter(dimension__key="industry")
        }
        self.new_codes: set[str] = set()


# --- the header ---------------------------------------------------------------


def clean(value) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _aliases(columns: list[ImportColumn]) -> dict[str, ImportColumn]:
    """Each column by its key and its label in every language, case-folded."""
    names: dict[str, ImportColumn] = {}
    for column in columns:
        names[column.key.casefold()] = column
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names[str(column.label).casefold()] = column
    return names


def map_header(
    header: list, columns: list[ImportColumn]
) -> tuple[dict[int, ImportColumn], list]:
    aliases = _aliases(columns)
    mapping: dict[int, ImportColumn] = {}
    problems = []
    seen = set()
    for index, cell in enumerate(header):
        name = str(clean(cell) or "")
        if not name:
            continue
        column = aliases.get(name.casefold())
        if column is None:
            problems.append(problem(HEADER_ROW, name, _("Unknown column.")))
        elif column.key in seen:
            problems.append(problem(HEADER_ROW, name, _("This column appears twice.")))
        else:
            seen.add(column.key)
            mapping[index] = column
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(
                problem(HEADER_ROW, str(column.label), _("This column is missing."))
            )
    return mapping, problems


# --- a row ----------------------------------------------------------------------

RECORD_BY_KEY = {column.key: column for column in RECORD_COLUMNS}
CUSTOMER_BY_KEY = {column.key: column for column in CUSTOMER_COLUMNS}


def _named_subcodes(text: str) -> list[tuple[str | None, str]]:
    named: list[tuple[str | None, str]] = []
    for token in SUBCODE_SEPARATORS.split(text or ""):
        if token:
            key, _colon, code = token.rpartition(":")
            named.append((key or None, code))
    return named


def record_values(cells: dict[str, Any], lookups: Lookups, job: ImportJob):
    """One row as the filing form's data, or every problem of the row."""
    problems: list[tuple[str, str]] = []
    data: dict[str, Any] = {}

    def fail(key: str, message: str):
        problems.append((key, message))

    category = lookups.categories.get(str(cells.get("category") or "").upper())
    if category is None:
        fail(
            "category",
            _("No category has the code %(code)s.")
            % {"code": cells.get("category") or ""},
        )
    elif not category.active:
        fail("category", _("This category is no longer in use."))
        category = None
    subcodes: dict[str, Subcode] = {}
    for key, value in cells.items():
        if value is None or key == "category":
            continue
        column = RECORD_BY_KEY[key]
        try:
            if key == "subcodes":
                if category is not None:
                    subcodes = subcodes_by_code(
                        category,
                        _named_subcodes(str(value)),
                        lookups.subcodes.get(category.pk, {}),
                    )
            elif column.convert is not None:
                data[column.target] = column.convert(value, lookups)
        except ValueError as error:
            fail(key, str(error.args[0]))
        except ValidationError as error:
            for message in error.message_dict.get("subcodes", []):
                fail(key, message)
    if not data.get("title"):
        fail("title", _("Give the title."))
    if "date_formed" not in data and "date_formed" not in dict(problems):
        fail("date_formed", _("Give the date formed."))
    if category is not None and not problems:
        rules = {**data, "customer": data.get("customer_id")}
        try:
            record_check(category, rules)
            subcodes_check(category, subcodes)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                key = "subcodes" if field.startswith("subcode_") else field
                for message in messages:
                    fail(key, message)
        carrier = data.get("carrier", ArchiveRecord.Carrier.PAPER)
        if job.submit and carrier == ArchiveRecord.Carrier.ELECTRONIC:
            fail(
                "carrier",
                _(
                    "An electronic record needs its files: "
                    "import it as a draft and add them."
                ),
            )
    if problems:
        raise RowProblem(problems)
    return category, data, list(subcodes.values())


def customer_values(cells: dict[str, Any], lookups: Lookups, job: ImportJob):
    problems: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    for key, value in cells.items():
        if value is None:
            continue
        column = CUSTOMER_BY_KEY[key]
        if column.convert is None:
            continue
        try:
            data[column.target] = column.convert(value, lookups)
        except ValueError as error:
            problems.append((key, str(error.args[0])))
    code = data.get("code")
    if not code:
        problems.append(("code", _("Give the customer code.")))
    elif code in lookups.customers:
        problems.append(
            ("code", _("Customer %(code)s already exists.") % {"code": code})
        )
    elif code in lookups.new_codes:
        problems.append(("code", _("This code appears twice in the file.")))
    else:
        lookups.new_codes.add(code)
    if not data.get("name"):
        problems.append(("name", _("Give the customer's name.")))
    if problems:
        raise RowProblem(problems)
    return data


VALUES: dict[str, Callable[[dict[str, Any], Lookups, ImportJob], Any]] = {
    ImportJob.Kind.RECORDS: record_values,
    ImportJob.Kind.CUSTOMERS: customer_values,
}


# --- the file -------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    values: Any


def parse(
    job: ImportJob, path: str, lookups: Lookups, problems: list[dict]
) -> Iterator[ParsedRow]:
    """The file's rows as values; each problem is added to ``problems``."""
    columns = COLUMNS[job.kind]
    labels = {c.key: str(c.label) for c in columns}
    rows = import_files.read_rows(path)
    try:
        header = next(rows, None)
    except import_files.FileRefused as error:
        problems.append(problem(HEADER_ROW, "", error.message))
        return
    if header is None:
        problems.append(problem(HEADER_ROW, "", _("The file is empty.")))
        return
    mapping, header_problems = map_header(header, columns)
    problems.extend(header_problems)
    if header_problems:
        return
    convert = VALUES[job.kind]
    try:
        yield from _parse_rows(rows, mapping, convert, lookups, job, problems, labels)
    except import_files.FileRefused as error:
        problems.insert(0, problem(HEADER_ROW, "", error.message))


def _parse_rows(rows, mapping, convert, lookups, job, problems, labels):
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        cells = {
            mapping[i].key: clean(value) for i, value in enumerate(row) if i in mapping
        }
        if all(v is None for v in cells.values()):
            continue
        try:
            yield ParsedRow(number, convert(cells, lookups, job))
        except RowProblem as error:
            for key, message in error.problems:
                problems.append(problem(number, labels.get(key, key), message))
