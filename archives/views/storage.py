"""Storage: storerooms, shelves and boxes, labels, the entry log, number gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from archives import pdf
from archives import permissions
from archives import selectors
from archives.forms import StoreroomEntryForm
from archives.models import Box
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import StoreroomEntry
from archives.services.storage import storeroom_entry_record
from core.views import add_service_errors
from core.views import paginate
from core.views import pdf_response

view_storage = permission_required(permissions.VIEW_BOXES, raise_exception=True)


@login_required
@view_storage
def storeroom_list(request):
    storerooms = Storeroom.objects.prefetch_related("shelves__category")
    boxes = selectors.boxes_with_ranges(boxes=Box.objects.all())
    by_shelf: dict[int, list] = {}
    for box, number_range in boxes:
        by_shelf.setdefault(box.shelf_id, []).append((box, number_range))
    return render(
        request,
        "archives/storeroom_list.html",
        {"storerooms": storerooms, "by_shelf": by_shelf},
    )


@login_required
@view_storage
def box_detail(request, pk: int):
    box = get_object_or_404(
        Box.objects.select_related("shelf__storeroom", "category"), pk=pk
    )
    records = box.records.select_related("category").order_by(
        "number_prefix", "sequence_number"
    )
    return render(
        request,
        "archives/box_detail.html",
        {
            "box": box,
            "page": paginate(request, records),
            "range": selectors.box_number_range(box=box),
        },
    )


@login_required
@view_storage
def box_label(request, pk: int):
    boxes = selectors.boxes_with_ranges(boxes=Box.objects.filter(pk=pk))
    if not boxes:
        raise Http404
    box, number_range = boxes[0]
    label = pdf.BoxLabel.of(box, number_range)
    return pdf_response(pdf.box_labels_pdf([label]), f"box-{box.code}.pdf")


@login_required
@view_storage
def shelf_labels(request, pk: int):
    shelf = get_object_or_404(
        Shelf.objects.select_related("storeroom", "category"), pk=pk
    )
    boxes = selectors.boxes_with_ranges(boxes=shelf.boxes.order_by("code"))
    content = pdf.shelf_labels_pdf(
        pdf.ShelfLabel.of(shelf, [r for _, r in boxes]),
        [pdf.BoxLabel.of(b, r) for b, r in boxes],
    )
    return pdf_response(content, f"shelf-{shelf}.pdf")


@login_required
@permission_required(permissions.VIEW_STOREROOM_ENTRIES, raise_exception=True)
def storeroom_entries(request):
    form = None
    if request.user.has_perm(permissions.ENTER_STOREROOM) and request.user.has_perm(
        permissions.ADD_STOREROOM_ENTRIES
    ):
        form = StoreroomEntryForm(
            request.POST or None, initial={"person": request.user.pk}
        )
        if request.method == "POST" and form.is_valid():
            try:
                storeroom_entry_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("archives:storeroom-entries")
    entries = StoreroomEntry.objects.select_related(
        "storeroom", "person", "recorded_by"
    )
    return render(
        request,
        "archives/storeroom_entries.html",
        {"form": form, "page": paginate(request, entries)},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@permission_required(permissions.VIEW_ALL_RECORDS, raise_exception=True)
def number_gaps(request):
    return render(
        request, "archives/number_gaps.html", {"gaps": selectors.number_gaps()}
    )
