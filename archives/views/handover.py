"""The supervisor's batch check and the month-end hand-over (issue 20,
item 2): the batches, the weekly check, returning a record, the hand-over
with its list (移交清单), and the archive's receipt (移交接收登记)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from archives import arrangement
from archives import permissions
from archives import selectors
from archives.models import HandoverBatch
from archives.models import HandoverItem
from archives.services import handover
from core.errors import ArchiveError
from core.views import ids_from
from core.views import paginate
from core.views import pdf_response
from core.views import run_service

view_batches = permission_required(permissions.VIEW_BATCHES, raise_exception=True)


class ReturnItemForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What must be corrected"), max_length=500
    )


class ReceiveForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note on receipt"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: 12 records and 45 pages, as listed."),
    )


def _batch(request, pk: int) -> HandoverBatch:
    return get_object_or_404(selectors.batches_for(user=request.user), pk=pk)


@login_required
@view_batches
def batch_list(request):
    return render(
        request,
        "archives/batch_list.html",
        {"page": paginate(request, selectors.batches_for(user=request.user))},
    )


def _page(request, batch, *, status=200, return_form=None, receive_form=None):
    Status = HandoverBatch.Status
    may_sign = handover.may_sign(request.user, batch)
    return render(
        request,
        "archives/batch_detail.html",
        {
            "batch": batch,
            "items": selectors.batch_items(batch=batch),
            "may_sign": may_sign and batch.status == Status.OPEN,
            "may_receive": request.user.has_perm(permissions.RECEIVE_BATCHES)
            and batch.status == Status.HANDED_OVER,
            "return_form": return_form or ReturnItemForm(),
            "receive_form": receive_form or ReceiveForm(),
        },
        status=status,
    )


@login_required
@view_batches
def batch_detail(request, pk: int):
    return _page(request, _batch(request, pk))


def _act(request, batch, action, done: str):
    """A button on the batch page: done, or the service's refusal, then the
    page again."""
    try:
        action()
    except ArchiveError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(batch)


@login_required
@require_POST
@permission_required(permissions.SIGN_BATCHES, raise_exception=True)
def batch_check(request, pk: int):
    batch = _batch(request, pk)
    return _act(
        request,
        batch,
        lambda: handover.batch_items_check(
            actor=request.user, batch=batch, items=ids_from(request.POST, "items")
        ),
        _("The records ticked are signed as checked."),
    )


@login_required
@require_POST
@permission_required(permissions.SIGN_BATCHES, raise_exception=True)
def batch_item_return(request, pk: int):
    item = get_object_or_404(HandoverItem.objects.select_related("batch"), pk=pk)
    batch = _batch(request, item.batch_id)
    form = ReturnItemForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: handover.batch_record_return(
            actor=request.user, item=item, reason=data["reason"]
        ),
        _("The record is returned to its filer."),
    ):
        return redirect(batch)
    return _page(request, batch, status=400, return_form=form)


@login_required
@require_POST
@permission_required(permissions.SIGN_BATCHES, raise_exception=True)
def batch_hand_over(request, pk: int):
    batch = _batch(request, pk)
    return _act(
        request,
        batch,
        lambda: handover.batch_hand_over(actor=request.user, batch=batch),
        _("The batch is handed over to the archive; print the list for both to sign."),
    )


@login_required
@require_POST
@permission_required(permissions.RECEIVE_BATCHES, raise_exception=True)
def batch_receive(request, pk: int):
    batch = _batch(request, pk)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        return _page(request, batch, status=400, receive_form=form)
    return _act(
        request,
        batch,
        lambda: handover.batch_receive(
            actor=request.user, batch=batch, note=form.cleaned_data["note"]
        ),
        _("The batch is received; its records are in the review queue."),
    )


@login_required
@view_batches
def batch_pdf(request, pk: int):
    batch = _batch(request, pk)
    content = arrangement.handover_list_pdf(batch, selectors.batch_items(batch=batch))
    return pdf_response(content, f"handover-{batch.reference}.pdf")
