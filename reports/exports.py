"""What can be exported, and how each row becomes cells (SPEC §12).

An export kind names its columns (headers translated when written), who may
take it, and the rows for a person and the filters of the page it comes from.
Rows are read with ``iterator()`` so no export holds every row in memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archives import selectors as archive_selectors
from archives.forms import CatalogueForm
from archives.models import Subcode
from audit import selectors as audit_selectors
from audit.forms import AuditFilterForm
from core.permissions import holds_perm
from lending import permissions as lending_permissions
from lending import selectors as lending_selectors
from lending.forms import PeriodForm
from lending.models import Kind
from reports import permissions as report_permissions
from reports.figures import statistics_tables
from reports.forms import StatisticsForm
from reports.selectors import Period
from reports.selectors import statistics_for

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: Any
    perm: str | None
    columns: Callable[[QueryDict], list[Column]]
    rows: Callable[[Any, QueryDict], Iterable]
    # Whether the filters are valid: a refused export says so instead of
    # quietly exporting everything.
    valid: Callable[[QueryDict], bool] = lambda params: True

    def allowed(self, user) -> bool:
        return self.perm is None or holds_perm(user, self.perm)


def _local(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _catalogue_rows(user, params: QueryDict):
    records = archive_selectors.catalogue_search(
        user=user, query=CatalogueForm(params or None).to_query()
    )
    # One query for all rows: the box's place too (a page of the catalogue
    # fetches it apart, an export of 100,000 rows must not).
    return (
        records.select_related("box__shelf__storeroom")
        .prefetch_related(
            Prefetch(
                "subcodes", queryset=Subcode.objects.order_by("dimension__sort_order")
            )
        )
        .iterator(chunk_size=CHUNK)
    )


def _catalogue_columns(params) -> list[Column]:
    return [
        Column(_("Number"), lambda r: r.number or ""),
        Column(_("Category"), lambda r: r.category.code),
        Column(_("Sub-codes"), lambda r: " ".join(s.code for s in r.subcodes.all())),
        Column(_("Title"), lambda r: r.title),
        Column(_("Customer"), lambda r: r.customer.name if r.customer else ""),
        Column(_("Date formed"), lambda r: _local(r.date_formed)),
        Column(
            _("Department"),
            lambda r: r.source_department.local_name if r.source_department else "",
        ),
        Column(_("Carrier"), lambda r: r.get_carrier_display()),
        Column(_("Pages"), lambda r: r.page_count),
        Column(_("Confidentiality"), lambda r: r.get_confidentiality_display()),
        Column(_("Status"), lambda r: r.get_status_display()),
        Column(_("Box"), lambda r: r.box.code if r.box else ""),
        Column(_("Storeroom"), lambda r: r.box.shelf.storeroom.code if r.box else ""),
        Column(_("Disposal due"), lambda r: _local(r.disposal_due_on)),
    ]


def _register_form(params: QueryDict) -> PeriodForm:
    return PeriodForm.from_query(params)


def _register_rows(kind: str):
    def rows(user, params):
        form = _register_form(params)
        form.is_valid()
        return lending_selectors.register_items(
            kind=kind, **form.cleaned_data
        ).iterator(chunk_size=CHUNK)

    return rows


def _register_columns(kind: str):
    def columns(params) -> list[Column]:
        loan = kind == Kind.LENDING
        return [
            Column(_("Handed over"), lambda i: _local(i.handed_over_at)),
            Column(_("Number"), lambda i: i.record.number),
            Column(_("Title"), lambda i: i.record.title),
            Column(
                _("Borrower") if loan else _("Reader"),
                lambda i: str(i.request.requester),
            ),
            Column(_("Department"), lambda i: str(i.request.department or "")),
            Column(_("Purpose"), lambda i: i.request.purpose),
            Column(_("Handed over by"), lambda i: str(i.handed_over_by or "")),
            Column(
                _("Due") if loan else _("Until"),
                lambda i: _local(i.request.due_on if loan else i.request.ends_at),
            ),
            Column(_("Taken back"), lambda i: _local(i.returned_at)),
            Column(_("Received by"), lambda i: str(i.received_by or "")),
            Column(
                _("Condition"),
                lambda i: i.get_condition_display() if i.condition else "",
            ),
        ]

    return columns


def statistics_period(params: QueryDict) -> Period:
    """The dashboard's period from its filters (the last twelve months)."""
    return StatisticsForm(params or None).period()


