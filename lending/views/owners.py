"""Owners at the front desk: register, approve, view, copy, receipt (SPEC §8)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Exists
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import permissions as archive_permissions
from archives.models import RecordFile
from core.addresses import client_address
from core.ratelimit import allow
from core.views import add_service_errors
from core.views import paginate
from core.views import pdf_response
from core.views import run_service
from lending import pdf
from lending import permissions
from lending import selectors
from lending.forms import CopyForm
from lending.forms import DecisionForm
from lending.forms import OwnerRequestForm
from lending.forms import OwnerViewingForm
from lending.forms import ReceiptForm
from lending.models import CopyReceipt
from lending.models import OwnerRequest
from lending.services import owners as services

register_required = permission_required(
    permissions.REGISTER_OWNERS, raise_exception=True
)
approve_required = permission_required(permissions.APPROVE_OWNERS, raise_exception=True)
serve_required = permission_required(permissions.SERVE_OWNERS, raise_exception=True)


def _visible(request) -> None:
    if not selectors.can_see_owner_requests(request.user):
        raise Http404


@login_required
def owner_list(request):
    _visible(request)
    return render(
        request,
        "lending/owner_list.html",
        {"page": paginate(request, selectors.owner_requests_for(user=request.user))},
    )


@login_required
@register_required
def owner_create(request):
    """Register an owner's request; opened from a dossier, the owner's name
    and room come filled in."""
    initial = {}
    owner = selectors.dossier_owner(request.GET.get("owner", ""))
    if owner is not None:
        initial = {"owner_name": owner.name, "property_unit": owner.room}
    form = OwnerRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            owner_request = services.owner_request_register(
                actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Owner request %(ref)s is registered and waits for the supervisor.")
                % {"ref": owner_request.reference},
            )
            return redirect(owner_request)
    return render(
        request,
        "lending/owner_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _owner_request(request, pk: int) -> OwnerRequest:
    _visible(request)
    return get_object_or_404(
        OwnerRequest.objects.select_related("registered_by", "decided_by", "served_by"),
        pk=pk,
    )


def _page(request, owner_request, status=200, revealed=None, **forms):
    records = list(owner_request.records.all())
    return render(
        request,
        "lending/owner_detail.html",
        {
            "owner_request": owner_request,
            "records": records,
            "copy_items": owner_request.copy_items.select_related(
                "record", "decided_by"
            ).annotate(
                # An electronic file to print the copy from (复制专用).
                has_files=Exists(
                    RecordFile.objects.filter(
                        record=OuterRef("record"), erased_at__isnull=True
                    )
                )
            ),
            "receipt": CopyReceipt.objects.filter(owner_request=owner_request).first(),
            "decision_form": forms.get("decision_form") or DecisionForm(),
            "viewing_form": forms.get("viewing_form") or OwnerViewingForm(),
            "copy_form": forms.get("copy_form") or CopyForm(records=records),
            "receipt_form": forms.get("receipt_form") or ReceiptForm(),
            "can_decide": request.user.has_perm(permissions.APPROVE_OWNERS)
            and owner_request.status == OwnerRequest.Status.PENDING
            and owner_request.registered_by_id != request.user.pk,
            "can_serve": request.user.has_perm(permissions.SERVE_OWNERS),
            "copy_allowed": {r.pk: services.copy_allowed_for(r) for r in records},
            "can_reveal": request.user.has_perm(permissions.REVEAL_OWNERS),
            "revealed": revealed,
            # The owner's dossier, found by the ID number given at the desk.
            "dossier": selectors.owner_dossier_of(owner_request)
            if request.user.has_perm(archive_permissions.VIEW_DOSSIERS)
            else None,
        },
        status=status,
    )


@login_required
def owner_detail(request, pk: int):
    return _page(request, _owner_request(request, pk))


@login_required
@approve_required
@require_POST
def owner_decide(request, pk: int):
    owner_request = _owner_request(request, pk)
    form = DecisionForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: services.owner_request_decide(
            owner_request=owner_request,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=data["comment"],
        ),
        _("The owner's request is decided."),
    ):
        return redirect(owner_request)
    return _page(request, owner_request, status=400, decision_form=form)


@login_required
@serve_required
@require_POST
def owner_viewing(request, pk: int):
    owner_request = _owner_request(request, pk)
    form = OwnerViewingForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: services.owner_viewing_record(
            owner_request=owner_request, actor=request.user, numbers=data["numbers"]
        ),
        _("The viewing is recorded."),
    ):
        return redirect(owner_request)
    return _page(request, owner_request, status=400, viewing_form=form)


@login_required
@serve_required
@require_POST
def owner_copy(request, pk: int):
    owner_request = _owner_request(request, pk)
    form = CopyForm(request.POST, records=list(owner_request.records.all()))
    if run_service(
        request,
        form,
        lambda data: services.copy_decide(
            owner_request=owner_request, actor=request.user, **data
        ),
        _("The copy decision is recorded."),
    ):
        return redirect(owner_request)
    return _page(request, owner_request, status=400, copy_form=form)


@login_required
@serve_required
@require_POST
def owner_receipt(request, pk: int):
    owner_request = _owner_request(request, pk)
    form = ReceiptForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: services.receipt_issue(
            owner_request=owner_request,
            actor=request.user,
            owner_signed=data["owner_signed"],
        ),
        _("The receipt is issued; print it for the owner."),
    ):
        return redirect(owner_request)
    return _page(request, owner_request, status=400, receipt_form=form)


@login_required
@require_POST
def owner_reveal(request, pk: int):
    """The full ID and phone numbers, for a role that needs them; logged."""
    owner_request = _owner_request(request, pk)
    revealed = services.owner_personal_data(
        actor=request.user, owner_request=owner_request
    )
    return _page(request, owner_request, revealed=revealed)


@login_required
def owner_form_pdf(request, pk: int):
    owner_request = _owner_request(request, pk)
    receipt = CopyReceipt.objects.filter(owner_request=owner_request).first()
    verify_url = (
        request.build_absolute_uri(receipt.get_absolute_url()) if receipt else ""
    )
    return pdf_response(
        pdf.owner_form(owner_request, receipt=receipt, verify_url=verify_url),
        f"{owner_request.reference}.pdf",
    )


@login_required
@serve_required
def owner_copy_pdf(request, pk: int, record_pk: int):
    """The copy of an electronic record given to an owner (复制专用): its PDF
    pages, every one marked with the receipt's verification code."""
    from django.http import HttpResponse

    from archives import reading
    from archives.selectors import record_pdf_sources

    owner_request = _owner_request(request, pk)
    receipt = CopyReceipt.objects.filter(owner_request=owner_request).first()
    item = owner_request.copy_items.filter(record_id=record_pk, allowed=True).first()
    if receipt is None or item is None:
        raise Http404(_("No copy of this record was allowed and receipted."))
    sources = record_pdf_sources(item.record)
    if not sources:
        raise Http404(_("This record has no electronic file that prints as pages."))
    request.audit_target = owner_request  # logged as printed (audit.middleware)
    mark = _(
        "For copying only (复制专用) · %(number)s · verification code %(code)s · "
        "check at %(url)s"
    ) % {
        "number": item.record.number,
        "code": receipt.code,
        "url": request.build_absolute_uri(receipt.get_absolute_url()),
    }
    response = HttpResponse(
        reading.stamped_pdf(reading.joined_pdf(sources), mark),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="{receipt.code}-{item.record.number}.pdf"'
    )
    return response


def copy_verify(request, code: str):
    """Where a copy's QR code leads: is this copy genuine? Public, for a bank
    or a court holding the copy: it says only what verifies it (the records'
    numbers, their pages, the day issued), and answers a few times a minute
    per address."""
    address = client_address(request)
    if not allow(
        f"copy-verify:{address}", limit=settings.ARCHIVE_VERIFY_PER_MINUTE, seconds=60
    ):
        return render(
            request,
            "429.html",
            {"message": _("Too many checks from your address; wait a minute.")},
            status=429,
        )
    receipt = (
        CopyReceipt.objects.select_related("owner_request", "issued_by")
        .filter(code=code.upper()[:16])
        .first()
    )
    items = (
        receipt.owner_request.copy_items.filter(allowed=True).select_related("record")
        if receipt
        else []
    )
    return render(
        request,
        "lending/copy_verify.html",
        {"receipt": receipt, "items": items, "code": code},
        status=200 if receipt else 404,
    )
