"""DA/T 22 arrangement outputs (issue 20, item 3): filing stamps, box spines,
the box's note sheet and the filing directory of a year and category."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import arrangement
from archives import permissions
from archives import selectors
from archives.forms import BoxNoteForm
from archives.forms import DirectoryForm
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Shelf
from archives.periods import period_label
from archives.services import storage
from audit import services as audit
from core.views import pdf_response
from core.views import run_service

view_storage = permission_required(permissions.VIEW_BOXES, raise_exception=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _box(pk: int) -> Box:
    return get_object_or_404(
        Box.objects.select_related("category", "shelf__storeroom"), pk=pk
    )


@login_required
@view_storage
def record_stamp(request, pk: int):
    """One accepted record's filing stamp (归档章)."""
    record = get_object_or_404(
        ArchiveRecord.objects.select_related("category", "source_department"),
        pk=pk,
        number__isnull=False,
    )
    content = arrangement.stamps_pdf([arrangement.Stamp.of(record)])
    return pdf_response(content, f"stamp-{record.number}.pdf")


@login_required
@view_storage
def box_stamps(request, pk: int):
    """The filing stamps of every record of a box, in number order."""
    box = _box(pk)
    records = box.records.select_related("category", "source_department").order_by(
        "number_prefix", "sequence_number"
    )
    stamps = [arrangement.Stamp.of(r) for r in records if r.number]
    if not stamps:
        messages.error(request, _("The box is empty: there is no stamp to print."))
        return redirect("archives:box-detail", pk=box.pk)
    return pdf_response(arrangement.stamps_pdf(stamps), f"stamps-{box.code}.pdf")


@login_required
@view_storage
def box_spine(request, pk: int):
    box = _box(pk)
    number_range = selectors.box_number_range(box=box)
    period = selectors.box_periods(boxes=[box])[box.pk]
    spine = arrangement.Spine.of(box, number_range, period_label(period))
    return pdf_response(arrangement.spines_pdf([spine]), f"spine-{box.code}.pdf")


@login_required
@view_storage
def shelf_spines(request, pk: int):
    shelf = get_object_or_404(Shelf, pk=pk)
    boxes = selectors.boxes_with_ranges(boxes=shelf.boxes.order_by("code"))
    periods = selectors.box_periods(boxes=[box for box, _range in boxes])
    spines = [
        arrangement.Spine.of(box, number_range, period_label(periods[box.pk]))
        for box, number_range in boxes
    ]
    if not spines:
        messages.error(request, _("The shelf holds no box."))
        return redirect("archives:storeroom-list")
    return pdf_response(arrangement.spines_pdf(spines), f"spines-{shelf.code}.pdf")


@login_required
@permission_required(permissions.MANAGE_BOXES, raise_exception=True)
def box_note(request, pk: int):
    """Fill in the box's note sheet (备考表)."""
    box = _box(pk)
    form = BoxNoteForm(request.POST or None, box=box)
    if request.method == "POST" and run_service(
        request,
        form,
        lambda data: storage.box_note_save(actor=request.user, box=box, **data),
        _("The note sheet of box %(box)s is saved.") % {"box": box.code},
    ):
        return redirect("archives:box-detail", pk=box.pk)
    return render(
        request,
        "archives/box_note.html",
        {"box": box, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@view_storage
def box_note_pdf(request, pk: int):
    box = _box(pk)
    number_range = selectors.box_number_range(box=box)
    content = arrangement.box_note_pdf(
        box,
        count=number_range.count,
        pages=selectors.box_pages(box=box),
        first=number_range.first or "",
        last=number_range.last or "",
    )
    return pdf_response(content, f"note-{box.code}.pdf")


def _directory_query(request):
    """The directory asked for, or the form with what is wrong."""
    data = request.GET or {"year": timezone.localdate().year - 1}
    bound = DirectoryForm(data)
    periods: list[str] = []
    if bound.is_valid():
        periods = selectors.directory_periods(
            category=bound.cleaned_data["category"], year=bound.cleaned_data["year"]
        )
    form = DirectoryForm(data, periods=periods)
    if not request.GET or not form.is_valid():
        return form, None
    return form, form.cleaned_data


@login_required
@permission_required(permissions.VIEW_ALL_RECORDS, raise_exception=True)
def directory(request):
    """The filing directory (归档文件目录) of a year and category."""
    form, asked = _directory_query(request)
    records, total = [], 0
    if asked:
        found = selectors.directory_records(
            category=asked["category"], year=asked["year"], period=asked["period"]
        )
        total = found.count()
        records = list(found[:200])
        audit.log_list_read(
            actor=request.user,
            name="directory",
            query=request.GET.urlencode(),
            ids=[r.pk for r in records],
            total=total,
        )
    return render(
        request,
        "archives/directory.html",
        {
            "form": form,
            "asked": asked,
            "records": records,
            "rows": [arrangement.directory_row(r) for r in records],
            "headers": arrangement.directory_headers(),
            "total": total,
            "too_many": total > settings.ARCHIVE_DIRECTORY_MAX_ROWS,
            "query": request.GET.urlencode(),
        },
        status=400 if request.GET and not asked else 200,
    )


def _directory_file(request, fmt: str):
    _form, asked = _directory_query(request)
    if not asked:  # the form says what is missing
        return redirect(f"{reverse('archives:directory')}?{request.GET.urlencode()}")
    records = selectors.directory_records(
        category=asked["category"], year=asked["year"], period=asked["period"]
    )
    total = records.count()
    if total > settings.ARCHIVE_DIRECTORY_MAX_ROWS:
        messages.error(
            request,
            _(
                "The directory has %(count)d records, more than %(most)d printed at "
                "once: choose a retention period, or export the catalogue."
            )
            % {"count": total, "most": settings.ARCHIVE_DIRECTORY_MAX_ROWS},
        )
        return redirect(f"{reverse('archives:directory')}?{request.GET.urlencode()}")
    category, year = asked["category"], asked["year"]
    period = period_label(asked["period"]) if asked["period"] else ""
    audit.log(
        audit.Action.EXPORTED,
        actor=request.user,
        name="directory",
        format=fmt,
        category=category.code,
        year=year,
        count=total,
    )
    name = f"directory-{category.code}-{year}"
    rows = records.iterator(chunk_size=2000)
    if fmt == "pdf":
        content = arrangement.directory_pdf(
            year=year, category=category, period=period, records=rows
        )
        return pdf_response(content, f"{name}.pdf")
    response = HttpResponse(
        arrangement.directory_xlsx(
            year=year, category=category, period=period, records=rows
        ),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@permission_required(permissions.VIEW_ALL_RECORDS, raise_exception=True)
def directory_pdf(request):
    return _directory_file(request, "pdf")


@login_required
@permission_required(permissions.VIEW_ALL_RECORDS, raise_exception=True)
def directory_xlsx(request):
    return _directory_file(request, "xlsx")
