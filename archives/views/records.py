"""Filing records: the create and edit forms, one's own submissions, detail."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from archives import permissions
from archives import selectors
from archives.forms import MailDropForm
from archives.forms import MoveForm
from archives.forms import RecordCorrectForm
from archives.forms import RecordForm
from archives.forms import RecordLinkForm
from archives.forms import RecordReclassifyForm
from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import PreservationCopy
from archives.models import RecordLink
from archives.services import links
from archives.services import records as record_services
from archives.services.preservation import preservation_retry
from archives.services.storage import record_move_to_box
from audit import services as audit
from core.errors import ArchiveError
from core.views import add_service_errors
from core.views import ids_from
from core.views import run_service


@login_required
@permission_required(permissions.FILE_RECORDS, raise_exception=True)
def record_choose_category(request):
    return render(
        request,
        "archives/record_choose_category.html",
        {"categories": selectors.categories_for_filing()},
    )


def _visible_or_404(request, pk: int) -> ArchiveRecord:
    """The record if this person may see it; 404 alike for missing and hidden."""
    try:
        return selectors.record_get_visible(user=request.user, pk=pk)
    except ArchiveRecord.DoesNotExist:
        hidden = ArchiveRecord.objects.filter(pk=pk).first()
        if hidden is not None:
            audit.log(
                audit.Action.DENIED,
                actor=request.user,
                target=hidden,
                outcome=audit.Outcome.DENIED,
            )
        raise Http404 from None


def _record_form_page(request, *, category, record, save, success: str):
    """The filing form for a new or a returned record; ``save`` calls the service."""
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        category=category,
        user=request.user,
        instance=record or ArchiveRecord(category=category),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(
                actor=request.user,
                data=form.record_data(),
                subcodes=form.subcode_choices(),
                uploads=form.cleaned_data["files"],
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "archives/record_form.html",
        {
            "form": form,
            "category": category,
            "record": record,
            "mail_form": MailDropForm() if record is None else None,
        },
    )


@login_required
@permission_required(permissions.FILE_RECORDS, raise_exception=True)
def record_create(request, code: str):
    category = get_object_or_404(Category, code=code, active=True)
    return _record_form_page(
        request,
        category=category,
        record=None,
        save=partial(record_services.record_create, category=category),
        success=_("Draft saved. Submit it when it is complete."),
    )


@login_required
@permission_required(permissions.FILE_RECORDS, raise_exception=True)
@require_POST
def record_from_mail(request, code: str):
    """E-mails dropped on the filing form, each filed as a draft of the
    filer's; one draft opens for completing, several are listed."""
    from archives.services import mailin

    category = get_object_or_404(Category, code=code, active=True)
    form = MailDropForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("messages", []):
            messages.error(request, error)
        return redirect("archives:record-create", code=code)
    try:
        results = mailin.mails_file(
            actor=request.user, category=category, uploads=form.cleaned_data["messages"]
        )
    except ArchiveError as error:
        messages.error(request, error.message)
        return redirect("archives:record-create", code=code)
    filed = [t.record for t in results if t.record is not None]
    for taken in results:
        if taken.skipped and taken.before and taken.before.record_id:
            messages.info(
                request,
                _("“%(subject)s” was filed before, as the draft or record “%(title)s”.")
                % {"subject": taken.before.subject, "title": taken.before.record.title},
            )
        elif taken.message and taken.message.state == taken.message.State.REFUSED:
            messages.error(
                request,
                _("“%(subject)s” was not filed: %(reason)s.")
                % {
                    "subject": taken.message.subject or _("(no subject)"),
                    "reason": mailin.reason_text(taken.message),
                },
            )
    if filed:
        messages.success(
            request,
            _("%(count)d e-mail(s) filed as drafts: complete them and submit them.")
            % {"count": len(filed)},
        )
    if len(filed) == 1:
        return redirect("archives:record-edit", pk=filed[0].pk)
    if filed:
        return redirect("archives:record-list-mine")
    return redirect("archives:record-create", code=code)


@login_required
def record_edit(request, pk: int):
    record = _visible_or_404(request, pk)
    if record.created_by_id != request.user.pk:
        raise PermissionDenied
    if not record.is_editable:
        messages.error(request, _("This record can no longer be changed."))
        return redirect(record.get_absolute_url())
    return _record_form_page(
        request,
        category=record.category,
        record=record,
        save=partial(record_services.record_update, record=record),
        success=_("Changes saved."),
    )


@login_required
def record_list_mine(request):
    records = selectors.records_filed_by(user=request.user)
    overdue = set(
        selectors.overdue_drafts(user=request.user).values_list("pk", flat=True)
    )
    return render(
        request,
        "archives/record_list_mine.html",
        {"records": records, "overdue": overdue},
    )


