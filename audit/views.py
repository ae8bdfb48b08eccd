"""The audit log, read by the auditor and the head of archives (SPEC §13)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit import selectors
from audit.forms import AuditFilterForm
from core.permissions import holds_perm
from core.views import paginate
from core.views import query_without_page


@login_required
def audit_log(request):
    if not holds_perm(request.user, selectors.READ_PERMISSION):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    entries = (
        selectors.entries_filtered(request.user, **form.to_filters()) if valid else None
    )
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": paginate(request, entries) if valid else None,
            "query_string": query_without_page(request),
        },
        status=200 if valid else 400,
    )
