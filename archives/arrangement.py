"""The arrangement outputs of DA/T 22 (归档文件整理规则, issue 20, item 3).

Plain data in, bytes out (reportlab, openpyxl):

* the filing stamp (归档章) of each record: fonds number, year, item number,
  department, retention period and pages, printed as sheets of stickers;
* the spine of each box (盒脊): fonds number, year, retention period,
  category, first and last numbers, box code;
* the box's note sheet (备考表): how many records and pages it holds, the
  arranger's notes, who arranged and who checked it, and when;
* the filing directory (归档文件目录) of a year and category, as PDF and
  Excel.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer

from archives.periods import period_label
from archives.periods import record_period
from core.pdfdoc import build
from core.pdfdoc import fields
from core.pdfdoc import font_name
from core.pdfdoc import grid_chunks
from core.pdfdoc import signatures
from core.pdfdoc import styles
from core.pdfdoc import when
from core.spreadsheet import xlsx_row


def fonds() -> str:
    return settings.ARCHIVE_FONDS_NUMBER


@dataclass(frozen=True)
class Stamp:
    """One record's filing stamp (归档章)."""

    fonds: str
    year: int
    item: str
    number: str
    department: str
    period: str
    pages: int

    @classmethod
    def of(cls, record) -> Stamp:
        department = record.source_department
        return cls(
            fonds=fonds(),
            year=record.date_formed.year,
            item=str(record.sequence_number or ""),
            number=record.number or "",
            department=department.local_name if department else "",
            period=period_label(record_period(record)),
            pages=record.page_count or 0,
        )


