"""Periodic checks: start by hand, watch progress, enter rounds, read reports."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives.models import Box
from archives.models import Storeroom
from core.errors import ArchiveError
from core.queue import enqueue
from core.views import get_by_id_or_404
from core.views import pdf_response
from core.views import run_service
from retention import pdf
from retention import permissions
from retention import selectors
from retention.forms import PatrolForm
from retention.forms import ScanForm
from retention.models import CheckRun
from retention.models import FacilityItem
from retention.models import StocktakeScan
from retention.services import checks
from retention.services import storerooms

view_checks = permission_required(permissions.VIEW_CHECKS, raise_exception=True)
run_checks = permission_required(permissions.RUN_CHECKS, raise_exception=True)


@login_required
@view_checks
def check_list(request):
    latest = selectors.check_runs_latest()
    return render(
        request,
        "retention/check_list.html",
        {
            "sections": [
                (kind, label, latest[kind]) for kind, label in CheckRun.Kind.choices
            ],
            "can_run": request.user.has_perm(permissions.RUN_CHECKS),
        },
    )


@login_required
@run_checks
@require_POST
def check_start(request, kind: str):
    if kind not in CheckRun.Kind.values:
        raise Http404
    # check_request has committed: the worker finds the queued report.
    run = checks.check_request(kind=kind, actor=request.user)
    if run.status == CheckRun.Status.RUNNING:
        messages.info(
            request,
            _(
                "%(check)s is already running (last sign of life %(time)s); it is "
                "not started twice. If its worker stops, it can be run again "
                "%(minutes)d minutes after its last sign of life."
            )
            % {
                "check": run,
                "time": timezone.localtime(run.last_sign_of_life).strftime("%H:%M:%S"),
                "minutes": max(1, settings.ARCHIVE_JOB_STALE_SECONDS // 60),
            },
        )
        return redirect(run)
    if run.status == CheckRun.Status.QUEUED and not enqueue(
        "retention.tasks.run_check", run.pk
    ):
        messages.warning(
            request,
            _(
                "%(check)s is queued. Background work is delayed: it starts as "
                "soon as the task queue is back."
            )
            % {"check": run},
        )
        return redirect(run)
    if run.is_waiting_long:
        messages.warning(
            request,
            _(
                "%(check)s has waited for a background worker since %(time)s; it "
                "was sent again. If it does not start within a minute, no worker "
                "is running: ask the system administrator to start it."
            )
            % {
                "check": run,
                "time": timezone.localtime(run.queued_at).strftime("%H:%M:%S"),
            },
        )
        return redirect(run)
    messages.success(request, _("%(check)s started.") % {"check": run})
    return redirect(run)


def _patrol_values(reading, typed) -> dict:
    if typed is not None:
        return {k: typed.get(k, "") for k in ("temperature", "humidity", "note")}
    if reading is None:
        return {"temperature": "", "humidity": "", "note": ""}
    return {
        "temperature": reading.temperature,
        "humidity": reading.humidity,
        "note": reading.note,
    }


def _report_context(request, run: CheckRun, typed_room=None, typed=None) -> dict:
    """The report page; ``typed`` is a refused entry for ``typed_room``, shown again."""
    context = {
        "run": run,
        "findings": selectors.check_run_findings(run=run),
        "can_run": request.user.has_perm(permissions.RUN_CHECKS),
        "storerooms": Storeroom.objects.order_by("code"),
    }
    if run.kind == CheckRun.Kind.PATROL:
        readings = {r.storeroom_id: r for r in run.readings.select_related("storeroom")}
        context["patrol_rows"] = [
            (
                room,
                readings.get(room.pk),
                storerooms.reading_flags(readings[room.pk])
                if room.pk in readings
                else [],
                _patrol_values(
                    readings.get(room.pk), typed if room.pk == typed_room else None
                ),
            )
            for room in context["storerooms"]
        ]
    if run.kind == CheckRun.Kind.STOCKTAKE and run.status == CheckRun.Status.DONE:
        groups, never = selectors.stocktake_report(
            run=run, findings=list(context["findings"])
        )
        context["stocktake_groups"] = groups
        context["never_scanned"] = never
    if run.kind == CheckRun.Kind.INSPECTION:
        ticked = {(c.storeroom_id, c.item_id): c for c in run.facility_checks.all()}
        if typed is not None:
            for key in [k for k in ticked if k[0] == typed_room]:
                del ticked[key]
            ticked.update(
                {
                    (typed_room, pk): SimpleNamespace(ok=ok, note=note)
                    for pk, (ok, note) in typed.items()
                }
            )
        items = list(FacilityItem.objects.filter(active=True))
        context["facility_rows"] = [
            (room, [(item, ticked.get((room.pk, item.pk))) for item in items])
            for room in context["storerooms"]
        ]
    return context


@login_required
@view_checks
def check_detail(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk)
    return render(request, "retention/check_detail.html", _report_context(request, run))


@login_required
@view_checks
def check_progress(request, pk: int):
    """The progress bar, polled by htmx while the check runs."""
    run = get_object_or_404(CheckRun, pk=pk)
    response = render(request, "retention/_check_progress.html", {"run": run})
    if run.status not in (CheckRun.Status.QUEUED, CheckRun.Status.RUNNING):
        # Show the finished report: htmx follows this header with a full load.
        response["HX-Refresh"] = "true"
    return response


@login_required
@view_checks
def check_pdf(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk)
    context = _report_context(request, run)
    return pdf_response(
        pdf.check_report(run, context["findings"], context),
        f"{run.kind}-{run.period}.pdf",
    )


@login_required
@run_checks
@require_POST
def check_finish(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk)
    try:
        checks.check_finish(actor=request.user, run=run)
    except ArchiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is ready."))
    return redirect(run)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@run_checks
@require_POST
def patrol_record(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk, kind=CheckRun.Kind.PATROL)
    form = PatrolForm(request.POST)

    def action(data):
        storerooms.patrol_record(
            actor=request.user,
            run=run,
            storeroom=data["storeroom"],
            temperature=data["temperature"],
            humidity=data["humidity"],
            note=data["note"],
        )

    if run_service(request, form, action, _("Reading recorded.")):
        return redirect(run)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return render(
        request,
        "retention/check_detail.html",
        _report_context(
            request,
            run,
            typed_room=_int(request.POST.get("storeroom")),
            typed=request.POST,
        ),
        status=400,
    )


@login_required
@run_checks
@require_POST
def facilities_record(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk, kind=CheckRun.Kind.INSPECTION)
    storeroom = get_by_id_or_404(Storeroom, request.POST.get("storeroom"))
    results = {
        item.pk: (
            request.POST.get(f"item-{item.pk}") == "ok",
            request.POST.get(f"note-{item.pk}", ""),
        )
        for item in FacilityItem.objects.filter(active=True)
        if request.POST.get(f"item-{item.pk}") in ("ok", "problem")
    }
    try:
        storerooms.facilities_record(
            actor=request.user, run=run, storeroom=storeroom, results=results
        )
    except (ArchiveError, ValidationError) as error:
        messages.error(
            request,
            error.message
            if isinstance(error, ArchiveError)
            else " ".join(error.messages),
        )
        return render(
            request,
            "retention/check_detail.html",
            _report_context(request, run, typed_room=storeroom.pk, typed=results),
            status=400,
        )
    messages.success(
        request, _("Checklist of %(room)s saved.") % {"room": storeroom.local_name}
    )
    return redirect(f"{run.get_absolute_url()}#room-{storeroom.pk}")


@login_required
@run_checks
def stocktake(request, pk: int):
    """The scanning page: choose a box, then scan (or type) what is in it."""
    run = get_object_or_404(CheckRun, pk=pk, kind=CheckRun.Kind.STOCKTAKE)
    box = None
    if request.GET.get("box"):
        box = Box.objects.filter(code__iexact=request.GET["box"].strip()).first()
        if box is None:
            messages.error(
                request,
                _("No box has the code %(code)s.") % {"code": request.GET["box"]},
            )
    return render(
        request, "retention/stocktake.html", _stocktake_context(run, box, ScanForm())
    )


def _stocktake_context(run, box, form) -> dict:
    context = {"run": run, "box": box, "form": form}
    if box is not None:
        expected = list(
            box.records.filter(status__in=storerooms.ON_SHELF).order_by(
                "number_prefix", "sequence_number"
            )
        )
        scans = list(
            StocktakeScan.objects.filter(run=run, box=box).select_related("record")
        )
        found = {s.record_id for s in scans}
        context.update(
            expected=[(r, r.pk in found) for r in expected],
            strays=[s for s in scans if s.record is None or s.record.box_id != box.pk],
            scans=scans,
            found_count=sum(1 for r in expected if r.pk in found),
        )
    return context


@login_required
@run_checks
@require_POST
def stocktake_scan(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk, kind=CheckRun.Kind.STOCKTAKE)
    form = ScanForm(request.POST)
    box = get_by_id_or_404(Box, request.POST.get("box"))
    scanned = {}

    def action(data):
        scanned["scan"] = storerooms.stocktake_scan(
            actor=request.user, run=run, box=data["box"], code=data["code"]
        )

    ok = run_service(request, form, action, _("Scanned."))
    if ok:
        form = ScanForm()
    context = _stocktake_context(run, box, form)
    context["last"] = scanned.get("scan")
    template = (
        "retention/_stocktake_box.html" if request.htmx else "retention/stocktake.html"
    )
    if request.htmx:
        # The message shows inline; do not leave it for the next full page.
        list(messages.get_messages(request))
    return render(request, template, context, status=200 if ok else 400)


@login_required
@run_checks
@require_POST
def stocktake_unscan(request, pk: int, scan_pk: int):
    run = get_object_or_404(CheckRun, pk=pk, kind=CheckRun.Kind.STOCKTAKE)
    scan = get_object_or_404(StocktakeScan, pk=scan_pk, run=run)
    box = scan.box
    storerooms.stocktake_unscan(actor=request.user, run=run, scan=scan)
    return redirect(f"{reverse('retention:stocktake', args=[run.pk])}?box={box.code}")


@login_required
@run_checks  # the sheets list every record on the shelves: the archive's only
def stocktake_sheets(request, pk: int):
    run = get_object_or_404(CheckRun, pk=pk, kind=CheckRun.Kind.STOCKTAKE)
    room = get_by_id_or_404(Storeroom, request.GET.get("storeroom"))
    return pdf_response(
        pdf.stocktake_sheets(run, room), f"stocktake-{run.period}-{room.code}.pdf"
    )
