"""Destruction list and certificate, check reports and stocktake sheets as PDF."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer

from archives.models import ArchiveRecord
from core.pdfdoc import build
from core.pdfdoc import fields
from core.pdfdoc import grid
from core.pdfdoc import signatures
from core.pdfdoc import styles
from core.pdfdoc import when
from retention.findings import summary_rows
from retention.models import CheckRun
from retention.services.storerooms import ON_SHELF


def _retention(record: ArchiveRecord) -> str:
    category = record.category
    if category.retention_kind == category.RetentionKind.YEARS:
        return _("%(years)s years") % {"years": category.retention_years}
    return str(category.get_retention_kind_display())


def _appraisal_fields(appraisal, s, width):
    return fields(
        [
            (_("Reference"), appraisal.reference),
            (_("Status"), appraisal.get_status_display()),
            (_("Title"), appraisal.title),
            (_("Organised by"), str(appraisal.opened_by)),
            (
                _("Appraisal group"),
                "、".join(str(m) for m in appraisal.members.all()),
            ),
            (_("Opened"), when(appraisal.opened_at)),
            (_("Approved by"), str(appraisal.decided_by or "")),
            (_("Decided"), when(appraisal.decided_at)),
        ],
        s["body"],
        width,
    )


def destruction_list(appraisal, items) -> bytes:
    """The destruction list (銷毀清冊): name, number, quantity, retention, reason."""
    s = styles()
    width = landscape(A4)[0] - 30 * mm
    rows = [
        [
            _("No."),
            _("Number"),
            _("Title"),
            _("Date formed"),
            _("Pages"),
            _("Retention"),
            _("Disposal due"),
            _("Decision"),
            _("Reason"),
        ]
    ]
    destroy = 0
    for index, item in enumerate(items, start=1):
        record = item.record
        if item.decision == item.Decision.DESTROY:
            destroy += 1
        decision = item.get_decision_display()
        if item.decision == item.Decision.KEEP:
            decision += f" → {when(item.keep_until)}"
        rows.append(
            [
                index,
                record.number,
                record.title,
                when(record.date_formed),
                record.page_count,
                _retention(record),
                when(record.disposal_due_on),
                decision,
                item.reason or item.get_ground_display(),
            ]
        )
    story = [
        Paragraph(_("Archive destruction list"), s["title"]),
        _appraisal_fields(appraisal, s, width),
        Spacer(0, 4 * mm),
        grid(
            rows,
            [w * width for w in (0.04, 0.13, 0.25, 0.08, 0.05, 0.08, 0.09, 0.1, 0.18)],
            s["small"],
        ),
        Spacer(0, 3 * mm),
        Paragraph(
            _("%(destroy)d record(s) to destroy, %(keep)d kept.")
            % {"destroy": destroy, "keep": len(rows) - 1 - destroy},
            s["body"],
        ),
        Spacer(0, 6 * mm),
        signatures([_("Organiser"), _("Executive approval")], s["body"], width),
    ]
    return build(story, _("Archive destruction list"), pagesize=landscape(A4))


def destruction_certificate(appraisal, items) -> bytes:
    """The destruction certificate: what, how, where, when, by whom, witnessed."""
    s = styles()
    width = A4[0] - 30 * mm
    items = list(items)
    witnesses = list(appraisal.witnesses.select_related("person"))
    paper = sum(1 for i in items if i.record.is_paper)
    electronic = sum(
        1 for i in items if i.record.carrier != ArchiveRecord.Carrier.PAPER
    )
    rows = [[_("Number"), _("Title"), _("Carrier"), _("Pages")]]
    rows += [
        [
            i.record.number,
            i.record.title,
            i.record.get_carrier_display(),
            i.record.page_count,
        ]
        for i in items
    ]
    story = [
        Paragraph(_("Archive destruction certificate"), s["title"]),
        _appraisal_fields(appraisal, s, width),
        Spacer(0, 3 * mm),
        fields(
            [
                (_("Destroyed at"), when(appraisal.executed_at)),
                (_("Place"), appraisal.place),
                (_("Executor"), str(appraisal.executor or "")),
                (
                    _("Method"),
                    "；".join(
                        part
                        for part in (
                            str(appraisal.get_paper_method_display()) if paper else "",
                            _("secure erasure of electronic files and backups")
                            if electronic
                            else "",
                        )
                        if part
                    ),
                ),
                (_("Records"), str(len(items))),
                (_("Completed"), when(appraisal.completed_at)),
            ],
            s["body"],
            width,
        ),
        Spacer(0, 3 * mm),
        Paragraph(_("Witnesses"), s["heading"]),
        grid(
            [[_("Witness"), _("Confirmed")]]
            + [[str(w.person), when(w.confirmed_at)] for w in witnesses],
            [width * 0.5, width * 0.5],
            s["body"],
        ),
        Paragraph(_("Records destroyed"), s["heading"]),
        grid(rows, [width * 0.22, width * 0.5, width * 0.16, width * 0.12], s["small"]),
        Spacer(0, 8 * mm),
        signatures([_("Executor"), _("Witness")], s["body"], width),
    ]
    return build(story, _("Archive destruction certificate"))


def check_report(run: CheckRun, findings, context: dict) -> bytes:
    """A check's report: its summary, its findings, and what was entered."""
    s = styles()
    width = A4[0] - 30 * mm
    summary = summary_rows(run.summary)
    story = [
        Paragraph(str(run), s["title"]),
        fields(
            [
                (_("Status"), run.get_status_display()),
                (_("Started by"), str(run.started_by or _("Schedule"))),
                (_("Started"), when(run.started_at)),
                (_("Finished"), when(run.finished_at)),
            ],
            s["body"],
            width,
        ),
        Spacer(0, 3 * mm),
    ]
    if summary:
        story.append(
            grid(
                [[_("Figure"), _("Value")], *summary],
                [width * 0.5, width * 0.5],
                s["small"],
            )
        )
    if run.kind == CheckRun.Kind.PATROL:
        low_t, high_t = settings.ARCHIVE_STOREROOM_TEMPERATURE
        low_h, high_h = settings.ARCHIVE_STOREROOM_HUMIDITY
        rows = [
            [
                _("Storeroom"),
                f"{_('Temperature (°C)')} {low_t}–{high_t}",
                f"{_('Relative humidity (%)')} {low_h}–{high_h}",
                _("Note"),
                _("Recorded by"),
            ]
        ]
        for room, reading, _flags, _typed in context.get("patrol_rows", []):
            rows.append(
                [
                    room.local_name,
                    reading.temperature if reading else "",
                    reading.humidity if reading else "",
                    reading.note if reading else "",
                    str(reading.recorded_by) if reading else "",
                ]
            )
        story += [Paragraph(_("Patrol readings"), s["heading"])]
        story.append(
            grid(rows, [width * w for w in (0.24, 0.18, 0.2, 0.22, 0.16)], s["small"])
        )
    if run.kind == CheckRun.Kind.INSPECTION:
        story.append(Paragraph(_("Facilities checklist"), s["heading"]))
        for room, entries in context.get("facility_rows", []):
            rows = [[room.local_name, _("In order"), _("Note")]]
            for item, check in entries:
                state = (
                    _("Not checked")
                    if check is None
                    else (_("Yes") if check.ok else _("No"))
                )
                rows.append([item.name, state, check.note if check else ""])
            story += [
                grid(rows, [width * 0.45, width * 0.15, width * 0.4], s["small"]),
                Spacer(0, 2 * mm),
            ]
    story.append(Paragraph(_("Findings"), s["heading"]))
    rows = [[_("Severity"), _("Storeroom"), _("Finding")]]
    rows += [
        [
            f.get_severity_display(),
            f.storeroom.local_name if f.storeroom else "",
            str(f),
        ]
        for f in findings
    ]
    if len(rows) == 1:
        rows.append(["", "", _("Nothing found.")])
    story.append(grid(rows, [width * 0.12, width * 0.18, width * 0.7], s["small"]))
    story += [
        Spacer(0, 8 * mm),
        signatures([_("Checked by"), _("Reviewed by")], s["body"], width),
    ]
    return build(story, str(run))


