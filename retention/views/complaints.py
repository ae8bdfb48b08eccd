"""Complaints about the archive's own work: report, follow up, answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ArchiveError
from core.views import paginate
from core.views import run_service
from retention import permissions
from retention import selectors
from retention.forms import ComplaintCloseForm
from retention.forms import ComplaintForm
from retention.models import Complaint
from retention.services import complaints as service


@login_required
def complaint_list(request):
    user = request.user
    if not (
        user.has_perm(permissions.REPORT_COMPLAINT)
        or user.has_perm(permissions.VIEW_COMPLAINTS)
    ):
        raise Http404
    return render(
        request,
        "retention/complaint_list.html",
        {
            "page": paginate(request, selectors.complaints_for(user)),
            "can_report": user.has_perm(permissions.REPORT_COMPLAINT),
            "sees_all": user.has_perm(permissions.VIEW_COMPLAINTS),
        },
    )


@login_required
@permission_required(permissions.REPORT_COMPLAINT, raise_exception=True)
def complaint_create(request):
    form = ComplaintForm(
        request.POST or None, may_take_owners=service.serves_owners(request.user)
    )
    made = {}
    if request.method == "POST":

        def action(data):
            made["complaint"] = service.complaint_report(
                actor=request.user,
                source=data["source"],
                topic=data["topic"],
                summary=data["summary"],
                description=data["description"],
                record_number=data["record_number"],
                owner_name=data.get("owner_name", ""),
                owner_contact=data.get("owner_contact", ""),
            )

        if run_service(
            request,
            form,
            action,
            _("Complaint reported; the head of archives follows it up."),
        ):
            return redirect(made["complaint"])
    return render(
        request,
        "retention/complaint_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _complaint(request, pk: int) -> Complaint:
    try:
        return selectors.complaints_for(request.user).get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


def _detail(request, complaint, status=200, close_form=None, contact=""):
    return render(
        request,
        "retention/complaint_detail.html",
        {
            "complaint": complaint,
            "close_form": close_form or ComplaintCloseForm(),
            "can_handle": request.user.has_perm(permissions.HANDLE_COMPLAINT),
            "contact": contact,
        },
        status=status,
    )


@login_required
def complaint_detail(request, pk: int):
    return _detail(request, _complaint(request, pk))


@login_required
@require_POST
@permission_required(permissions.HANDLE_COMPLAINT, raise_exception=True)
def complaint_take(request, pk: int):
    complaint = _complaint(request, pk)
    try:
        service.complaint_take(actor=request.user, complaint=complaint)
    except ArchiveError as error:  # taken or closed meanwhile
        messages.error(request, str(error))
    return redirect(complaint)


@login_required
@require_POST
@permission_required(permissions.HANDLE_COMPLAINT, raise_exception=True)
def complaint_close(request, pk: int):
    complaint = _complaint(request, pk)
    form = ComplaintCloseForm(request.POST)
    if run_service(
        request,
        form,
        lambda d: service.complaint_close(
            actor=request.user,
            complaint=complaint,
            findings=d["findings"],
            answer=d["answer"],
        ),
        _("Complaint closed; whoever complained is told the answer."),
    ):
        return redirect(complaint)
    return _detail(request, complaint, status=400, close_form=form)


@login_required
@require_POST
@permission_required(permissions.HANDLE_COMPLAINT, raise_exception=True)
def complaint_contact(request, pk: int):
    """The owner's full contact, to give the answer (logged)."""
    complaint = _complaint(request, pk)
    contact = service.owner_contact_reveal(actor=request.user, complaint=complaint)
    return _detail(request, complaint, contact=contact)
