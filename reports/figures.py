"""The statistics as labelled tables, in the reader's language.

The figures are kept as codes (``reports.selectors``); this turns them into
the tables the dashboard, the monthly report page, its PDF and Excel file and
the exports all show, so the four never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archives.models import ArchiveRecord
from archives.periods import period_label
from archives.selectors import names_by_code
from core.names import name_in
from lending.models import UsageEvent
from lending.models import UseEffect
from lending.permissions import HANDLE as HANDLE_LOANS
from retention.models import Complaint
from retention.permissions import VIEW_APPRAISALS


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    # "bars": one value per row; "stacked": one bar per row made of the kinds.
    chart: str = "bars"
    # Where each row's figure leads (the list behind it), or None.
    links: list[str | None] = field(default_factory=list)

    def linked_rows(self) -> list[tuple[list, str | None]]:
        links = self.links or [None] * len(self.rows)
        return list(zip(self.rows, links, strict=False))


def _choice(choices, value: str) -> str:
    return str(dict(choices).get(value, value or "—"))


retention_label = period_label


def _bucket_label(key: str, lower: int) -> str:
    if key == "more":
        return _("More than %(days)d days") % {"days": lower - 1}
    upper = int(key)
    if lower == upper:
        return ngettext("%(n)d day", "%(n)d days", upper) % {"n": upper}
    return _("%(low)d–%(high)d days") % {"low": lower, "high": upper}


def statistics_tables(figures: dict) -> list[Table]:
    holdings = figures["holdings"]
    usage = figures["usage"]
    complaints = figures["complaints"]
    alerts = figures["alerts"]
    kinds = usage["kinds"]
    kind_headers = [_choice(UsageEvent.Kind.choices, k) for k in kinds]

    def by_kind(counts: dict) -> list[int]:
        return [counts.get(k, 0) for k in kinds]

    count = _("Records")
    names = names_by_code()

    def named(kind: str, code: str, name: str) -> str:
        return name_in(name, names[kind].get(code))

    tables = [
        Table(
            "alerts",
            _("Needs attention"),
            [_("Item"), _("Count")],
            [
                [_("Loans overdue now"), alerts["overdue_loans"]],
                [_("Submissions late in the period"), alerts["late_submissions"]],
                [_("Drafts past their deadline now"), alerts["overdue_drafts"]],
                [_("Records due for disposal now"), alerts["disposal_due"]],
            ],
            chart="",
        ),
        Table(
            "holdings_category",
            _("Records by category"),
            [_("Category"), count],
            [
                [f"{code} {named('category', code, name)}", n]
                for code, name, n in holdings["by_category"]
            ],
        ),
        Table(
            "holdings_status",
            _("Records by status"),
            [_("Status"), count],
            [
                [_choice(ArchiveRecord.Status.choices, s), n]
                for s, n in holdings["by_status"]
            ],
        ),
        Table(
            "holdings_retention",
            _("Records by retention period"),
            [_("Retention"), count],
            [[retention_label(k), n] for k, n in holdings["by_retention"]],
        ),
        Table(
            "holdings_storeroom",
            _("Records by storeroom"),
            [_("Storeroom"), count],
            [
                [
                    f"{code} {named('storeroom', code, name)}"
                    if code
                    else _("Not in a box (electronic)"),
                    n,
                ]
                for code, name, n in holdings["by_storeroom"]
            ],
        ),
        Table(
            "usage_month",
            _("Use by month"),
            [_("Month"), *kind_headers],
            [[month, *by_kind(c)] for month, c in usage["by_month"]],
            chart="stacked",
        ),
        Table(
            "usage_category",
            _("Use by category"),
            [_("Category"), *kind_headers],
            [
                [f"{code} {named('category', code, name)}", *by_kind(c)]
                for code, name, c in usage["by_category"]
            ],
            chart="stacked",
        ),
        Table(
            "usage_department",
            _("Use by department"),
            [_("Department"), *kind_headers],
            [
                [
                    named("department", code, name)
                    if name
                    else _("Outside the company"),
                    *by_kind(c),
                ]
                for code, name, c in usage["by_department"]
            ],
            chart="stacked",
        ),
        Table(
            "usage_person",
            _("Most active users"),
            [_("Person"), *kind_headers],
            [[name, *by_kind(c)] for name, c in usage["by_person"]],
            chart="stacked",
        ),
        Table(
            "complaints_nature",
            _("Complaints and suggestions by nature"),
            [_("Nature"), count],
            [
                [f"{code} {named('subcode', code, name)}", n]
                for code, name, n in complaints["by_nature"]
            ],
        ),
        Table(
            "complaints_handling",
            _("Complaints and suggestions by handling status"),
            [_("Handling status"), count],
            [
                [_choice(ArchiveRecord.HandlingStatus.choices, s), n]
                for s, n in complaints["by_handling"]
            ],
        ),
    ]
    lower = 0
    buckets = []
    for key, n in complaints["days_buckets"]:
        buckets.append([_bucket_label(key, lower), n])
        lower = int(key) + 1 if key != "more" else lower
    tables.append(
        Table(
            "complaints_days",
            _("Days from receipt to handling"),
            [_("Time to handle"), count],
            buckets,
        )
    )
    tables.append(
        Table(
            "complaints_summary",
            _("Time to handle, in days"),
            [_("Item"), _("Value")],
            [
                [_("Handled"), complaints["handled"]],
                [
                    _("Average"),
                    complaints["days_average"] if complaints["handled"] else "—",
                ],
                [
                    _("Median"),
                    complaints["days_median"] if complaints["handled"] else "—",
                ],
            ],
            chart="",
        )
    )
    effects = figures.get("use_effects")  # reports made before 1.4 lack it
    if effects is not None:
        rows = [
            [_choice(UseEffect.choices, effect), n]
            for effect, n in effects["by_effect"]
        ]
        if effects["not_told"]:
            rows.append([_("Not told"), effects["not_told"]])
        tables.append(
            Table(
                "use_effects",
                _("Effect of the uses ended in the period"),
                [_("Effect"), _("Uses")],
                rows,
            )
        )
    archive = figures.get("archive_complaints")  # reports made before 1.4 lack it
    if archive is not None:
        rows = [
            [_choice(Complaint.Topic.choices, topic), n]
            for topic, n in archive["by_topic"]
        ]
        rows += [
            [_("Made in the period"), archive["made"]],
            [_("Of them closed with an answer"), archive["closed"]],
            [_("Still open now"), archive["open_now"]],
        ]
        tables.append(
            Table(
                "archive_complaints",
                _("Complaints about the archive's work"),
                [_("About"), _("Count")],
                rows,
                chart="",
            )
        )
    return tables


def _catalogue(**params) -> str:
    return f"{reverse('archives:catalogue')}?{urlencode(params)}"


def statistics_links(tables: list[Table], figures: dict, user) -> list[Table]:
    """Give each figure of the dashboard the list behind it, for this reader:
    the catalogue filtered to the row (it shows only what the reader may
    see), the desk's loans out, the records due for appraisal."""
    holdings, complaints = figures["holdings"], figures["complaints"]
    period = figures["period"]
    # The catalogue narrowed as the figure is: by department, and complaints
    # by the period they were formed in.
    scope = {"department": period["department"]} if period["department"] else {}
    formed = {"date_from": period["start"], "date_to": period["end"]}
    reference = names_by_code()
    categories = reference["category_id"]
    rooms = reference["storeroom_id"]
    complaint = settings.ARCHIVE_COMPLAINT_CATEGORY
    natures = reference["nature_id"]
    desk = reverse("lending:desk") if user.has_perm(HANDLE_LOANS) else None
    due = reverse("retention:due-list") if user.has_perm(VIEW_APPRAISALS) else None
    links = {
        "alerts": [f"{desk}#out-now" if desk else None, None, None, due],
        "holdings_category": [
            _catalogue(category=categories[code], **scope)
            if code in categories
            else None
            for code, _name, _n in holdings["by_category"]
        ],
        "holdings_status": [
            _catalogue(status=status, **scope) for status, _n in holdings["by_status"]
        ],
        "holdings_storeroom": [
            _catalogue(storeroom=rooms[code], **scope) if code in rooms else None
            for code, _name, _n in holdings["by_storeroom"]
        ],
        "complaints_nature": [
            _catalogue(
                category=categories[complaint],
                subcode=natures[code],
                **scope,
                **formed,
            )
            if code in natures and complaint in categories
            else None
            for code, _name, _n in complaints["by_nature"]
        ],
    }
    for table in tables:
        table.links = links.get(table.key, [])
    return tables