def stocktake_sheets(run: CheckRun, storeroom) -> bytes:
    """One sheet per box: what the catalogue says is in it, each with a barcode."""
    s = styles()
    width = A4[0] - 30 * mm

    story = [
        Paragraph(
            _("Stocktake %(period)s · %(room)s")
            % {"period": run.period, "room": storeroom.local_name},
            s["title"],
        )
    ]
    boxes = storeroom.shelves.prefetch_related("boxes").order_by("code")
    for shelf in boxes:
        for box in shelf.boxes.all():
            records = box.records.filter(status__in=ON_SHELF).order_by(
                "number_prefix", "sequence_number"
            )
            rows = [[_("Number"), _("Barcode"), _("Title"), _("Found")]]
            for record in records.iterator(chunk_size=500):
                rows.append(
                    [
                        record.number,
                        code128.Code128(record.number, barHeight=7 * mm, barWidth=0.8),
                        record.title,
                        "",
                    ]
                )
            heading = Paragraph(
                _("Box %(box)s · shelf %(shelf)s · %(count)d record(s)")
                % {"box": box.code, "shelf": shelf.code, "count": len(rows) - 1},
                s["heading"],
            )
            table = grid(
                rows,
                [width * 0.22, width * 0.33, width * 0.37, width * 0.08],
                s["body"],
            )
            story += [KeepTogether([heading, table]) if len(rows) < 25 else heading]
            if len(rows) >= 25:
                story.append(table)
            story.append(Spacer(0, 4 * mm))
    return build(story, _("Stocktake sheets"))
