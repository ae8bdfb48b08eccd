"""The approver's queue, the archivist's desk, registers and clearance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.views import pdf_response
from core.views import run_service
from lending import pdf
from lending import permissions
from lending import selectors
from lending.forms import ClearanceForm
from lending.forms import HandOverForm
from lending.forms import PeriodForm
from lending.forms import PersonChoiceForm
from lending.forms import ReturnForm
from lending.models import Clearance
from lending.models import Kind
from lending.services.circulation import hand_over
from lending.services.circulation import take_back
from lending.services.clearance import clearance_complete
from lending.views.requests import request_for_user
from lending.views.requests import request_page_again

handle_required = permission_required(permissions.HANDLE, raise_exception=True)
registers_required = permission_required(
    permissions.VIEW_REGISTERS, raise_exception=True
)
clearance_required = permission_required(
    permissions.CLEAR_DEPARTURE, raise_exception=True
)


@login_required
def approvals(request):
    user = request.user
    return render(
        request,
        "lending/approvals.html",
        {
            "steps": selectors.approvals_waiting_for(user=user),
            "extensions": selectors.extensions_waiting_for(user=user),
            "owner_requests": selectors.owner_requests_waiting_for(user=user),
        },
    )


@login_required
@handle_required
def desk(request):
    return render(
        request,
        "lending/desk.html",
        {
            "to_hand_over": selectors.to_hand_over(),
            "out_now": selectors.out_now(),
            "today": timezone.localdate(),
            "now": timezone.now(),
            "owners_waiting": selectors.owners_to_serve(),
            "pull_list": selectors.pull_list(day=timezone.localdate()),
        },
    )


@login_required
@handle_required
def pull_list_pdf(request) -> HttpResponse:
    """Today's pull list, printed for the walk through the stacks."""
    day = timezone.localdate()
    content = pdf.pull_list(items=selectors.pull_list(day=day), day=day)
    return pdf_response(content, f"pull-list-{day.isoformat()}.pdf")


@login_required
@handle_required
@require_POST
def request_hand_over(request, pk: int):
    access_request = request_for_user(request, pk)
    form = HandOverForm(request.POST, access_request=access_request)
    if run_service(
        request,
        form,
        lambda data: hand_over(
            access_request=access_request,
            actor=request.user,
            receiver_confirmed=data["receiver_confirmed"],
            accompanied_by=data.get("accompanied_by"),
        ),
        _("%(ref)s is handed over to %(person)s.")
        % {"ref": access_request.reference, "person": access_request.requester},
    ):
        return redirect("lending:desk")
    return request_page_again(request, access_request, hand_over_form=form)


@login_required
@handle_required
@require_POST
def request_take_back(request, pk: int):
    access_request = request_for_user(request, pk)
    items = [i for i in access_request.items.all() if i.is_out]
    form = ReturnForm(request.POST, items=items)
    if run_service(
        request,
        form,
        lambda data: take_back(
            access_request=access_request,
            actor=request.user,
            conditions=form.conditions(),
        ),
        _("%(ref)s is back.") % {"ref": access_request.reference},
    ):
        return redirect("lending:desk")
    return request_page_again(request, access_request, return_form=form)


@login_required
def request_form_pdf(request, pk: int):
    access_request = request_for_user(request, pk)
    disclosure = selectors.request_disclosure(
        user=request.user, access_request=access_request
    )
    return pdf_response(
        pdf.request_form(access_request, disclosure),
        f"{access_request.reference}.pdf",
    )


def _period(request) -> PeriodForm:
    return PeriodForm.from_query(request.GET)


@login_required
@registers_required
def register(request, kind: str):
    if kind not in Kind.values:
        raise Http404
    form = _period(request)
    items = None
    if form.is_valid():
        items = selectors.register_items(kind=kind, **form.cleaned_data)
    return render(
        request,
        "lending/register.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "items": items,
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
@registers_required
def register_pdf(request, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404
    form = _period(request)
    if not form.is_valid():
        return redirect("lending:register", kind=kind)
    period = form.cleaned_data
    items = selectors.register_items(kind=kind, **period)
    name = (
        f"{kind}-register-{period['date_from']:%Y%m%d}-{period['date_to']:%Y%m%d}.pdf"
    )
    return pdf_response(pdf.register(kind=kind, items=items, **period), name)


@login_required
@clearance_required
def clearance_choose(request):
    form = PersonChoiceForm(request.GET or None)
    if form.is_valid():
        return redirect("lending:clearance", pk=form.cleaned_data["person"].pk)
    return render(
        request,
        "lending/clearance_choose.html",
        {
            "form": form,
            "done": Clearance.objects.select_related("person", "completed_by")[:50],
        },
    )


def _clearance_page(request, person, form, status=200):
    return render(
        request,
        "lending/clearance.html",
        {
            "person": person,
            "holdings": selectors.holdings_of(person=person),
            "open_requests": selectors.requests_of(user=person).filter(
                status__in=["pending", "approved"]
            ),
            "clearance": Clearance.objects.filter(person=person).first(),
            "form": form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def clearance(request, pk: int):
    """The archive completes it; the person sees their own (S2)."""
    person = get_object_or_404(User, pk=pk)
    if request.user.pk != person.pk and not request.user.has_perm(
        permissions.CLEAR_DEPARTURE
    ):
        raise Http404
    if request.method == "POST":
        form = ClearanceForm(request.POST)
        if run_service(
            request,
            form,
            lambda data: clearance_complete(
                person=person, actor=request.user, note=data["note"]
            ),
            _("The clearance of %(person)s is complete.") % {"person": person},
        ):
            return redirect("lending:clearance", pk=person.pk)
        return _clearance_page(request, person, form, status=400)
    return _clearance_page(request, person, ClearanceForm())
