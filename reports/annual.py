"""The annual statistics report (档案统计年报, issue 20, item 5).

What the archive held at the end of a year (by 年度, category and carrier),
its electronic volume, what came in and what was destroyed in the year, and
how it was used (by kind, department and effect), each beside the year
before. Every figure is an aggregate the database computes, from the dates
the records keep (accepted, destroyed, files uploaded and erased), so a past
year reads the same whenever it is asked for.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models import Q
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from archives.models import ArchiveRecord
from archives.models import RecordFile
from archives.selectors import names_by_code
from core.names import name_in
from lending.models import UsageEvent
from lending.models import UseEffect
from reports.figures import Table
from reports.selectors import USAGE_KINDS
from reports.selectors import Period
from reports.selectors import usage_by_department
from reports.selectors import usage_events
from reports.selectors import usage_totals
from reports.selectors import use_effects
from retention.models import AppraisalItem

Carrier = ArchiveRecord.Carrier
FIRST_YEAR = 1990


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year as a half-open span of aware times, in the archive's zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def years_offered() -> list[int]:
    """The years a report can be asked for: this one back to the first
    record accepted."""
    this = timezone.localdate().year
    first = (
        ArchiveRecord.objects.filter(accepted_at__isnull=False)
        .order_by("accepted_at")
        .values_list("accepted_at", flat=True)
        .first()
    )
    since = timezone.localtime(first).year if first else this
    return list(range(this, max(since, FIRST_YEAR) - 1, -1))


def _held_at(end: datetime.datetime):
    """The records the archive held at ``end``: accepted before it and not
    destroyed before it."""
    destroyed = AppraisalItem.objects.filter(
        decision=AppraisalItem.Decision.DESTROY,
        appraisal__executed_at__lt=end,
    ).values("record_id")
    # A record destroyed outside an appraisal (an older import, the demo) has
    # no date of destruction: it is counted as gone.
    undated = ArchiveRecord.objects.filter(
        status=ArchiveRecord.Status.DESTROYED
    ).exclude(appraisal_items__decision=AppraisalItem.Decision.DESTROY)
    return (
        ArchiveRecord.objects.filter(accepted_at__lt=end)
        .exclude(pk__in=destroyed)
        .exclude(pk__in=undated.values("pk"))
    )


def _by_category(rows) -> list:
    return [
        [row["category__code"], row["category__name"], row["n"]]
        for row in rows.values("category__code", "category__name")
        .annotate(n=Count("pk"))
        .order_by("category__sort_order", "category__code")
    ]


def annual_figures(year: int) -> dict:
    """One year's figures as JSON (codes, not words)."""
    start, end = year_bounds(year)
    held = _held_at(end)
    carriers = dict(held.values_list("carrier").annotate(n=Count("pk")).order_by())
    by_category = [
        [
            row["category__code"],
            row["category__name"],
            row["paper"],
            row["electronic"],
        ]
        for row in held.values("category__code", "category__name")
        .annotate(
            paper=Count("pk", filter=Q(carrier__in=[Carrier.PAPER, Carrier.BOTH])),
            electronic=Count(
                "pk", filter=Q(carrier__in=[Carrier.ELECTRONIC, Carrier.BOTH])
            ),
        )
        .order_by("category__sort_order", "category__code")
    ]
    by_year = [
        [row["date_formed__year"], row["n"]]
        for row in held.values("date_formed__year")
        .annotate(n=Count("pk"))
        .order_by("-date_formed__year")
    ]
    files = RecordFile.objects.filter(record__in=held, uploaded_at__lt=end).filter(
        Q(erased_at__isnull=True) | Q(erased_at__gte=end)
    )
    volume = files.aggregate(n=Count("pk"), size=Sum("size"))
    intake = ArchiveRecord.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
    destroyed = ArchiveRecord.objects.filter(
        appraisal_items__decision=AppraisalItem.Decision.DESTROY,
        appraisal_items__appraisal__executed_at__gte=start,
        appraisal_items__appraisal__executed_at__lt=end,
    ).distinct()
    period = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    events = usage_events(period)  # only the totals the report shows
    return {
        "year": year,
        "holdings": {
            "total": sum(carriers.values()),
            "carriers": [[c, carriers.get(c, 0)] for c in Carrier.values],
            "by_category": by_category,
            "by_year": by_year,
        },
        "electronic": {"files": volume["n"] or 0, "bytes": volume["size"] or 0},
        "intake": {"total": intake.count(), "by_category": _by_category(intake)},
        "destroyed": {
            "total": destroyed.count(),
            "by_category": _by_category(destroyed),
        },
        "usage": {
            "kinds": USAGE_KINDS,
            "total": usage_totals(events),
            "by_department": usage_by_department(events),
        },
        "effects": use_effects(period),
    }


@dataclass
class AnnualReport:
    year: int
    figures: dict
    before: dict

    @classmethod
    def of(cls, year: int) -> AnnualReport:
        return cls(year, annual_figures(year), annual_figures(year - 1))


def _change(now: int, before: int) -> str:
    """The change on the year before, as a signed percentage."""
    if before == 0:
        return "—" if now == 0 else _("new")
    return f"{(now - before) * 100 / before:+.1f}%"


def _size(size: int) -> str:
    return str(filesizeformat(size))


