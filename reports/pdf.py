"""The monthly usage report as a PDF: its tables, with bars beside counts."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer

from core.pdfdoc import build
from core.pdfdoc import grid
from core.pdfdoc import styles
from core.pdfdoc import when
from reports.annual import annual_tables
from reports.figures import statistics_tables


def monthly_report(report) -> bytes:
    month = report.month.strftime("%Y-%m")
    return tables_pdf(
        _("Archive usage report, %(month)s") % {"month": month},
        report.generated_at,
        statistics_tables(report.figures),
    )


def annual_report(report) -> bytes:
    return tables_pdf(
        _("Annual statistics report of the archive, %(year)s") % {"year": report.year},
        timezone.now(),
        annual_tables(report),
        compared=True,
    )


def tables_pdf(title: str, generated, tables, compared: bool = False) -> bytes:
    """A report of labelled tables, one after another, each kept whole."""
    s = styles()
    width = A4[0] - 30 * mm
    story = [
        Paragraph(title, s["title"]),
        Paragraph(_("Generated %(time)s") % {"time": when(generated)}, s["small"]),
        Spacer(1, 3 * mm),
    ]
    for table in tables:
        columns = len(table.headers)
        first = width * (0.4 if columns > 2 else 0.6)
        rest = (width - first) / (columns - 1)
        empty = _("None this year.") if compared else _("None in this period.")
        rows = (
            [table.headers, *table.rows]
            if table.rows
            else [table.headers, [empty, *[""] * (columns - 1)]]
        )
        story.append(
            KeepTogether(
                [
                    Paragraph(table.title, s["heading"]),
                    grid(rows, [first, *[rest] * (columns - 1)], s["body"]),
                ]
            )
        )
    return build(story, title)
