"""The monthly usage report as a PDF: its tables, with bars beside counts."""

from __future__ import annotations

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
from reports.figures import statistics_tables


def monthly_report(report) -> bytes:
    s = styles()
    width = A4[0] - 30 * mm
    month = report.month.strftime("%Y-%m")
    title = _("Archive usage report, %(month)s") % {"month": month}
    story = [
        Paragraph(title, s["title"]),
        Paragraph(
            _("Generated %(time)s") % {"time": when(report.generated_at)}, s["small"]
        ),
        Spacer(1, 3 * mm),
    ]
    for table in statistics_tables(report.figures):
        columns = len(table.headers)
        first = width * (0.4 if columns > 2 else 0.6)
        rest = (width - first) / (columns - 1)
        rows = (
            [table.headers, *table.rows]
            if table.rows
            else [
                table.headers,
                [_("None in this period."), *[""] * (columns - 1)],
            ]
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
