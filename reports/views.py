"""Dashboard, monthly reports, exports and imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import Http404
from django.http import HttpResponse
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import sendfile
from core.errors import ArchiveError
from core.throttles import export_allowed
from core.views import add_service_errors
from core.views import pdf_response
from reports import exports
from reports import pdf
from reports import permissions
from reports import xlsx
from reports.annual import AnnualReport
from reports.annual import annual_tables
from reports.annual import years_offered
from reports.figures import statistics_links
from reports.figures import statistics_tables
from reports.forms import ImportForm
from reports.forms import MonthForm
from reports.forms import StatisticsForm
from reports.models import ExportJob
from reports.models import ImportJob
from reports.models import MonthlyReport
from reports.selectors import month_of
from reports.selectors import statistics_for
from reports.services import exports as export_service
from reports.services import imports as import_service
from reports.services.monthly import monthly_report_generate

statistics_required = permission_required(
    permissions.VIEW_STATISTICS, raise_exception=True
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@statistics_required
def dashboard(request):
    form = StatisticsForm(request.GET or None)
    figures = statistics_for(form.period())
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "tables": statistics_links(
                statistics_tables(figures), figures, request.user
            ),
            "query_string": request.GET.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _month_or_404(month: str) -> MonthlyReport:
    first = month_of(month)
    if first is None:
        raise Http404
    return get_object_or_404(MonthlyReport, month=first)


@login_required
@statistics_required
def monthly_list(request):
    form = MonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = monthly_report_generate(
            month=form.cleaned_data["month"], actor=request.user
        )
        messages.success(
            request,
            _("The report of %(month)s is ready.") % {"month": str(report)},
        )
        return redirect("reports:monthly-detail", month=str(report))
    return render(
        request,
        "reports/monthly_list.html",
        {"form": form, "reports": MonthlyReport.objects.order_by("-month")[:60]},
        status=400 if form.is_bound else 200,
    )


@login_required
@statistics_required
def monthly_detail(request, month: str):
    report = _month_or_404(month)
    return render(
        request,
        "reports/monthly_detail.html",
        {
            "report": report,
            "tables": statistics_tables(report.figures),
        },
    )


@login_required
@statistics_required
def monthly_pdf(request, month: str):
    report = _month_or_404(month)
    return pdf_response(pdf.monthly_report(report), f"usage-report-{report}.pdf")


@login_required
@statistics_required
def monthly_xlsx(request, month: str):
    report = _month_or_404(month)
    return _attachment(
        HttpResponse(xlsx.monthly_report(report), content_type=XLSX),
        f"usage-report-{report}.xlsx",
    )


def _year_or_404(year: int) -> AnnualReport:
    if year not in years_offered():
        raise Http404
    return AnnualReport.of(year)


@login_required
@statistics_required
def annual(request):
    """The annual statistics report (档案统计年报) of a year, beside the year
    before; last year's unless another is chosen."""
    years = years_offered()
    asked = request.GET.get("year", "")
    default = years[1] if len(years) > 1 else years[0]
    year = int(asked) if asked.isdigit() and int(asked) in years else default
    report = AnnualReport.of(year)
    return render(
        request,
        "reports/annual.html",
        {
            "report": report,
            "years": years,
            "tables": annual_tables(report),
            "unknown_year": asked if asked and str(year) != asked else "",
        },
        status=400 if asked and str(year) != asked else 200,
    )


@login_required
@statistics_required
def annual_pdf(request, year: int):
    report = _year_or_404(year)
    return pdf_response(pdf.annual_report(report), f"annual-report-{year}.pdf")


@login_required
@statistics_required
def annual_xlsx(request, year: int):
    report = _year_or_404(year)
    return _attachment(
        HttpResponse(xlsx.annual_report(report), content_type=XLSX),
        f"annual-report-{year}.xlsx",
    )


def _export_kind(request, name: str) -> exports.ExportKind:
    kind = exports.KINDS.get(name)
    if kind is None:
        raise Http404
    if not kind.allowed(request.user):
        raise PermissionDenied
    return kind


