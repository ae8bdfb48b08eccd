"""Forms and registers of viewing, lending and the front desk as PDF.

Text is in the reader's language, Chinese set in the embedded font of
``core.pdfdoc.font_name``. Each builder takes model objects and returns bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qr
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph
from reportlab.platypus import Spacer
from reportlab.platypus import Table

from accounts.notifications import render as render_notice
from core.pdfdoc import build
from core.pdfdoc import fields
from core.pdfdoc import grid
from core.pdfdoc import grid_chunks
from core.pdfdoc import signatures
from core.pdfdoc import styles
from core.pdfdoc import when
from lending.models import Kind


def _reference_barcode(reference: str) -> Code128:
    """The reference as a Code 128 barcode: the desk scans it (issue 19,
    item 5). Drawn straight onto the page: as a drawing of shapes, each bar
    checked attribute by attribute, it took a quarter of the form's time."""
    barcode = Code128(reference, barHeight=10 * mm, barWidth=0.4 * mm)
    barcode.hAlign = "RIGHT"
    return barcode


def request_form(access_request, disclosure) -> bytes:
    """The viewing or lending request form, with its approvals and hand-over.

    ``disclosure`` (``lending.selectors.request_disclosure``) says what the
    reader may learn: titles and levels only of records they may see, the
    chain and what was found only once they are told.
    """
    s = styles()
    width = A4[0] - 30 * mm
    title = (
        _("Archive viewing request form")
        if access_request.kind == Kind.VIEWING
        else _("Archive lending request form")
    )
    r = access_request
    pairs = [
        (_("Reference"), r.reference),
        (_("Status"), r.get_status_display()),
        (_("Requester"), str(r.requester)),
        (_("Department"), str(r.department or "")),
        (_("Purpose"), r.purpose),
        (_("Scope"), r.scope or _("Whole records")),
        (_("From"), when(r.starts_at)),
        (_("Until"), when(r.due_on) if r.is_loan else when(r.ends_at)),
        (_("Requested"), when(r.created_at)),
    ]
    if disclosure.told:
        # Whether an archivist accompanies follows from whose records they are.
        pairs.insert(8, (_("Accompanied"), _("Yes") if r.accompanied else _("No")))
    record_rows = [
        [
            _("Number"),
            _("Title"),
            _("Confidentiality"),
            _("Handed over"),
            _("Taken back"),
            _("Condition"),
        ]
    ]
    for row in disclosure.rows:
        item, record = row.item, row.record
        if row.available is False:
            title_text = _("Not available")
        else:
            title_text = record.title if record else ""
        record_rows.append(
            [
                row.number,
                title_text,
                record.get_confidentiality_display() if record else "",
                f"{when(item.handed_over_at)} {item.handed_over_by or ''}"
                if item
                else "",
                f"{when(item.returned_at)} {item.received_by or ''}" if item else "",
                item.get_condition_display() if item and item.condition else "",
            ]
        )
    step_rows = [
        [
            _("Step"),
            _("Approver"),
            _("Decision"),
            _("Signed by"),
            _("Time"),
            _("Comment"),
        ]
    ]
    steps = r.steps.all()  # with their signers and departments (request_get_for)
    for step in steps if disclosure.told else []:
        approver = step.get_role_display()
        if step.department:
            approver = f"{approver}（{step.department}）"
        step_rows.append(
            [
                str(step.position),
                approver,
                step.get_decision_display(),
                str(step.decided_by or ""),
                when(step.decided_at),
                step.comment_text,
            ]
        )
    if not disclosure.told:
        step_rows.append(["", _("Waiting for approval"), "", "", "", ""])
    story = [
        Paragraph(title, s["title"]),
        _reference_barcode(r.reference),
        Spacer(1, 2 * mm),
        fields(pairs, s["body"], width),
        Paragraph(_("Record numbers"), s["heading"]),
        grid(
            record_rows,
            [w * width for w in (0.16, 0.3, 0.1, 0.16, 0.16, 0.12)],
            s["small"],
        ),
        Paragraph(_("Approvals"), s["heading"]),
        grid(
            step_rows,
            [w * width for w in (0.07, 0.25, 0.12, 0.16, 0.16, 0.24)],
            s["small"],
        ),
        Spacer(1, 10 * mm),
        signatures(
            [
                _("Borrower's signature") if r.is_loan else _("Reader's signature"),
                _("Archivist's signature"),
            ],
            s["body"],
            width,
        ),
    ]
    return build(story, f"{title} {r.reference}")


