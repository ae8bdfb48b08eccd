"""The approver's queue, the archivist's desk, registers and clearance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from core.views import ids_from
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
from lending.forms import ScanForm
from lending.models import AccessItem
from lending.models import AccessRequest
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
def overdue_letter_pdf(request, pk: int) -> HttpResponse:
    """The printable letter to one borrower about everything overdue."""
    person = get_object_or_404(User.objects.select_related("department"), pk=pk)
    day = timezone.localdate()
    loans = selectors.overdue_loans_of(person=person, day=day)
    if not loans:
        messages.info(
            request, _("%(person)s has nothing overdue.") % {"person": person}
        )
        return redirect("lending:desk")
    content = pdf.overdue_letter(person=person, loans=loans, day=day)
    return pdf_response(content, f"overdue-{person.username}-{day.isoformat()}.pdf")


def _hand_over_by(request, access_request, form) -> bool:
    """Hand a request's records over as ``form`` says; True when done."""
    return run_service(
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
    )


@login_required
@handle_required
@require_POST
def request_hand_over(request, pk: int):
    access_request = request_for_user(request, pk)
    form = HandOverForm(request.POST, access_request=access_request)
    if _hand_over_by(request, access_request, form):
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
            partial=bool(data.get("partial")),
        ),
        _("%(ref)s: the records checked are back.") % {"ref": access_request.reference}
        if form.data.get("partial")
        else _("%(ref)s is back.") % {"ref": access_request.reference},
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


def _scan_state(request, data) -> dict:
    """The request at hand and the records scanned so far, as the page's
    hidden fields carry them; a scanned code moves it on."""
    current = None
    value = str(data.get("request") or "")
    if value.isdigit():
        current = selectors.desk_requests().filter(pk=int(value)).first()
    items = selectors.scan_items(current) if current else []
    by_id = {item.pk: item for item in items}
    scanned = [pk for pk in dict.fromkeys(ids_from(data, "scanned")) if pk in by_id]
    state = {"current": current, "items": items, "scanned": scanned, "choices": []}
    form = ScanForm(data if "code" in data else None)
    state["form"] = form
    if not form.is_bound or not form.is_valid():
        return state
    code = form.cleaned_data["code"]
    found = selectors.scan_lookup(code, current)
    if found.kind == "request":
        state.update(current=found.request, scanned=[], choices=[])
        state["items"] = selectors.scan_items(found.request)
    elif found.kind == "person":
        if len(found.requests) == 1:
            (only,) = found.requests
            state.update(current=only, scanned=[], items=selectors.scan_items(only))
        elif found.requests:
            state["choices"] = found.requests
        else:
            form.add_error(
                "code",
                _("%(person)s has nothing to collect or return.")
                % {"person": found.person},
            )
    elif found.kind == "item":
        if found.item.pk in scanned:
            messages.info(
                request,
                _("%(number)s was scanned already.")
                % {"number": found.item.record.number},
            )
        else:
            scanned.append(found.item.pk)
    elif found.kind == "stranger":
        form.add_error(
            "code",
            _("%(number)s is not part of %(ref)s.")
            % {"number": code.strip().upper(), "ref": current.reference}
            if current
            else _("Scan the request or the person first, then the records."),
        )
    else:
        form.add_error("code", _("Nothing has the code %(code)s.") % {"code": code})
    # The next scan starts from an empty field.
    state["form"] = ScanForm(initial={}) if not form.errors else form
    return state


def _scan_page(request, state, *, status=200, **forms):
    current, items, scanned = state["current"], state["items"], state["scanned"]
    context = {
        **state,
        "scanned_items": [i for i in items if i.pk in scanned],
        "to_scan": [i for i in items if i.pk not in scanned],
        "hand_over_form": None,
        "return_form": None,
    }
    if current is not None and current.status == AccessRequest.Status.APPROVED:
        context["hand_over_form"] = forms.get("hand_over_form") or HandOverForm(
            access_request=current, actor=request.user
        )
    if current is not None and current.status == AccessRequest.Status.OUT:
        back = context["scanned_items"]
        context["return_form"] = forms.get("return_form") or ReturnForm(
            items=back,
            initial={f"condition_{i.pk}": AccessItem.Condition.INTACT for i in back},
        )
    return render(request, "lending/scan.html", context, status=status)


@login_required
@handle_required
def scan(request):
    """Hand-over and take-back by scanning labels (a USB scanner types the
    code and Enter): the request or the person, then each record."""
    if request.method != "POST":
        state = _scan_state(request, request.GET)
        return _scan_page(request, state, status=400 if state["form"].errors else 200)
    state = _scan_state(request, request.POST)
    current = state["current"]
    if current is None:
        messages.error(request, _("Scan the request or the person first."))
        return redirect("lending:scan")
    scanned = [i for i in state["items"] if i.pk in state["scanned"]]
    if request.POST.get("action") == "hand_over":
        form = HandOverForm(request.POST, access_request=current, actor=request.user)
        missing = [i.record.number for i in state["items"] if i not in scanned]
        if missing:
            form.is_valid()
            form.add_error(
                None,
                _("Scan every record before handing over; still to scan: %(numbers)s.")
                % {"numbers": "、".join(missing)},
            )
        elif _hand_over_by(request, current, form):
            return redirect("lending:scan")
        return _scan_page(request, state, status=400, hand_over_form=form)
    form = ReturnForm(request.POST, items=scanned)
    partial = len(scanned) < len(state["items"])
    if not scanned:
        form.is_valid()
        form.add_error(None, _("Scan the records that come back."))
    elif run_service(
        request,
        form,
        lambda data: take_back(
            access_request=current,
            actor=request.user,
            conditions=form.conditions(),
            partial=partial,
        ),
        ngettext(
            "%(ref)s: %(count)s record is back; %(left)s still out.",
            "%(ref)s: %(count)s records are back; %(left)s still out.",
            len(scanned),
        )
        % {
            "ref": current.reference,
            "count": len(scanned),
            "left": len(state["items"]) - len(scanned),
        }
        if partial
        else _("%(ref)s is back.") % {"ref": current.reference},
    ):
        return redirect("lending:scan")
    return _scan_page(request, state, status=400, return_form=form)