@login_required
def export(request, name: str, fmt: str):
    """Any catalogue search, register or the statistics, as CSV or Excel."""
    kind = _export_kind(request, name)
    if not export_allowed(request):
        return render(
            request,
            "429.html",
            {
                "message": _(
                    "You have started many exports in a short time. Wait a while "
                    "before the next one; the archive limits how much can leave it "
                    "at once."
                )
            },
            status=429,
        )
    params = request.GET
    if not kind.valid(params):
        messages.error(request, _("The filters are not valid; correct them first."))
        return redirect(request.META.get("HTTP_REFERER") or "archives:catalogue")
    stem = exports.file_stem(kind)
    if fmt == "csv":
        response = StreamingHttpResponse(
            export_service.csv_lines(kind=kind, user=request.user, params=params),
            content_type="text/csv; charset=utf-8",
        )
        return _attachment(response, f"{stem}.csv")
    if fmt != "xlsx":
        raise Http404
    content = export_service.xlsx_bytes(kind=kind, user=request.user, params=params)
    if content is None:
        job = export_service.export_start(actor=request.user, kind=kind, params=params)
        return redirect("reports:export-detail", pk=job.pk)
    return _attachment(HttpResponse(content, content_type=XLSX), f"{stem}.xlsx")


def _own_job(model, request, pk: int):
    return get_object_or_404(model, pk=pk, created_by=request.user)


@login_required
def export_detail(request, pk: int):
    job = _own_job(ExportJob, request, pk)
    template = (
        "reports/_export_progress.html"
        if request.htmx
        else "reports/export_detail.html"
    )
    return render(
        request,
        template,
        {"job": job, "title": exports.KINDS[job.kind].title},
    )


def _run_again(request, job, service, done: str, page: str):
    try:
        service(actor=request.user, job=job)
    except ArchiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(page, pk=job.pk)


@login_required
@require_POST
def export_again(request, pk: int):
    """Run again an export whose worker died."""
    return _run_again(
        request,
        _own_job(ExportJob, request, pk),
        export_service.export_run_again,
        _("The export runs again from the start."),
        "reports:export-detail",
    )


@login_required
@require_POST
def import_again(request, pk: int):
    """Run again an import (or its dry run) whose worker died."""
    return _run_again(
        request,
        _own_job(ImportJob, request, pk),
        import_service.import_run_again,
        _("The import runs again from the start."),
        "reports:import-detail",
    )


@login_required
def export_download(request, pk: int):
    job = _own_job(ExportJob, request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return sendfile.file_response(
        storages["exports"],
        job.file_name,
        as_attachment=True,
        filename=job.file_name.split("-", 1)[1],
        content_type=XLSX,
    )


def _may_import(user) -> bool:
    return user.has_perm(permissions.IMPORT_BULK) and any(
        user.has_perm(p) for p in import_service.PERMS.values()
    )


@login_required
def import_list(request):
    if not _may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_service.import_upload(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                submit=form.cleaned_data["submit"],
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            return redirect("reports:import-detail", pk=job.pk)
    return render(
        request,
        "reports/import_list.html",
        {
            "form": form,
            "jobs": ImportJob.objects.filter(created_by=request.user)[:20],
            "columns": [
                (kind, label, import_service.COLUMNS[kind])
                for kind, label in ImportJob.Kind.choices
            ],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def import_detail(request, pk: int):
    job = _own_job(ImportJob, request, pk)
    if job.stage == ImportJob.Stage.IMPORT and job.is_running:
        job.rows_done = max(
            job.rows_done, cache.get(import_service.progress_key(job.pk)) or 0
        )
    template = (
        "reports/_import_progress.html"
        if request.htmx
        else "reports/import_detail.html"
    )
    return render(request, template, {"job": job})


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = _own_job(ImportJob, request, pk)
    try:
        import_service.import_confirm(actor=request.user, job=job)
    except ArchiveError as error:
        messages.error(request, error.message)
    return redirect("reports:import-detail", pk=job.pk)


@login_required
def import_template(request, kind: str):
    """An empty file with the columns, headed in the reader's language."""
    if kind not in import_service.COLUMNS:
        raise Http404
    headers = import_service.template_headers(kind)
    response = HttpResponse(
        "\ufeff" + ",".join(headers) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, f"{kind}-template.csv")