@login_required
@require_POST
def records_submit(request):
    ids = ids_from(request.POST, "record")
    records = list(
        ArchiveRecord.objects.filter(pk__in=ids, created_by=request.user).order_by("pk")
    )
    if not records:
        messages.error(request, _("Choose at least one record to submit."))
        return redirect("archives:record-list-mine")
    try:
        with transaction.atomic():
            record_services.records_submit(actor=request.user, records=records)
    except ArchiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)d record(s) sent to the archivist.") % {"count": len(records)},
        )
    return redirect(request.POST.get("next") or "archives:record-list-mine")


@login_required
def record_detail(request, pk: int):
    record = _visible_or_404(request, pk)
    audit.log(audit.Action.RECORD_VIEWED, actor=request.user, target=record)
    return _record_detail_page(request, record)


def _record_detail_page(request, record, move_form=None, status=200, link_form=None):
    """The record, its files and checks, where it is and what it is linked to.

    Its custody and change history open on request (``record_history``): most
    visits do not read them, and they are the page's heaviest part.
    """
    can_link = record.number is not None and request.user.has_perm(
        permissions.LINK_RECORDS
    )
    can_move = (
        record.status == ArchiveRecord.Status.ARCHIVED
        and record.box_id is not None
        and request.user.has_perm(permissions.MANAGE_BOXES)
    )
    if can_move and move_form is None:
        move_form = MoveForm(record=record)
    return render(
        request,
        "archives/record_detail.html",
        {
            "record": record,
            "subcodes": selectors.record_subcodes(record),
            "files": (files := selectors.record_files(record)),
            "copies_pending": selectors.copies_pending(files),
            "file_rights": selectors.file_rights(user=request.user, record=record),
            "file_checks": selectors.latest_file_checks(record),
            "reviews": selectors.record_reviews(record),
            "can_edit": record.is_editable and record.created_by_id == request.user.pk,
            "can_review": (
                record.status == ArchiveRecord.Status.SUBMITTED
                and request.user.has_perm(permissions.REVIEW_RECORDS)
            ),
            "move_form": move_form if can_move else None,
            "links": selectors.record_links(record=record, user=request.user),
            "can_link": can_link,
            "can_correct": record.number is not None
            and record.status != ArchiveRecord.Status.DESTROYED
            and request.user.has_perm(permissions.REVIEW_RECORDS),
            "can_reclassify": record.number is not None
            and record.status != ArchiveRecord.Status.DESTROYED
            and request.user.has_perm(permissions.RECLASSIFY_RECORDS),
            "link_form": link_form or RecordLinkForm(),
        },
        status=status,
    )


@login_required
def record_history(request, pk: int):
    """A record's custody and change history: a panel of its page opened on
    request (htmx), or a page of its own without JavaScript. The old values
    are the record's catalogue too: reading them is logged as a view."""
    record = _visible_or_404(request, pk)
    audit.log(
        audit.Action.RECORD_VIEWED, actor=request.user, target=record, part="history"
    )
    context = {
        "record": record,
        "history": selectors.record_history(record=record),
        "custody": record.custody_events.select_related(
            "from_box", "to_box", "actor", "holder"
        ),
    }
    if request.htmx:
        return render(request, "archives/_record_history.html", context)
    return render(request, "archives/record_history.html", context)


@login_required
@permission_required(permissions.MANAGE_BOXES, raise_exception=True)
def record_nearby_boxes(request, pk: int):
    """The boxes beside a record's own, as completions of the move form's box
    field; asked for when the field is first focused."""
    record = _visible_or_404(request, pk)
    return render(
        request,
        "archives/_nearby_boxes.html",
        {"codes": selectors.boxes_near(record)},
    )


@login_required
@permission_required(permissions.REVIEW_RECORDS, raise_exception=True)
def record_correct(request, pk: int):
    """The archive corrects an accepted record's catalogue, with a reason."""
    record = _visible_or_404(request, pk)
    if record.number is None:
        raise Http404
    if request.method == "GET":  # the form shows the whole catalogue entry
        audit.log(audit.Action.RECORD_VIEWED, actor=request.user, target=record)
    form = RecordCorrectForm(
        request.POST or None,
        instance=ArchiveRecord.objects.get(pk=record.pk),
        category=record.category,
        user=request.user,
    )
    if request.method == "POST" and run_service(
        request,
        form,
        lambda d: record_services.record_correct(
            actor=request.user,
            record=record,
            data=form.record_data(),
            reason=d["reason"],
        ),
        _("The catalogue is corrected; the old values stay in the history."),
    ):
        return redirect(record)
    return render(
        request,
        "archives/record_correct.html",
        {"record": record, "form": form},
        status=400 if form.errors else 200,
    )


