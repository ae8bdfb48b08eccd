"""Building blocks of the printed forms and reports (reportlab platypus).

Text is set in the embedded Chinese font of ``font_name`` (below); every
app's ``pdf.py`` composes its documents from these and returns bytes.
"""

from __future__ import annotations

import datetime
import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable
from reportlab.platypus import LongTable
from reportlab.platypus import Paragraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Table
from reportlab.platypus import TableStyle

FONT_NAME = "ArchiveCJK"
FALLBACK_FONT = "STSong-Light"


@cache
def font_name() -> str:
    """Register the Chinese font once; fall back to the CID font if absent."""
    path = Path(settings.ARCHIVE_PDF_FONT_PATH)
    if path.is_file():
        pdfmetrics.registerFont(
            TTFont(
                FONT_NAME,
                str(path),
                subfontIndex=settings.ARCHIVE_PDF_FONT_SUBFONT_INDEX,
            )
        )
        return FONT_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def styles() -> dict[str, ParagraphStyle]:
    font = font_name()
    base = ParagraphStyle(
        "base", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK"
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=16, leading=22, alignment=1, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=11, leading=16, spaceBefore=8, spaceAfter=3
        ),
        "mark": ParagraphStyle(
            "mark",
            parent=base,
            fontSize=14,
            leading=18,
            textColor=colors.red,
            alignment=2,
        ),
    }


def when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


# Cell padding of a reportlab table, left plus right.
CELL_PADDING = 12
# A table this long is laid out as a LongTable (column widths found once).
LONG_TABLE_ROWS = 100


def grid(rows, widths, style, header=True) -> Table:
    """A ruled table; text that fits its column on one line is drawn as it
    is, longer text wraps in a Paragraph (the costly part of a long register).
    """

    def cell(value, width):
        if isinstance(value, Flowable):
            return value
        text = str(value)
        fits = "\n" not in text and (
            stringWidth(text, style.fontName, style.fontSize) <= width - CELL_PADDING
        )
        # Cell text is data (titles, reasons): drawn as text or escaped,
        # never read as markup.
        return text if fits else Paragraph(escape(text), style)

    cells = [
        [cell(value, width) for value, width in zip(row, widths, strict=False)]
        for row in rows
    ]
    kind = LongTable if len(cells) > LONG_TABLE_ROWS else Table
    table = kind(cells, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), style.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
        ("LEADING", (0, 0), (-1, -1), style.leading),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")))
    table.setStyle(TableStyle(commands))
    return table


def grid_chunks(rows, widths, style, chunk: int = 40) -> list[Table]:
    """A long register as tables of ``chunk`` rows, each with the header.

    reportlab measures the whole remaining table again at every page break,
    which makes one table of 10,000 rows quadratic; tables of 40 rows keep
    the cost to the rows.
    """
    header, body = rows[0], rows[1:]
    return [
        grid([header, *body[start : start + chunk]], widths, style)
        for start in range(0, max(len(body), 1), chunk)
    ]


def fields(pairs, style, width) -> Table:
    """Label/value pairs, two to a row."""
    rows, row = [], []
    for label, value in pairs:
        row += [label, value]
        if len(row) == 4:
            rows.append(row)
            row = []
    if row:
        rows.append(row + ["", ""] * ((4 - len(row)) // 2))
    w = width / 4
    table = grid(rows, [w * 0.7, w * 1.3, w * 0.7, w * 1.3], style, header=False)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f8f9fa")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f8f9fa")),
            ]
        )
    )
    return table


def signatures(labels, style, width) -> Table:
    row = []
    for label in labels:
        row += [f"{label}：", ""]
    table = Table(
        [[Paragraph(c, style) for c in row]],
        colWidths=[width / len(row)] * len(row),
        rowHeights=[14 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.5, colors.black),
                ("LINEBELOW", (3, 0), (3, 0), 0.5, colors.black),
            ]
        )
    )
    return table


def build(story, title: str, pagesize=A4) -> bytes:
    buffer = io.BytesIO()
    font = font_name()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(
            doc.pagesize[0] - 15 * mm,
            10 * mm,
            _("Page %(page)d · printed %(time)s")
            % {"page": doc.page, "time": when(timezone.now())},
        )
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
