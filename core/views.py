"""Small helpers the archive's views share."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from core.errors import ArchiveError
from core.paging import keyset_page


def add_service_errors(form, error: ValidationError | ArchiveError) -> None:
    """Show a service's refusal on the form, next to the field it names."""
    if isinstance(error, ArchiveError):
        # A refusal, not a mistake to correct: the page says only why.
        form.final_refusal = True
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def run_service(request, form, action, success: str) -> bool:
    """Call ``action(cleaned_data)`` for a valid form and report it.

    True when the service did it (the success message is queued); False when
    the form or the service refused, the refusal then stands on the form.
    """
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except (ValidationError, ArchiveError) as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def ids_from(data, name: str) -> list[int]:
    """The ids a form sends under ``name``; anything that is no id is left out."""
    return [int(v) for v in data.getlist(name) if str(v).isdigit()]


def get_by_id_or_404(model, value):
    """The row whose id a form or query names; 404 for text that is no id."""
    value = str(value or "")
    if not value.isdigit():
        raise Http404
    return get_object_or_404(model, pk=int(value))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


PAGE_SIZES = (20, 50, 100)


def paginate(
    request,
    queryset,
    *,
    count: bool = False,
    prefetch: tuple = (),
    text=None,
    rows=None,
):
    """One page of a list, by key (``core.paging``); ``per_page`` from
    the query, within ``PAGE_SIZES``; ``rows``: how the page's rows are read
    by their ids, if not as ``queryset``'s records."""
    try:
        per_page = int(
            request.GET.get("per_page", settings.ARCHIVE_CATALOGUE_PAGE_SIZE)
        )
    except ValueError:
        per_page = settings.ARCHIVE_CATALOGUE_PAGE_SIZE
    per_page = min(max(per_page, 1), max(PAGE_SIZES))
    return keyset_page(
        queryset,
        per_page=per_page,
        after_cursor=request.GET.get("after", ""),
        before_cursor=request.GET.get("before", ""),
        last=request.GET.get("last") == "1",
        count=count,
        prefetch=prefetch,
        text=text,
        rows=rows,
    )


def query_without_page(request) -> str:
    params = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        params.pop(name, None)
    return params.urlencode()