STAMP_CELL_W, STAMP_CELL_H = 16 * mm, 7 * mm
STAMP_W, STAMP_H = 3 * STAMP_CELL_W, 2 * STAMP_CELL_H
STAMP_SLOT_W, STAMP_SLOT_H = STAMP_W + 4 * mm, STAMP_H + 7 * mm
STAMP_COLUMNS = int((A4[0] - 10 * mm) // STAMP_SLOT_W)
STAMP_ROWS = int((A4[1] - 16 * mm) // STAMP_SLOT_H)


def _fit(pdf: canvas.Canvas, text: str, width: float, size: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    font = font_name()
    while size > 4 and pdf.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(pdf, text: str, x: float, y: float, width: float, size: float) -> None:
    size = _fit(pdf, text, width - 2 * mm, size)
    pdf.setFont(font_name(), size)
    pdf.drawCentredString(x + width / 2, y, text)


def _draw_stamp(pdf: canvas.Canvas, x: float, y: float, stamp: Stamp) -> None:
    """Two rows of three cells, in red as the stamp is, the number beneath."""
    pdf.setStrokeColorRGB(0.75, 0, 0)
    pdf.setFillColorRGB(0.75, 0, 0)
    pdf.setLineWidth(0.9)
    pdf.rect(x, y, STAMP_W, STAMP_H)
    pdf.line(x, y + STAMP_CELL_H, x + STAMP_W, y + STAMP_CELL_H)
    for column in (1, 2):
        pdf.line(x + column * STAMP_CELL_W, y, x + column * STAMP_CELL_W, y + STAMP_H)
    cells = [
        [stamp.fonds, str(stamp.year), stamp.item],
        [stamp.department, stamp.period, str(stamp.pages)],
    ]
    for row, values in enumerate(cells):
        baseline = y + STAMP_H - (row + 1) * STAMP_CELL_H + 2.3 * mm
        for column, value in enumerate(values):
            _centred(pdf, value, x + column * STAMP_CELL_W, baseline, STAMP_CELL_W, 9)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font_name(), 7)
    pdf.drawString(x, y - 3.5 * mm, stamp.number)


def stamps_pdf(stamps: list[Stamp]) -> bytes:
    """Filing stamps as a sheet of stickers, in the order given; the legend
    of the cells printed once at the top of each sheet."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Filing stamps"))
    legend = _(
        "Filing stamp: fonds · year · item number / department · retention · pages"
    )
    per_page = STAMP_COLUMNS * STAMP_ROWS
    left = (A4[0] - STAMP_COLUMNS * STAMP_SLOT_W) / 2 + 2 * mm
    for index, stamp in enumerate(stamps):
        slot = index % per_page
        if slot == 0:
            if index:
                pdf.showPage()
            pdf.setFont(font_name(), 7)
            pdf.drawString(left, A4[1] - 7 * mm, legend)
        column, row = slot % STAMP_COLUMNS, slot // STAMP_COLUMNS
        x = left + column * STAMP_SLOT_W
        y = A4[1] - 10 * mm - (row + 1) * STAMP_SLOT_H + 5 * mm
        _draw_stamp(pdf, x, y, stamp)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Spine:
    """A box's spine (盒脊)."""

    fonds: str
    year: int
    period: str
    category: str
    first: str
    last: str
    count: int
    code: str

    @classmethod
    def of(cls, box, number_range, period: str) -> Spine:
        return cls(
            fonds=fonds(),
            year=box.year,
            period=period,
            category=f"{box.category.code} {box.category.local_name}",
            first=number_range.first or "",
            last=number_range.last or "",
            count=number_range.count,
            code=box.code,
        )


SPINE_W, SPINE_H = 36 * mm, 180 * mm
PAGE_LANDSCAPE = landscape(A4)
SPINES_PER_PAGE = int((PAGE_LANDSCAPE[0] - 10 * mm) // SPINE_W)


def _draw_spine(pdf: canvas.Canvas, x: float, y: float, spine: Spine) -> None:
    pdf.setStrokeColorRGB(0, 0, 0)
    pdf.setLineWidth(1)
    pdf.rect(x, y, SPINE_W, SPINE_H)
    rows = [
        (_("Fonds"), spine.fonds or " "),
        (_("Year"), str(spine.year)),
        (_("Retention"), spine.period),
        (_("Category"), spine.category),
        (_("First number"), spine.first or "—"),
        (_("Last number"), spine.last or "—"),
        (_("Records"), str(spine.count)),
    ]
    height = (SPINE_H - 24 * mm) / len(rows)
    top = y + SPINE_H
    for index, (label, value) in enumerate(rows):
        cell_top = top - index * height
        pdf.line(x, cell_top - height, x + SPINE_W, cell_top - height)
        _centred(pdf, label, x, cell_top - 5 * mm, SPINE_W, 8)
        _centred(pdf, value, x, cell_top - height + 4 * mm, SPINE_W, 12)
    _centred(pdf, _("Box"), x, y + 17 * mm, SPINE_W, 8)
    _centred(pdf, spine.code, x, y + 8 * mm, SPINE_W, 13)


def spines_pdf(spines: list[Spine]) -> bytes:
    """Box spines side by side on landscape A4, cut out and slipped in."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE_LANDSCAPE)
    pdf.setTitle(_("Box spines"))
    left = (PAGE_LANDSCAPE[0] - SPINES_PER_PAGE * SPINE_W) / 2
    bottom = (PAGE_LANDSCAPE[1] - SPINE_H) / 2
    for index, spine in enumerate(spines):
        slot = index % SPINES_PER_PAGE
        if index and slot == 0:
            pdf.showPage()
        _draw_spine(pdf, left + slot * SPINE_W, bottom, spine)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def box_note_pdf(box, *, count: int, pages: int, first: str, last: str) -> bytes:
    """The box's note sheet (备考表), to print, sign and put in the box."""
    s = styles()
    width = A4[0] - 30 * mm
    title = _("Note sheet of box %(box)s") % {"box": box.code}
    story = [
        Paragraph(_("Note sheet (备考表)"), s["title"]),
        Spacer(1, 4 * mm),
        fields(
            [
                (_("Fonds"), fonds() or "—"),
                (_("Box"), box.code),
                (_("Category"), f"{box.category.code} {box.category.local_name}"),
                (_("Year"), str(box.year)),
                (_("Numbers"), f"{first} — {last}" if first else "—"),
                (_("Records"), str(count)),
                (_("Pages"), str(pages)),
                (
                    _("Storage place"),
                    f"{box.shelf.storeroom.local_name} · {box.shelf.code}",
                ),
            ],
            s["body"],
            width,
        ),
        Paragraph(_("Notes on the records of this box"), s["heading"]),
        Paragraph(
            escape(box.note or _("Nothing to note.")).replace("\n", "<br/>"),
            s["body"],
        ),
        Spacer(1, 8 * mm),
        fields(
            [
                (_("Arranged by"), str(box.arranged_by or "")),
                (_("Arranged on"), when(box.arranged_on)),
                (_("Checked by"), str(box.checked_by or "")),
                (_("Checked on"), when(box.checked_on)),
            ],
            s["body"],
            width,
        ),
        Spacer(1, 6 * mm),
        signatures([_("Arranger"), _("Checker")], s["body"], width),
    ]
    return build(story, title)


def directory_headers() -> list[str]:
    return [
        pgettext("directory", "Item"),
        _("Archive number"),
        _("Responsible body"),
        _("Title"),
        _("Date"),
        _("Pages"),
        _("Confidentiality"),
        _("Retention"),
        _("Remarks"),
    ]


def directory_row(record) -> list:
    department = record.source_department
    return [
        record.sequence_number or "",
        record.number or "",
        department.local_name if department else "",
        record.title,
        record.date_formed.strftime("%Y%m%d"),
        record.page_count or 0,
        str(record.get_confidentiality_display()),
        period_label(record_period(record)),
        str(record.get_status_display())
        if record.status != record.Status.ARCHIVED
        else "",
    ]


def directory_title(year: int, category) -> str:
    return _("Filing directory %(year)s · %(category)s") % {
        "year": year,
        "category": f"{category.code} {category.local_name}",
    }


def directory_pdf(*, year: int, category, period: str, records) -> bytes:
    """The filing directory (归档文件目录) as landscape A4 pages."""
    s = styles()
    title = directory_title(year, category)
    width = PAGE_LANDSCAPE[0] - 30 * mm
    widths = [x * width for x in (0.05, 0.13, 0.1, 0.37, 0.07, 0.05, 0.06, 0.07, 0.1)]
    subtitle = " · ".join(
        part
        for part in (
            _("Fonds %(fonds)s") % {"fonds": fonds()} if fonds() else "",
            _("Retention: %(period)s") % {"period": period} if period else "",
        )
        if part
    )
    rows = [directory_headers(), *(directory_row(r) for r in records)]
    story = [Paragraph(_("Filing directory (归档文件目录)"), s["title"])]
    story.append(Paragraph(title + (f" · {subtitle}" if subtitle else ""), s["small"]))
    story.append(Spacer(1, 3 * mm))
    story += grid_chunks(rows, widths, s["small"])
    return build(story, title, pagesize=PAGE_LANDSCAPE)


def directory_xlsx(*, year: int, category, period: str, records) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(year))
    sheet.append([directory_title(year, category)])
    if period:
        sheet.append([_("Retention: %(period)s") % {"period": period}])
    sheet.append(directory_headers())
    for record in records:
        sheet.append(xlsx_row(sheet, directory_row(record)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def handover_list_pdf(batch, items) -> bytes:
    """The hand-over list (移交清单) of a batch, signed by the one who hands it
    over and the one who receives it."""
    s = styles()
    width = A4[0] - 30 * mm
    title = _("Hand-over list %(ref)s") % {"ref": batch.reference}
    rows = [
        [
            _("No."),
            _("Category"),
            _("Title"),
            _("Date formed"),
            _("Filed by"),
            _("Carrier"),
            _("Pages"),
            pgettext("handover", "Checked"),
        ]
    ]
    pages = 0
    for index, item in enumerate(items, start=1):
        record = item.record
        pages += record.page_count or 0
        rows.append(
            [
                index,
                record.category.code,
                record.title,
                when(record.date_formed),
                str(record.created_by),
                str(record.get_carrier_display()),
                record.page_count or 0,
                f"{item.checked_by} {when(item.checked_at)}" if item.checked_at else "",
            ]
        )
    widths = [x * width for x in (0.05, 0.07, 0.33, 0.11, 0.1, 0.08, 0.06, 0.2)]
    story = [
        Paragraph(_("Hand-over list (移交清单)"), s["title"]),
        fields(
            [
                (_("Reference"), batch.reference),
                (_("Department"), str(batch.department)),
                (_("Month"), batch.month.strftime("%Y-%m")),
                (_("Records"), str(len(rows) - 1)),
                (_("Pages"), str(pages)),
                (_("Fonds"), fonds() or "—"),
                (
                    pgettext("handover", "Handed over"),
                    f"{batch.handed_over_by or ''} {when(batch.handed_over_at)}",
                ),
                (_("Received"), f"{batch.received_by or ''} {when(batch.received_at)}"),
            ],
            s["body"],
            width,
        ),
        Spacer(1, 4 * mm),
        *grid_chunks(rows, widths, s["small"]),
    ]
    if batch.receipt_note:
        story.append(
            Paragraph(
                _("Note on receipt: %(note)s") % {"note": escape(batch.receipt_note)},
                s["body"],
            )
        )
    story += [
        Spacer(1, 8 * mm),
        signatures(
            [pgettext("handover", "Handed over by"), _("Received by")], s["body"], width
        ),
    ]
    return build(story, title)
