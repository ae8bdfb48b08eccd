"""Reading a record's files in the browser, under a watermark (issue 18).

Whoever may see a record reads its files here: pages are pictures made on
the server with the reader's name across them, recordings play from the
page. Downloading and printing are rights of their own
(``selectors.file_rights``); a PDF that leaves is stamped with who and when.
A reader who sees the record only through an approved request reads until
the request's window ends, and not a page after.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from archives import reading
from archives import selectors
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.usage import file_used_send
from archives.views.records import _visible_or_404
from audit import services as audit
from core import sendfile


def _file_for_reader(request, pk: int):
    """The file, its record and the reader's rights; 404 for a file this
    person may not see (or whose viewing window has ended), 403 for one
    that holds malware."""
    record_file = get_object_or_404(
        RecordFile.objects.select_related("preservation"), pk=pk, erased_at__isnull=True
    )
    record = _visible_or_404(request, record_file.record_id)
    if record_file.scan == RecordFile.Scan.INFECTED:
        raise PermissionDenied(
            _("This file holds malware (%(signature)s) and is not given out.")
            % {"signature": record_file.scan_signature}
        )
    rights = selectors.file_rights(user=request.user, record=record)
    return record_file, record, rights


def _mark(request) -> list[str]:
    """What the watermark says: who, their department, when, 仅供查阅."""
    user = request.user
    department = user.department.name if user.department_id else ""
    now = timezone.localtime()
    return [
        f"{user.display_name or user.get_username()} {department}".strip(),
        f"{now:%Y-%m-%d %H:%M}",
        _("For reading only"),
    ]


@login_required
@require_GET
def file_read(request, pk: int):
    record_file, record, rights = _file_for_reader(request, pk)
    source = reading.source_of(record_file)
    pages = (
        reading.page_count(source)
        if source is not None and source.kind != "media"
        else 0
    )
    audit.log(
        audit.Action.FILE_READ,
        actor=request.user,
        target=record,
        file=record_file.display_name[:200],
        pages=pages,
    )
    file_used_send(
        user=request.user, record=record, record_file=record_file, kind="read"
    )
    return render(
        request,
        "archives/file_read.html",
        {
            "record": record,
            "file": record_file,
            "source": source,
            "pages": range(1, pages + 1),
            "page_total": pages,
            "rights": rights,
            "mark": " · ".join(_mark(request)),
            "is_pdf": source is not None and source.kind == "pdf",
        },
    )


@login_required
@require_GET
def file_page(request, pk: int, number: int):
    """One page as a JPEG with the reader's watermark; never cached by the
    browser, so a closed window leaves no page behind."""
    record_file, record, _rights = _file_for_reader(request, pk)
    source = reading.source_of(record_file)
    if source is None or source.kind == "media":
        raise Http404
    try:
        clean = reading.clean_page(source, number)
    except reading.PageOutOfRange:
        raise Http404(
            _("This file has no page %(number)s.") % {"number": number}
        ) from None
    audit.log(
        audit.Action.FILE_READ,
        actor=request.user,
        target=record,
        file=record_file.display_name[:200],
        page=number,
    )
    response = HttpResponse(
        reading.watermarked(clean, _mark(request)), content_type="image/jpeg"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def file_stream(request, pk: int):
    """A recording, played in the page: HTTP Range, so a long call starts
    at once and can be sought. The first bytes are audited as a reading."""
    record_file, record, _rights = _file_for_reader(request, pk)
    source = reading.source_of(record_file)
    if source is None or source.kind != "media":
        raise Http404
    store = record_file.file.storage
    size = store.size(source.name)
    try:
        wanted = reading.byte_range(request.headers.get("Range", ""), size)
    except reading.BadRange:
        response = HttpResponse(
            _("The range asked for is not part of this file."), status=416
        )
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None or wanted.start == 0:
        audit.log(
            audit.Action.FILE_READ,
            actor=request.user,
            target=record,
            file=record_file.display_name[:200],
            played=True,
        )
    if wanted is None or sendfile.accel_path(store, source.name):
        # Whole, or any range through nginx, which answers Range itself.
        response = sendfile.file_response(
            store, source.name, content_type=source.media_type
        )
    else:
        length = wanted.end - wanted.start + 1
        response = HttpResponse(
            sendfile.read_range(store, source.name, wanted.start, length),
            content_type=source.media_type,
        )
        response.status_code = 206
        response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
        response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "no-store"
    return response


def _stamp(request, verb: str) -> str:
    user = request.user
    return _("%(verb)s by %(name)s (%(username)s) on %(when)s — %(system)s") % {
        "verb": verb,
        "name": user.display_name or user.get_username(),
        "username": user.get_username(),
        "when": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "system": _("Customer-service archive"),
    }


@login_required
@require_GET
def file_print(request, pk: int):
    """The file as a PDF to print, every page stamped (printed, by whom)."""
    record_file, record, rights = _file_for_reader(request, pk)
    if not rights.print:
        raise PermissionDenied(_("You may read this file here, but not print it."))
    source = reading.source_of(record_file)
    if source is None or source.kind != "pdf":
        raise Http404
    request.audit_target = record  # logged as printed (audit.middleware)
    file_used_send(
        user=request.user, record=record, record_file=record_file, kind="print"
    )
    with record_file.file.storage.open(source.name, "rb") as handle:
        data = reading.stamped_pdf(handle.read(), _stamp(request, _("Printed")))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{record.number or record.pk}-print.pdf"'
    )
    return response


def _given_out(request, record, record_file, field, name: str, content_type: str):
    """A file leaving the archive: a PDF stamped on every page with who and
    when, anything else as it is; logged as a download or a print."""
    request.audit_target = record  # audit.middleware
    file_used_send(
        user=request.user, record=record, record_file=record_file, kind="download"
    )
    if not name.lower().endswith(".pdf"):
        return sendfile.file_response(
            field.storage,
            field.name,
            as_attachment=True,
            filename=name,
            content_type=content_type,
        )
    with field.open("rb") as handle:
        data = reading.stamped_pdf(handle.read(), _stamp(request, _("Downloaded")))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _may_download(rights) -> None:
    if not rights.download:
        raise PermissionDenied(
            _("You may read this file in the browser, but not download it.")
        )


@login_required
@require_GET
def file_download(request, pk: int):
    """The original file, to those with the right to take it out."""
    record_file, record, rights = _file_for_reader(request, pk)
    _may_download(rights)
    return _given_out(
        request,
        record,
        record_file,
        record_file.file,
        record_file.display_name,
        record_file.content_type or "application/octet-stream",
    )


@login_required
@require_GET
def copy_download(request, pk: int):
    """A file's long-term copy (PDF/A or text), on the same terms."""
    copy = get_object_or_404(PreservationCopy, pk=pk, state=PreservationCopy.State.MADE)
    source, record, rights = _file_for_reader(request, copy.source_id)
    _may_download(rights)
    return _given_out(request, record, source, copy.file, str(copy), "text/plain")
