"""Box and shelf labels as PDF: plain data in, bytes out (reportlab).

Chinese text uses the font of ``ARCHIVE_PDF_FONT_PATH`` (WenQuanYi Zen Hei by
default), embedded in the file so any reader shows it; without that file the
CID font STSong-Light is used, which the reader must supply.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from core.pdfdoc import font_name


@dataclass(frozen=True)
class BoxLabel:
    code: str
    category_code: str
    category_name: str
    year: int
    first: str | None
    last: str | None
    count: int
    location: str

    @classmethod
    def of(cls, box, number_range) -> BoxLabel:
        return cls(
            code=box.code,
            category_code=box.category.code,
            category_name=box.category.local_name,
            year=box.year,
            first=number_range.first,
            last=number_range.last,
            count=number_range.count,
            location=f"{box.shelf.storeroom.local_name} · {box.shelf.code}",
        )


@dataclass(frozen=True)
class ShelfLabel:
    code: str
    storeroom: str
    category: str
    first: str | None
    last: str | None
    boxes: int

    @classmethod
    def of(cls, shelf, box_ranges) -> ShelfLabel:
        numbered = [r for r in box_ranges if r.first]
        return cls(
            code=shelf.code,
            storeroom=shelf.storeroom.local_name,
            category=str(shelf.category) if shelf.category else "",
            first=numbered[0].first if numbered else None,
            last=numbered[-1].last if numbered else None,
            boxes=len(box_ranges),
        )


LABEL_W, LABEL_H = 90 * mm, 62 * mm
COLUMNS, ROWS = 2, 4
MARGIN_X = (A4[0] - COLUMNS * LABEL_W) / 2
MARGIN_Y = (A4[1] - ROWS * LABEL_H) / 2


def _range_text(first: str | None, last: str | None) -> str:
    if not first:
        return _("(empty)")
    return f"{first} — {last}" if last and last != first else first


def _draw_box_label(pdf: canvas.Canvas, x: float, y: float, label: BoxLabel) -> None:
    font = font_name()
    pdf.setLineWidth(0.8)
    pdf.rect(x, y, LABEL_W, LABEL_H)
    top = y + LABEL_H
    pdf.setFont(font, 9)
    pdf.drawString(x + 5 * mm, top - 7 * mm, _("Customer-service archive box"))
    pdf.setFont(font, 15)
    pdf.drawString(
        x + 5 * mm, top - 15 * mm, f"{label.category_code} {label.category_name}"
    )
    pdf.setFont(font, 10)
    pdf.drawString(
        x + 5 * mm, top - 22 * mm, _("Year: %(year)s") % {"year": label.year}
    )
    pdf.drawString(
        x + 5 * mm,
        top - 28 * mm,
        _("Numbers: %(range)s") % {"range": _range_text(label.first, label.last)},
    )
    pdf.drawString(
        x + 5 * mm, top - 34 * mm, _("Records: %(count)d") % {"count": label.count}
    )
    pdf.drawString(
        x + 5 * mm, top - 40 * mm, _("Location: %(place)s") % {"place": label.location}
    )
    barcode = code128.Code128(label.code, barHeight=11 * mm, barWidth=0.35 * mm)
    barcode.drawOn(pdf, x + 5 * mm, y + 6 * mm)
    pdf.setFont(font, 8)
    pdf.drawString(x + 5 * mm, y + 2.5 * mm, label.code)


def _draw_labels(pdf: canvas.Canvas, labels: list[BoxLabel], start: int = 0) -> None:
    per_page = COLUMNS * ROWS
    for index, label in enumerate(labels, start=start):
        slot = index % per_page
        if index and slot == 0:
            pdf.showPage()
        column, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN_X + column * LABEL_W
        y = A4[1] - MARGIN_Y - (row + 1) * LABEL_H
        _draw_box_label(pdf, x, y, label)


def _new_canvas(buffer: io.BytesIO, title: str) -> canvas.Canvas:
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setAuthor(_("Customer-service archive"))
    return pdf


def box_labels_pdf(labels: list[BoxLabel]) -> bytes:
    """Box labels, eight to an A4 page."""
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, _("Box labels"))
    _draw_labels(pdf, labels)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def shelf_labels_pdf(shelf: ShelfLabel, boxes: list[BoxLabel]) -> bytes:
    """The shelf's own label (two slots wide), then a label for each box on it."""
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, _("Shelf labels"))
    font = font_name()
    x, y = MARGIN_X, A4[1] - MARGIN_Y - LABEL_H
    pdf.setLineWidth(1.2)
    pdf.rect(x, y, COLUMNS * LABEL_W, LABEL_H)
    top = y + LABEL_H
    pdf.setFont(font, 11)
    pdf.drawString(
        x + 6 * mm,
        top - 9 * mm,
        _("Shelf %(code)s · %(room)s") % {"code": shelf.code, "room": shelf.storeroom},
    )
    pdf.setFont(font, 20)
    pdf.drawString(x + 6 * mm, top - 22 * mm, shelf.category or _("Mixed categories"))
    pdf.setFont(font, 13)
    pdf.drawString(
        x + 6 * mm,
        top - 33 * mm,
        _("Numbers: %(range)s") % {"range": _range_text(shelf.first, shelf.last)},
    )
    pdf.drawString(
        x + 6 * mm, top - 42 * mm, _("Boxes: %(count)d") % {"count": shelf.boxes}
    )
    barcode = code128.Code128(
        f"SHELF-{shelf.code}", barHeight=10 * mm, barWidth=0.4 * mm
    )
    barcode.drawOn(pdf, x + 6 * mm, y + 5 * mm)
    _draw_labels(pdf, boxes, start=COLUMNS)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def file_checks_pdf(record, reports) -> bytes:
    """The four-checks reports (四性检测) of a record, to print and sign."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph
    from reportlab.platypus import Spacer

    from core.pdfdoc import build
    from core.pdfdoc import fields
    from core.pdfdoc import grid
    from core.pdfdoc import signatures
    from core.pdfdoc import styles
    from core.pdfdoc import when

    s = styles()
    width = A4[0] - 30 * mm
    story = [
        Paragraph(_("Four-checks report"), s["title"]),
        fields(
            [
                (_("Archive number"), record.number or _("(no number yet)")),
                (_("Title"), record.title),
                (_("Category"), str(record.category)),
                (_("Files"), str(record.files.filter(erased_at__isnull=True).count())),
            ],
            s["body"],
            width,
        ),
    ]
    for report in reports:
        story += [
            Spacer(0, 4 * mm),
            Paragraph(
                f"{report.get_stage_display()} · {when(report.checked_at)} · "
                f"{report.get_outcome_display()}",
                s["heading"],
            ),
        ]
        if report.overridden_by:
            story.append(
                Paragraph(
                    escape(
                        _("Accepted despite it by %(person)s: %(reason)s")
                        % {
                            "person": report.overridden_by,
                            "reason": report.override_reason,
                        }
                    ),
                    s["body"],
                )
            )
        rows = [
            [
                _("Aspect"),
                pgettext("an electronic file", "File"),
                _("Outcome"),
                _("Finding"),
            ]
        ]
        rows += [
            [
                item.get_aspect_display(),
                item.file.display_name if item.file else "—",
                item.get_outcome_display(),
                item.text,
            ]
            for item in report.items.all()
        ]
        story.append(
            grid(rows, [width * w for w in (0.1, 0.25, 0.1, 0.55)], s["small"])
        )
    story += [
        Spacer(0, 8 * mm),
        signatures([_("Checked by"), _("Reviewed by")], s["body"], width),
    ]
    return build(story, _("Four-checks report"))
