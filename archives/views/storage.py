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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import pdf
from archives import permissions
from archives import selectors
from archives.forms import BoxEditForm
from archives.forms import BoxEmptyForm
from archives.forms import BoxForm
from archives.forms import ShelfForm
from archives.forms import StoreroomEntryForm
from archives.forms import StoreroomForm
from archives.models import Box
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import StoreroomEntry
from archives.services import storage
from archives.services.storage import storeroom_entry_record
from core.views import add_service_errors
from core.views import paginate
from core.views import pdf_response
from core.views import run_service

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


def _box_page(request, box: Box, *, empty_form=None, status=200):
    records = box.records.select_related("category").order_by(
        "number_prefix", "sequence_number"
    )
    movable = request.user.has_perm(permissions.MANAGE_BOXES)
    return render(
        request,
        "archives/box_detail.html",
        {
            "box": box,
            "page": paginate(request, records),
            "range": selectors.box_number_range(box=box),
            "may_manage": movable,
            "empty_form": (empty_form or BoxEmptyForm()) if movable else None,
            "boxes_with_room": (
                selectors.boxes_with_room(category=box.category)
                .exclude(pk=box.pk)
                .values_list("code", flat=True)[:100]
                if movable
                else []
            ),
        },
        status=status,
    )


@login_required
@view_storage
def box_detail(request, pk: int):
    box = get_object_or_404(
        Box.objects.select_related("shelf__storeroom", "category"), pk=pk
    )
    return _box_page(request, box)


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


def _storage_page(request, form, save, *, success: str, title: str, back: str, done):
    """A storage form page: ``save(data)`` (a service) on a valid POST, then
    on to ``done(saved)``; else the form again, with what refused it."""
    saved: list = []
    if request.method == "POST" and run_service(
        request, form, lambda data: saved.append(save(data)), success
    ):
        return redirect(done(saved[0]))
    return render(
        request,
        "archives/storage_form.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.errors else 200,
    )


def _to_storage(_saved) -> str:
    return reverse("archives:storeroom-list")


def _to_box(box: Box) -> str:
    return reverse("archives:box-detail", args=[box.pk])


@login_required
@permission_required(permissions.ADD_STOREROOMS, raise_exception=True)
def storeroom_create(request):
    return _storage_page(
        request,
        StoreroomForm(request.POST or None),
        lambda data: storage.storeroom_save(actor=request.user, storeroom=None, **data),
        success=_("Storeroom added."),
        title=_("New storeroom"),
        back=_to_storage(None),
        done=_to_storage,
    )


@login_required
@permission_required(permissions.CHANGE_STOREROOMS, raise_exception=True)
def storeroom_edit(request, pk: int):
    room = get_object_or_404(Storeroom, pk=pk)
    return _storage_page(
        request,
        StoreroomForm(request.POST or None, storeroom=room),
        lambda data: storage.storeroom_save(
            actor=request.user,
            storeroom=room,
            code=room.code,
            name=data["name"],
            location=data["location"],
        ),
        success=_("Storeroom saved."),
        title=_("Storeroom %(room)s") % {"room": room},
        back=_to_storage(None),
        done=_to_storage,
    )


@login_required
@permission_required(permissions.ADD_SHELVES, raise_exception=True)
def shelf_create(request, pk: int):
    room = get_object_or_404(Storeroom, pk=pk)
    return _storage_page(
        request,
        ShelfForm(request.POST or None),
        lambda data: storage.shelf_save(
            actor=request.user, shelf=None, storeroom=room, **data
        ),
        success=_("Shelf added."),
        title=_("New shelf in %(room)s") % {"room": room},
        back=_to_storage(None),
        done=_to_storage,
    )


@login_required
@permission_required(permissions.CHANGE_SHELVES, raise_exception=True)
def shelf_edit(request, pk: int):
    shelf = get_object_or_404(Shelf.objects.select_related("storeroom"), pk=pk)
    return _storage_page(
        request,
        ShelfForm(request.POST or None, shelf=shelf),
        lambda data: storage.shelf_save(
            actor=request.user, shelf=shelf, category=data["category"]
        ),
        success=_("Shelf saved."),
        title=_("Shelf %(shelf)s") % {"shelf": shelf},
        back=_to_storage(None),
        done=_to_storage,
    )


@login_required
@permission_required(permissions.ADD_BOXES, raise_exception=True)
def box_create(request, pk: int):
    shelf = get_object_or_404(
        Shelf.objects.select_related("storeroom", "category"), pk=pk
    )
    return _storage_page(
        request,
        BoxForm(request.POST or None, shelf=shelf),
        lambda data: storage.box_create(actor=request.user, shelf=shelf, **data),
        success=_("Box added."),
        title=_("New box on shelf %(shelf)s") % {"shelf": shelf},
        back=_to_storage(None),
        done=_to_box,
    )


@login_required
@permission_required(permissions.MANAGE_BOXES, raise_exception=True)
def box_edit(request, pk: int):
    box = get_object_or_404(
        Box.objects.select_related("shelf__storeroom", "category"), pk=pk
    )
    return _storage_page(
        request,
        BoxEditForm(request.POST or None, box=box),
        lambda data: storage.box_update(actor=request.user, box=box, **data),
        success=_("Box saved."),
        title=_("Box %(box)s") % {"box": box.code},
        back=_to_box(box),
        done=_to_box,
    )


@login_required
@permission_required(permissions.MANAGE_BOXES, raise_exception=True)
@require_POST
def box_empty(request, pk: int):
    box = get_object_or_404(Box.objects.select_related("category"), pk=pk)
    form = BoxEmptyForm(request.POST)
    moved: list = []
    if run_service(
        request,
        form,
        lambda data: moved.extend(
            storage.box_empty_into(
                actor=request.user, box=box, into=data["into"], note=data["note"]
            )
        ),
        _("The records were moved."),
    ):
        return redirect("archives:box-detail", form.cleaned_data["into"].pk)
    return _box_page(request, box, empty_form=form, status=400)