def _place(record) -> str:
    box = record.box
    if box is None:
        return _("not in a box")
    return f"{box.shelf.storeroom.local_name} · {box.shelf.code} · {box.code}"


def pull_list(*, items, day) -> bytes:
    """The records to fetch for the desk, in the order of the stacks."""
    s = styles()
    width = A4[0] - 30 * mm
    title = _("Pull list for %(day)s") % {"day": when(day)}
    rows = [[_("No."), _("Location"), _("Number"), _("Title"), _("For"), _("Time")]]
    for n, item in enumerate(items, start=1):
        r = item.request
        rows.append(
            [
                n,
                _place(item.record),
                item.record.number,
                item.record.title,
                f"{r.requester} · {r.reference}",
                when(r.starts_at),
            ]
        )
    fractions = (0.06, 0.24, 0.16, 0.24, 0.18, 0.12)
    story = [
        Paragraph(title, s["title"]),
        Paragraph(
            _("%(count)d record(s) to fetch.") % {"count": len(rows) - 1}, s["body"]
        ),
        Spacer(1, 4 * mm),
        *grid_chunks(rows, [f * width for f in fractions], s["small"]),
    ]
    return build(story, title)


def register(*, kind: str, items, date_from, date_to) -> bytes:
    """The viewing register (查阅登记) or loan register (借阅登记冊) of a period."""
    s = styles()
    pagesize = landscape(A4)
    width = pagesize[0] - 30 * mm
    title = _("Viewing register") if kind == Kind.VIEWING else _("Loan register")
    person = _("Reader") if kind == Kind.VIEWING else _("Borrower")
    rows = [
        [
            _("No."),
            _("Handed over"),
            _("Number"),
            _("Title"),
            person,
            _("Department"),
            _("Purpose"),
            _("Handed over by"),
            _("Due") if kind == Kind.LENDING else _("Until"),
            _("Taken back"),
            _("Received by"),
            _("Condition"),
            _("Receipt confirmed"),
        ]
    ]
    for n, item in enumerate(items.iterator(chunk_size=1000), start=1):
        r = item.request
        rows.append(
            [
                n,
                when(item.handed_over_at),
                item.record.number,
                item.record.title,
                str(r.requester),
                str(r.department or ""),
                r.purpose,
                str(item.handed_over_by or ""),
                when(r.due_on) if r.is_loan else when(r.ends_at),
                when(item.returned_at),
                str(item.received_by or ""),
                item.get_condition_display() if item.condition else "",
                _("Yes") if item.receiver_confirmed else "",
            ]
        )
    fractions = (
        0.035,
        0.085,
        0.10,
        0.14,
        0.065,
        0.07,
        0.11,
        0.065,
        0.085,
        0.085,
        0.06,
        0.05,
        0.05,
    )
    story = [
        Paragraph(title, s["title"]),
        Paragraph(
            _("Period: %(start)s to %(end)s · %(count)d entries")
            % {
                "start": when(date_from),
                "end": when(date_to),
                "count": len(rows) - 1,
            },
            s["body"],
        ),
        Spacer(1, 4 * mm),
        *grid_chunks(rows, [f * width for f in fractions], s["small"]),
    ]
    return build(story, title, pagesize=pagesize)


def _qr(url: str, size: float) -> Drawing:
    widget = qr.QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    return drawing