def annual_tables(report: AnnualReport) -> list[Table]:
    """The report as labelled tables, each figure beside the year before."""
    this, last = report.figures, report.before
    names = names_by_code()
    year, previous = str(report.year), str(report.year - 1)
    compare = [_("Item"), year, previous, _("Change")]

    def row(label: str, now: int, before: int) -> list:
        return [label, now, before, _change(now, before)]

    def category(code: str, name: str) -> str:
        return f"{code} {name_in(name, names['category'].get(code))}"

    def keyed(rows, value=2) -> dict:
        return {(r[0], r[1]): r[value] for r in rows}

    def side_by_side(now_rows, before_rows, value=2) -> list:
        now, before = keyed(now_rows, value), keyed(before_rows, value)
        keys = list(now) + [k for k in before if k not in now]
        return [row(category(*k), now.get(k, 0), before.get(k, 0)) for k in keys]

    held, held_before = this["holdings"], last["holdings"]
    carriers, carriers_before = dict(held["carriers"]), dict(held_before["carriers"])
    carrier_names = dict(Carrier.choices)
    kinds = this["usage"]["kinds"]
    kind_names = dict(UsageEvent.Kind.choices)
    effects = dict(this["effects"]["by_effect"])
    effects_before = dict(last["effects"]["by_effect"])
    tables = [
        Table(
            "summary",
            _("The year at a glance"),
            compare,
            [
                row(
                    _("Records held at the year's end"),
                    held["total"],
                    held_before["total"],
                ),
                row(
                    _("Records taken in"),
                    this["intake"]["total"],
                    last["intake"]["total"],
                ),
                row(
                    _("Records destroyed"),
                    this["destroyed"]["total"],
                    last["destroyed"]["total"],
                ),
                row(
                    _("Uses (viewings, loans, copies, reading online)"),
                    sum(this["usage"]["total"].values()),
                    sum(last["usage"]["total"].values()),
                ),
            ],
            chart="",
        ),
        Table(
            "carriers",
            _("Holdings by carrier"),
            compare,
            [
                row(
                    str(carrier_names[c]),
                    carriers.get(c, 0),
                    carriers_before.get(c, 0),
                )
                for c in Carrier.values
            ],
            chart="",
        ),
        Table(
            "holdings_category",
            _("Holdings by category (paper / electronic)"),
            [_("Category"), _("Paper"), _("Electronic"), _("Total"), previous],
            [
                [category(code, name), paper, electronic, total, before]
                for (code, name, paper, electronic), total, before in _with_totals(
                    held["by_category"], held_before["by_category"]
                )
            ],
            chart="",
        ),
        Table(
            "holdings_year",
            _("Holdings by year formed (年度)"),
            [_("Year formed"), _("Records")],
            [[str(y), n] for y, n in held["by_year"]],
            chart="",
        ),
        Table(
            "electronic",
            _("Electronic volume at the year's end"),
            compare,
            [
                row(
                    _("Files"), this["electronic"]["files"], last["electronic"]["files"]
                ),
                [
                    _("Size"),
                    _size(this["electronic"]["bytes"]),
                    _size(last["electronic"]["bytes"]),
                    _change(this["electronic"]["bytes"], last["electronic"]["bytes"]),
                ],
            ],
            chart="",
        ),
        Table(
            "intake",
            _("Taken in during the year, by category"),
            compare,
            side_by_side(this["intake"]["by_category"], last["intake"]["by_category"]),
            chart="",
        ),
        Table(
            "destroyed",
            _("Destroyed during the year, by category"),
            compare,
            side_by_side(
                this["destroyed"]["by_category"], last["destroyed"]["by_category"]
            ),
            chart="",
        ),
        Table(
            "usage_kind",
            _("Use by kind"),
            compare,
            [
                row(
                    str(kind_names.get(k, k)),
                    this["usage"]["total"].get(k, 0),
                    last["usage"]["total"].get(k, 0),
                )
                for k in kinds
            ],
            chart="",
        ),
        Table(
            "usage_department",
            _("Use by department"),
            [_("Department"), year, previous, _("Change")],
            _departments(this, last, names),
            chart="",
        ),
        Table(
            "effects",
            _("Effect of the uses"),
            compare,
            [
                row(str(label), effects.get(key, 0), effects_before.get(key, 0))
                for key, label in UseEffect.choices
                if effects.get(key) or effects_before.get(key)
            ]
            + [
                row(
                    _("Not told"),
                    this["effects"]["not_told"],
                    last["effects"]["not_told"],
                )
            ],
            chart="",
        ),
    ]
    return tables


def _with_totals(now_rows, before_rows):
    before = {
        (code, name): paper + electronic
        for code, name, paper, electronic in before_rows
    }
    for code, name, paper, electronic in now_rows:
        yield (
            (code, name, paper, electronic),
            paper + electronic,
            before.get((code, name), 0),
        )


def _departments(this: dict, last: dict, names: dict) -> list:
    def totals(figures) -> dict:
        return {
            (code, name): sum(counts.values())
            for code, name, counts in figures["usage"]["by_department"]
        }

    now, before = totals(this), totals(last)
    rows = []
    for key in list(now) + [k for k in before if k not in now]:
        code, name = key
        label = (
            name_in(name, names["department"].get(code))
            if name
            else _("Outside the company")
        )
        rows.append(
            [
                label,
                now.get(key, 0),
                before.get(key, 0),
                _change(now.get(key, 0), before.get(key, 0)),
            ]
        )
    return rows
