"""The archivist's review queue: accept with a number and a box, or return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from archives import permissions
from archives import selectors
from archives.forms import AcceptForm
from archives.forms import BulkAcceptForm
from archives.forms import ReturnForm
from archives.forms import ReviewQueueFilterForm
from archives.models import ArchiveRecord
from archives.services import records as record_services
from archives.services.numbering import number_preview
from core.errors import ArchiveError
from core.views import add_service_errors
from core.views import ids_from
from core.views import paginate
from core.views import query_without_page

review_required = permission_required(permissions.REVIEW_RECORDS, raise_exception=True)


@login_required
@review_required
def review_queue(request):
    form = ReviewQueueFilterForm(request.GET)
    valid = form.is_valid()
    records = selectors.review_queue(
        user=request.user, **(form.to_filters() if valid else {})
    )
    return render(
        request,
        "archives/review_queue.html",
        {
            "form": form,
            "page": paginate(request, records),
            "query_string": query_without_page(request),
            "accept_form": BulkAcceptForm(),
        },
        status=200 if valid else 400,
    )


@login_required
@review_required
def pick_boxes(request):
    """The boxes with room whose code holds what was typed, as <option>s for
    the bulk accept's box picker."""
    from archives.forms import BoxChoiceField

    text = (request.GET.get("picker_q") or "").strip()[:50]
    label = BoxChoiceField(queryset=None).label_from_instance
    boxes = selectors.boxes_with_room_matching(text=text)
    return render(
        request,
        "includes/picker_options.html",
        {"options": [(box.pk, label(box)) for box in boxes]},
    )


@login_required
@review_required
@require_POST
def review_accept_bulk(request):
    """Accept the queue's selection; refused ones stay, each with its reason."""
    back = reverse("archives:review-queue")
    # Back to the same filters (the cursor is dropped: the page has changed).
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    for name in ("after", "before", "last"):
        query.pop(name, None)
    if query:
        back = f"{back}?{query.urlencode()}"
    ids = ids_from(request.POST, "record")
    form = BulkAcceptForm(request.POST)
    if not ids:
        messages.error(request, _("Select the records to accept."))
        return redirect(back)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    records = selectors.review_queue(user=request.user).filter(pk__in=ids)
    outcome = record_services.records_accept_bulk(
        actor=request.user,
        records=records,
        box=form.cleaned_data.get("box"),
        new_box_shelf=form.cleaned_data.get("new_box_shelf"),
    )
    if outcome.accepted:
        messages.success(
            request,
            ngettext(
                "Accepted %(count)s record: %(first)s.",
                "Accepted %(count)s records: %(first)s to %(last)s.",
                len(outcome.accepted),
            )
            % {
                "count": len(outcome.accepted),
                "first": outcome.accepted[0].number,
                "last": outcome.accepted[-1].number,
            },
        )
    if outcome.past_retention:
        messages.warning(
            request,
            ngettext(
                "%(count)s of them was past its retention: it is due for appraisal.",
                "%(count)s of them were past their retention: they are due for "
                "appraisal.",
                outcome.past_retention,
            )
            % {"count": outcome.past_retention},
        )
    for record, reason in outcome.refused:
        messages.error(
            request,
            _("Not accepted: %(title)s. %(reason)s")
            % {"title": record.title, "reason": reason},
        )
    gone = len(ids) - len(outcome.accepted) - len(outcome.refused)
    if gone:
        messages.warning(
            request,
            ngettext(
                "%(count)s selected record no longer waits for review.",
                "%(count)s selected records no longer wait for review.",
                gone,
            )
            % {"count": gone},
        )
    return redirect(back)


def _disposal_passed(record: ArchiveRecord):
    """The day the record's retention ended, if it ended before today."""
    due = record_services.disposal_due(record)
    return due if due is not None and due < timezone.localdate() else None


def _review_page(request, record, accept_form, return_form, status=200):
    try:
        preview = number_preview(record=record)
    except ArchiveError as error:
        preview = None
        accept_form.add_error(None, error.message)
    return render(
        request,
        "archives/review_record.html",
        {
            "record": record,
            "subcodes": record.subcodes.select_related("dimension"),
            "files": (files := selectors.record_files(record)),
            "copies_pending": selectors.copies_pending(files),
            "file_rights": selectors.file_rights(user=request.user, record=record),
            "file_checks": selectors.latest_file_checks(record),
            "reviews": record.reviews.select_related("actor"),
            "accept_form": accept_form,
            "return_form": return_form,
            "number_preview": preview,
            # Retention already over: accepted, it is due for appraisal at once.
            "disposal_passed": _disposal_passed(record),
        },
        status=status,
    )


def _submitted(pk: int) -> ArchiveRecord:
    return get_object_or_404(
        ArchiveRecord.objects.select_related(
            "category",
            "customer",
            "created_by",
            "source_department",
            "responsible_person",
        ),
        pk=pk,
        status=ArchiveRecord.Status.SUBMITTED,
    )


@login_required
@review_required
def review_record(request, pk: int):
    record = _submitted(pk)
    return _review_page(request, record, AcceptForm(record=record), ReturnForm())


@login_required
@review_required
def review_accept(request, pk: int):
    record = _submitted(pk)
    form = AcceptForm(request.POST, record=record)
    if form.is_valid():
        try:
            record = record_services.record_accept(
                actor=request.user,
                record=record,
                box=form.cleaned_data.get("box"),
                new_box_shelf=form.cleaned_data.get("new_box_shelf"),
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Accepted as %(number)s.") % {"number": record.number}
            )
            return redirect("archives:review-queue")
    return _review_page(request, record, form, ReturnForm(), status=400)


@login_required
@review_required
def review_return(request, pk: int):
    record = _submitted(pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            record_services.record_return(
                actor=request.user, record=record, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Returned to %(person)s with your reasons.")
                % {"person": record.created_by},
            )
            return redirect("archives:review-queue")
    return _review_page(request, record, AcceptForm(record=record), form, status=400)