def owner_form(owner_request, *, receipt=None, verify_url: str = "") -> bytes:
    """The owner's request form and, once issued, the copy receipt to sign."""
    s = styles()
    width = A4[0] - 30 * mm
    o = owner_request
    id_text = f"{o.get_id_type_display()} {o.id_number_masked}"
    pairs = [
        (_("Reference"), o.reference),
        (_("Status"), o.get_status_display()),
        (_("Owner"), o.owner_name),
        (_("ID"), id_text),
        (_("Property / room"), o.property_unit),
        (_("Phone"), o.phone_masked),
        (
            _("Proof shown"),
            o.proof_description or (_("Checked") if o.proof_checked else ""),
        ),
        (_("Registered"), f"{when(o.registered_at)} {o.registered_by}"),
        (_("Approved by"), f"{o.decided_by or ''} {when(o.decided_at)}"),
        (_("Archivist present"), f"{o.served_by or ''} {when(o.viewed_at)}"),
    ]
    if o.is_proxy:
        pairs += [
            (_("Proxy"), o.proxy_name),
            (_("Proxy's ID"), f"{o.get_proxy_id_type_display()} {o.proxy_id_masked}"),
        ]
    story = [
        Paragraph(_("Owner's archive viewing form"), s["title"]),
        fields(pairs, s["body"], width),
        Paragraph(_("Records wanted"), s["heading"]),
        Paragraph(escape(o.records_wanted).replace("\n", "<br/>"), s["body"]),
        Paragraph(_("Purpose"), s["heading"]),
        Paragraph(o.purpose, s["body"]),
    ]
    shown = list(o.records.all())
    if shown:
        story += [
            Paragraph(_("Records shown"), s["heading"]),
            grid(
                [[_("Number"), _("Title")]] + [[r.number, r.title] for r in shown],
                [0.3 * width, 0.7 * width],
                s["small"],
            ),
        ]
    if receipt is not None:
        items = list(o.copy_items.select_related("record"))
        rows = [[_("Number"), _("Pages"), _("Decision"), _("Reason")]]
        rows += [
            [
                i.record.number,
                i.pages,
                _("Allowed") if i.allowed else _("Refused"),
                i.reason,
            ]
            for i in items
        ]
        story += [
            Spacer(1, 6 * mm),
            Paragraph(_("For copies only"), s["mark"]),
            Paragraph(_("Copy receipt"), s["title"]),
            grid(
                rows, [0.3 * width, 0.12 * width, 0.18 * width, 0.4 * width], s["small"]
            ),
            Spacer(1, 3 * mm),
            Paragraph(
                _("%(pages)d pages at %(fee)s yuan per page: %(total)s yuan")
                % {
                    "pages": receipt.total_pages,
                    "fee": receipt.fee_per_page,
                    "total": receipt.total_fee,
                },
                s["body"],
            ),
        ]
        verify = Table(
            [
                [
                    _qr(verify_url or receipt.code, 28 * mm),
                    Paragraph(
                        _(
                            "Verification code: %(code)s<br/>"
                            "Scan to check that this copy is genuine, or open "
                            "%(url)s"
                        )
                        % {"code": receipt.code, "url": escape(verify_url or "")},
                        s["body"],
                    ),
                ]
            ],
            colWidths=[32 * mm, width - 32 * mm],
        )
        story += [Spacer(1, 3 * mm), verify]
    story += [
        Spacer(1, 10 * mm),
        signatures(
            [_("Owner's signature"), _("Archivist's signature")], s["body"], width
        ),
    ]
    return build(story, f"{_('Owner request')} {o.reference}")


def overdue_letter(*, person, loans, day) -> bytes:
    """A letter asking one borrower to bring back what is overdue; its words
    are the head of archives' (notice ``overdue_letter``)."""
    s = styles()
    width = A4[0] - 30 * mm
    title = _("Overdue records: please return")
    body = render_notice("overdue_letter", {"person": str(person)})
    rows = [[_("Reference"), _("Record numbers"), _("Due on"), _("Days late")]]
    for loan in loans:
        rows.append(
            [
                loan.reference,
                "\n".join(i.record.number for i in loan.items.all() if i.is_out),
                when(loan.due_on),
                (day - loan.due_on).days,
            ]
        )
    story = [
        Paragraph(title, s["title"]),
        Paragraph(
            _("To: %(person)s · %(department)s")
            % {"person": person, "department": person.department or "—"},
            s["body"],
        ),
        Paragraph(_("Date: %(day)s") % {"day": when(day)}, s["body"]),
        Spacer(1, 4 * mm),
        *[
            Paragraph(escape(part).replace("\n", "<br/>"), s["body"])
            for part in body.split("\n\n")
        ],
        Spacer(1, 4 * mm),
        *grid_chunks(rows, [f * width for f in (0.2, 0.4, 0.2, 0.2)], s["small"]),
        Spacer(1, 12 * mm),
        signatures([_("Archive (seal)")], s["body"], width),
    ]
    return build(story, f"{title} {person}")