# What a confidentiality change did to the open requests, in words.
LEVEL_EFFECTS = {
    "reopened": ngettext_lazy(
        "%(n)d request waits for a further approval",
        "%(n)d requests wait for a further approval",
        "n",
    ),
    "approved": ngettext_lazy(
        "%(n)d request is approved now", "%(n)d requests are approved now", "n"
    ),
    "removed": ngettext_lazy(
        "the record left %(n)d request", "the record left %(n)d requests", "n"
    ),
    "refused": ngettext_lazy(
        "%(n)d request is refused", "%(n)d requests are refused", "n"
    ),
    "out": ngettext_lazy(
        "it is out with %(n)d borrower: the archivists are told",
        "it is out with %(n)d borrowers: the archivists are told",
        "n",
    ),
}


def _level_effects(effects: dict) -> str:
    done = [
        str(LEVEL_EFFECTS[key] % {"n": n})
        for key, n in effects.items()
        if key in LEVEL_EFFECTS
    ]
    if not done:
        return _("No open request asked for it.")
    return _("Open requests: %(effects)s.") % {"effects": "; ".join(done)}


@login_required
@permission_required(permissions.RECLASSIFY_RECORDS, raise_exception=True)
def record_reclassify(request, pk: int):
    """The head of archives changes a record's confidentiality, with a reason;
    open requests follow the new level."""
    record = _visible_or_404(request, pk)
    if record.number is None:
        raise Http404
    form = RecordReclassifyForm(
        request.POST or None, initial={"level": record.confidentiality}
    )
    if request.method == "POST" and form.is_valid():
        try:
            effects = record_services.record_reclassify(
                actor=request.user,
                record=record,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The confidentiality is changed. %(effects)s")
                % {"effects": _level_effects(effects)},
            )
            return redirect(record)
    return render(
        request,
        "archives/record_reclassify.html",
        {"record": record, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@permission_required(permissions.LINK_RECORDS, raise_exception=True)
def record_link(request, pk: int):
    """Link another accepted record to this one (both show the link)."""
    record = _visible_or_404(request, pk)
    form = RecordLinkForm(request.POST)
    if run_service(
        request,
        form,
        lambda d: links.record_link(
            actor=request.user, record=record, number=d["number"], note=d["note"]
        ),
        _("The records are linked."),
    ):
        return redirect(record)
    return _record_detail_page(request, record, status=400, link_form=form)


@login_required
@require_POST
@permission_required(permissions.UNLINK_RECORDS, raise_exception=True)
def record_unlink(request, pk: int):
    wanted = request.POST.get("record", "")
    link = RecordLink.objects.filter(pk=pk).first()
    if link is None:  # removed meanwhile (a second click, another archivist)
        messages.info(request, _("This link was removed already."))
        if wanted.isdigit():
            return redirect("archives:record-detail", pk=int(wanted))
        return redirect("archives:catalogue")
    # Back to the record the person unlinked from (either end).
    ends = {link.from_record_id, link.to_record_id}
    back_pk = int(wanted) if wanted.isdigit() and int(wanted) in ends else None
    back = _visible_or_404(request, back_pk or link.from_record_id)
    links.record_unlink(actor=request.user, link=link)
    messages.success(request, _("The link is removed."))
    return redirect(back)


@login_required
@require_POST
@permission_required(permissions.MANAGE_BOXES, raise_exception=True)
def record_move(request, pk: int):
    record = _visible_or_404(request, pk)
    form = MoveForm(request.POST, record=record)
    if form.is_valid():
        try:
            record_move_to_box(
                actor=request.user,
                record=record,
                box=form.cleaned_data["box"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Moved to box %(box)s.") % {"box": form.cleaned_data["box"].code},
            )
            return redirect(record.get_absolute_url())
    return _record_detail_page(request, record, move_form=form, status=400)


@login_required
@require_POST
@permission_required(permissions.REVIEW_RECORDS, raise_exception=True)
def copy_retry(request, pk: int):
    """The archivist asks for a failed long-term copy again."""
    copy = get_object_or_404(PreservationCopy, pk=pk)
    record = _visible_or_404(request, copy.source.record_id)
    with transaction.atomic():
        preservation_retry(copy=copy)
    messages.success(request, _("The long-term copy is being made again."))
    return redirect(record.get_absolute_url())


@login_required
def record_file_checks_pdf(request, pk: int):
    """The record's four-checks reports, printed (四性检测报告)."""
    from archives import pdf
    from core.views import pdf_response

    record = _visible_or_404(request, pk)
    request.audit_target = record  # logged as printed (audit.middleware)
    reports = selectors.latest_file_checks(record)
    if not reports:
        raise Http404
    content = pdf.file_checks_pdf(record, reports)
    name = record.number or f"record-{record.pk}"
    return pdf_response(content, f"four-checks-{name}.pdf")
