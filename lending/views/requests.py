"""Requests to view or borrow: filing, the request page, signatures."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from core.errors import ArchiveError
from core.views import add_service_errors
from core.views import paginate
from core.views import run_service
from lending import permissions
from lending import selectors
from lending.cart import cart_remove_numbers
from lending.forms import DecisionForm
from lending.forms import ExtensionForm
from lending.forms import FillForm
from lending.forms import HandOverForm
from lending.forms import LendingRequestForm
from lending.forms import ReturnForm
from lending.forms import UseEffectForm
from lending.forms import ViewingRequestForm
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.models import Extension
from lending.models import Kind
from lending.services.approvals import may_sign
from lending.services.approvals import step_decide
from lending.services.circulation import extension_decide
from lending.services.circulation import extension_refusal
from lending.services.circulation import extension_request
from lending.services.requests import access_request_create
from lending.services.requests import access_request_withdraw
from lending.services.requests import request_numbers_fill
from lending.services.requests import use_effect_may_tell
from lending.services.requests import use_effect_record

FORMS = {Kind.VIEWING: ViewingRequestForm, Kind.LENDING: LendingRequestForm}


@login_required
def request_create(request, kind: str):
    if kind not in FORMS or not request.user.has_perm(permissions.REQUEST):
        raise Http404
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                access_request = access_request_create(
                    requester=request.user, kind=kind, **form.cleaned_data
                )
            except (ValidationError, ArchiveError) as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Request %(ref)s is filed and waits for approval.")
                    % {"ref": access_request.reference},
                )
                cart_remove_numbers(request.session, access_request.asked_numbers)
                return redirect(access_request)
    else:
        initial = form_class.initial_window()
        if request.GET.get("numbers"):
            initial["numbers"] = request.GET["numbers"][:2000]
        form = form_class(initial=initial)
    return render(
        request,
        "lending/request_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "loan_days": settings.ARCHIVE_LOAN_WORKING_DAYS,
        },
        status=400 if form.errors else 200,
    )


@login_required
def request_list_mine(request):
    return render(
        request,
        "lending/request_list_mine.html",
        {"page": paginate(request, selectors.requests_of(user=request.user))},
    )


def request_for_user(request, pk: int) -> AccessRequest:
    try:
        return selectors.request_get_for(user=request.user, pk=pk)
    except AccessRequest.DoesNotExist as error:
        raise Http404 from error


def request_page_context(request, access_request: AccessRequest, **forms) -> dict:
    user = request.user
    steps = list(access_request.steps.all())
    current = next(
        (s for s in steps if s.decision == ApprovalStep.Decision.PENDING), None
    )
    handles = user.has_perm(permissions.HANDLE)
    extensions = list(access_request.extension_requests.select_related("decided_by"))
    pending_extension = next(
        (e for e in extensions if e.decision == Extension.Decision.PENDING), None
    )
    out_items = [i for i in access_request.items.all() if i.is_out]
    Status = AccessRequest.Status
    disclosure = selectors.request_disclosure(user=user, access_request=access_request)
    context = {
        "access_request": access_request,
        "disclosure": disclosure,
        "steps": steps if disclosure.told else [],
        "current_step": current,
        "can_sign": bool(
            current
            and access_request.status == Status.PENDING
            and may_sign(user, current)
            and not any(s.decided_by_id == user.pk for s in steps)
        ),
        "can_fill": bool(
            current
            and access_request.status == Status.PENDING
            and access_request.description
            and not access_request.items.all()
            and current.role == Role.ARCHIVIST
            and may_sign(user, current)
        ),
        "can_withdraw": user.pk == access_request.requester_id
        and access_request.status in (Status.PENDING, Status.APPROVED),
        "can_hand_over": handles and access_request.status == Status.APPROVED,
        "can_take_back": handles and access_request.status == Status.OUT,
        "can_extend": user.pk == access_request.requester_id
        and access_request.is_loan
        and access_request.status == Status.OUT
        and pending_extension is None,
        # Said instead of a form that could only be refused.
        "extension_refusal": extension_refusal(access_request)
        if access_request.is_loan and access_request.status == Status.OUT
        else "",
        "pending_extension": pending_extension,
        "can_decide_extension": pending_extension is not None
        and user.has_perm(permissions.DECIDE_EXTENSIONS)
        and user.pk != access_request.requester_id,
        "extensions": extensions,
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "fill_form": forms.get("fill_form") or FillForm(),
        "hand_over_form": forms.get("hand_over_form")
        or HandOverForm(access_request=access_request, actor=user),
        "return_form": forms.get("return_form") or ReturnForm(items=out_items),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "can_tell_effect": use_effect_may_tell(user, access_request),
        "effect_form": forms.get("effect_form")
        or UseEffectForm(
            initial={
                "effect": access_request.use_effect,
                "note": access_request.use_effect_note,
            }
        ),
    }
    return context


@login_required
def request_detail(request, pk: int):
    access_request = request_for_user(request, pk)
    return render(
        request,
        "lending/request_detail.html",
        request_page_context(request, access_request),
    )


def request_page_again(request, access_request, status=400, **forms):
    return render(
        request,
        "lending/request_detail.html",
        request_page_context(request, access_request, **forms),
        status=status,
    )


@login_required
@require_POST
def step_sign(request, pk: int):
    step = get_object_or_404(ApprovalStep, pk=pk)
    access_request = request_for_user(request, step.request_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    done = _("You approved %(ref)s.") if approve else _("You rejected %(ref)s.")
    if run_service(
        request,
        form,
        lambda data: step_decide(
            step_id=step.pk,
            actor=request.user,
            approve=approve,
            comment=data["comment"],
        ),
        done % {"ref": access_request.reference},
    ):
        return redirect("lending:approvals")
    # Shown afresh: another approver may have decided in the meantime.
    return request_page_again(
        request, request_for_user(request, step.request_id), decision_form=form
    )


@login_required
@require_POST
def step_fill(request, pk: int):
    """The archivist fills in the records a request by description wants."""
    step = get_object_or_404(ApprovalStep, pk=pk)
    access_request = request_for_user(request, step.request_id)
    if not may_sign(request.user, step):
        raise PermissionDenied
    form = FillForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: request_numbers_fill(
            step_id=step.pk, actor=request.user, numbers=data["numbers"]
        ),
        _("%(ref)s is filled in and passed on.") % {"ref": access_request.reference},
    ):
        return redirect("lending:approvals")
    return request_page_again(
        request, request_for_user(request, step.request_id), fill_form=form
    )


@login_required
@require_POST
def use_effect_tell(request, pk: int):
    """The requester or the archive tells what an ended use achieved."""
    access_request = request_for_user(request, pk)
    if request.user.pk != access_request.requester_id and not request.user.has_perm(
        permissions.HANDLE
    ):
        raise PermissionDenied
    if not use_effect_may_tell(request.user, access_request):
        messages.error(
            request,
            _(
                "The effect is told once the use has ended, by the requester or "
                "the archive."
            ),
        )
        return redirect(access_request)
    form = UseEffectForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: use_effect_record(
            actor=request.user,
            access_request=access_request,
            effect=data["effect"],
            note=data["note"],
        ),
        _("Thank you: the effect of %(ref)s is recorded.")
        % {"ref": access_request.reference},
    ):
        return redirect(access_request)
    return request_page_again(request, access_request, effect_form=form)


@login_required
@require_POST
def request_withdraw(request, pk: int):
    access_request = request_for_user(request, pk)
    try:
        access_request_withdraw(access_request=access_request, actor=request.user)
    except ArchiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Request %(ref)s is withdrawn.") % {"ref": access_request.reference},
        )
    return redirect(access_request)


@login_required
@require_POST
def extension_ask(request, pk: int):
    access_request = request_for_user(request, pk)
    if request.user.pk != access_request.requester_id:
        raise PermissionDenied
    form = ExtensionForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: extension_request(
            access_request=access_request, actor=request.user, **data
        ),
        _("Your extension waits for the head of archives."),
    ):
        return redirect(access_request)
    return request_page_again(request, access_request, extension_form=form)


@login_required
@require_POST
def extension_sign(request, pk: int):
    extension = get_object_or_404(Extension, pk=pk)
    access_request = request_for_user(request, extension.request_id)
    form = DecisionForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: extension_decide(
            extension=extension,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            comment=data["comment"],
        ),
        _("The extension is decided."),
    ):
        return redirect(access_request)
    return request_page_again(request, access_request, decision_form=form)