def _statistics_rows(user, params):
    """The dashboard's tables in long form: one row per figure."""
    for table in statistics_tables(statistics_for(statistics_period(params))):
        for row in table.rows:
            for header, value in zip(table.headers[1:], row[1:], strict=True):
                yield [table.title, row[0], header, value]


def _statistics_columns(params) -> list[Column]:
    return [
        Column(header, lambda row, i=i: row[i])
        for i, header in enumerate([_("Section"), _("Item"), _("Measure"), _("Value")])
    ]


def _valid_statistics(params) -> bool:
    return not params or StatisticsForm(params).is_valid()


def _audit_rows(user, params):
    form = AuditFilterForm(params)
    form.is_valid()
    return audit_selectors.entries_filtered(user, **form.to_filters()).iterator(
        chunk_size=CHUNK
    )


def _audit_columns(params) -> list[Column]:
    return [
        Column("#", lambda e: e.pk),
        Column(_("Time"), lambda e: _local(e.at)),
        Column(_("User name"), lambda e: e.actor_name),
        Column(_("Department"), lambda e: str(e.department or "")),
        Column(pgettext_lazy("audit log", "Action"), lambda e: e.get_action_display()),
        Column(_("Outcome"), lambda e: e.get_outcome_display()),
        Column(_("Object type"), lambda e: e.target_type),
        Column(_("Object"), lambda e: e.target_label),
        Column(_("Address"), lambda e: e.ip or ""),
        Column(_("Page"), lambda e: e.path),
        Column(_("Hash"), lambda e: e.hash or ""),
    ]


KINDS: dict[str, ExportKind] = {
    "catalogue": ExportKind(
        "catalogue",
        _("Catalogue"),
        None,
        _catalogue_columns,
        _catalogue_rows,
        lambda params: not params or CatalogueForm(params).is_valid(),
    ),
    "register-viewing": ExportKind(
        "register-viewing",
        _("Viewing register"),
        lending_permissions.VIEW_REGISTERS,
        _register_columns(Kind.VIEWING),
        _register_rows(Kind.VIEWING),
        lambda params: _register_form(params).is_valid(),
    ),
    "register-lending": ExportKind(
        "register-lending",
        _("Loan register"),
        lending_permissions.VIEW_REGISTERS,
        _register_columns(Kind.LENDING),
        _register_rows(Kind.LENDING),
        lambda params: _register_form(params).is_valid(),
    ),
    "statistics": ExportKind(
        "statistics",
        _("Statistics"),
        report_permissions.VIEW_STATISTICS,
        _statistics_columns,
        _statistics_rows,
        _valid_statistics,
    ),
    "audit": ExportKind(
        "audit",
        _("Audit log"),
        audit_selectors.READ_PERMISSION,
        _audit_columns,
        _audit_rows,
        lambda params: AuditFilterForm(params).is_valid(),
    ),
}


def headers(kind: ExportKind, params: QueryDict) -> list[str]:
    return [str(c.header) for c in kind.columns(params)]


def cells(kind: ExportKind, params: QueryDict, rows: Iterable) -> Iterable[list]:
    """Each row as its cells, in the columns' order."""
    columns = kind.columns(params)
    for row in rows:
        yield [column.value(row) for column in columns]


def file_stem(kind: ExportKind) -> str:
    return f"{kind.name}-{timezone.localtime():%Y%m%d-%H%M}"
