"""Due list, appraisals and destruction, holds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives.models import ArchiveRecord
from archives.models import Category
from archives.selectors import records_by_numbers
from core.views import ids_from
from core.views import paginate
from core.views import pdf_response
from core.views import query_without_page
from core.views import run_service
from retention import pdf
from retention import permissions
from retention import selectors
from retention.forms import AppraisalOpenForm
from retention.forms import CandidatesForm
from retention.forms import ExecuteForm
from retention.forms import HoldForm
from retention.forms import ItemDecisionForm
from retention.forms import NoteForm
from retention.forms import ReleaseForm
from retention.models import Appraisal
from retention.models import AppraisalItem
from retention.models import Hold
from retention.services import appraisals as services
from retention.services.holds import hold_place
from retention.services.holds import hold_release

view_appraisals = permission_required(permissions.VIEW_APPRAISALS, raise_exception=True)


@login_required
@view_appraisals
def due_list(request):
    today = timezone.localdate()
    records = selectors.records_due_for_disposal(today=today)
    category = request.GET.get("category", "")
    if category:
        records = records.filter(category__code=category)
    form = AppraisalOpenForm(
        initial={"title": _("Appraisal of records due by %(date)s") % {"date": today}}
    )
    if request.method == "POST":
        if not request.user.has_perm(permissions.ORGANISE_APPRAISAL):
            raise PermissionDenied
        form = AppraisalOpenForm(request.POST)
        chosen = list(records.filter(pk__in=ids_from(request.POST, "record")))
        opened = {}

        def action(data):
            opened["appraisal"] = services.appraisal_open(
                actor=request.user,
                title=data["title"],
                members=data["members"],
                records=chosen,
            )

        if not chosen:
            form.add_error(None, _("Tick the records to appraise."))
        elif run_service(request, form, action, _("Appraisal opened.")):
            return redirect(opened["appraisal"])
    return render(
        request,
        "retention/due_list.html",
        {
            "page": paginate(request, records),
            "query": query_without_page(request),
            "categories": Category.objects.filter(retention_kind="years"),
            "category": category,
            "form": form,
            "today": today,
            "ticked": {str(pk) for pk in ids_from(request.POST, "record")},
        },
        status=400 if form.errors else 200,
    )


@login_required
@view_appraisals
def appraisal_list(request):
    # Records picked in the catalogue: which open appraisal do they go into?
    numbers = (request.GET.get("numbers") or "")[:2000]
    return render(
        request,
        "retention/appraisal_list.html",
        {
            "page": paginate(request, selectors.appraisal_list()),
            "numbers": numbers,
            "open_appraisals": selectors.appraisal_list().filter(
                status=Appraisal.Status.OPEN
            )
            if numbers
            else [],
            "numbers_query": urlencode({"numbers": numbers}),
        },
    )


def _detail_context(request, appraisal, **forms):
    user = request.user
    items = list(selectors.appraisal_items(appraisal=appraisal))
    counts = {d: 0 for d in AppraisalItem.Decision.values}
    for item in items:
        counts[item.decision] += 1
    witnesses = list(appraisal.witnesses.select_related("person"))
    members = list(appraisal.members.all())
    return {
        "appraisal": appraisal,
        "items": items,
        "counts": counts,
        "members": members,
        "witnesses": witnesses,
        "is_member": user in members,
        "can_organise": user.has_perm(permissions.ORGANISE_APPRAISAL),
        "can_approve": user.has_perm(permissions.APPROVE_DESTRUCTION)
        and user.pk != appraisal.opened_by_id,
        "can_execute": user.has_perm(permissions.EXECUTE_DESTRUCTION),
        "my_witness": next((w for w in witnesses if w.person_id == user.pk), None),
        "candidates_form": forms.get("candidates_form")
        or CandidatesForm(
            initial={"numbers": (request.GET.get("numbers") or "")[:2000]}
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "execute_form": forms.get("execute_form") or ExecuteForm(),
        "decision_form": forms.get("decision_form"),
        "decision_item": forms.get("decision_item"),
        "keep_default": timezone.localdate().replace(
            year=timezone.localdate().year + 1
        ),
        "Status": Appraisal.Status,
        "Decision": AppraisalItem.Decision,
    }


@login_required
@view_appraisals
def appraisal_detail(request, pk: int):
    appraisal = get_object_or_404(Appraisal, pk=pk)
    return render(
        request, "retention/appraisal_detail.html", _detail_context(request, appraisal)
    )


def _again(request, appraisal, **forms):
    return render(
        request,
        "retention/appraisal_detail.html",
        _detail_context(request, appraisal, **forms),
        status=400,
    )


@login_required
@require_POST
@view_appraisals
def appraisal_add(request, pk: int):
    appraisal = get_object_or_404(Appraisal, pk=pk)
    form = CandidatesForm(request.POST)

    def action(data):
        services.appraisal_add_candidates(
            actor=request.user,
            appraisal=appraisal,
            records=records_by_numbers(data["numbers"]),
            ground=data["ground"],
            reason=data["reason"],
        )

    if run_service(request, form, action, _("Candidates added.")):
        return redirect(appraisal)
    return _again(request, appraisal, candidates_form=form)


@login_required
@require_POST
@view_appraisals
def item_decide(request, pk: int, item_pk: int):
    appraisal = get_object_or_404(Appraisal, pk=pk)
    item = get_object_or_404(AppraisalItem, pk=item_pk, appraisal=appraisal)
    form = ItemDecisionForm(request.POST)

    def action(data):
        services.appraisal_item_decide(
            actor=request.user,
            item=item,
            decision=data["decision"],
            reason=data["reason"],
            keep_until=data["keep_until"],
        )

    if run_service(
        request,
        form,
        action,
        _("%(number)s decided.") % {"number": item.record.number},
    ):
        return redirect(f"{appraisal.get_absolute_url()}#item-{item.pk}")
    return _again(request, appraisal, decision_form=form, decision_item=item.pk)


def _simple_action(
    request, pk, call, success, form_class=NoteForm, form_key="note_form"
):
    appraisal = get_object_or_404(Appraisal, pk=pk)
    form = form_class(request.POST)
    if run_service(request, form, lambda data: call(appraisal, data), success):
        return redirect(appraisal)
    return _again(request, appraisal, **{form_key: form})


@login_required
@require_POST
@view_appraisals
def appraisal_list_undecided(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.appraisal_list_undecided(actor=request.user, appraisal=a),
        _("Every undecided candidate is listed for destruction."),
    )


@login_required
@require_POST
@view_appraisals
def appraisal_submit(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.appraisal_submit(actor=request.user, appraisal=a),
        _("The destruction list was sent for approval."),
    )


@login_required
@require_POST
@view_appraisals
def appraisal_approve(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.appraisal_approve(
            actor=request.user, appraisal=a, note=d["note"]
        ),
        _("Destruction list approved."),
    )


@login_required
@require_POST
@view_appraisals
def appraisal_reject(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.appraisal_reject(
            actor=request.user, appraisal=a, reason=d["note"]
        ),
        _("The list went back to the appraisal group."),
    )


@login_required
@require_POST
@view_appraisals
def appraisal_cancel(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.appraisal_cancel(actor=request.user, appraisal=a),
        _("Appraisal cancelled."),
    )


@login_required
@require_POST
@view_appraisals
def appraisal_execute(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.destruction_execute(
            actor=request.user,
            appraisal=a,
            executor=d["executor"],
            witnesses=list(d["witnesses"]),
            place=d["place"],
            executed_at=d["executed_at"],
            paper_method=d["paper_method"],
        ),
        _("The records are destroyed; the witnesses are asked to confirm."),
        form_class=ExecuteForm,
        form_key="execute_form",
    )


@login_required
@require_POST
@view_appraisals
def appraisal_confirm(request, pk: int):
    return _simple_action(
        request,
        pk,
        lambda a, d: services.destruction_witness_confirm(
            actor=request.user, appraisal=a
        ),
        _("Your confirmation is recorded."),
    )


@login_required
@view_appraisals
def appraisal_list_pdf(request, pk: int):
    appraisal = get_object_or_404(Appraisal, pk=pk)
    items = selectors.appraisal_items(appraisal=appraisal)
    return pdf_response(
        pdf.destruction_list(appraisal, items), f"{appraisal.reference}-list.pdf"
    )


@login_required
@view_appraisals
def appraisal_certificate_pdf(request, pk: int):
    appraisal = get_object_or_404(Appraisal, pk=pk, status=Appraisal.Status.COMPLETED)
    items = selectors.appraisal_items(appraisal=appraisal).filter(
        decision=AppraisalItem.Decision.DESTROY
    )
    return pdf_response(
        pdf.destruction_certificate(appraisal, items),
        f"{appraisal.reference}-certificate.pdf",
    )


@login_required
@permission_required(permissions.VIEW_HOLDS, raise_exception=True)
def hold_list(request):
    form = HoldForm()
    if request.method == "POST":
        form = HoldForm(request.POST)

        def action(data):
            record = ArchiveRecord.objects.filter(number=data["number"].strip()).first()
            if record is None:
                raise ValidationError(
                    {
                        "number": _("No record has the number %(numbers)s.")
                        % {"numbers": data["number"]}
                    }
                )
            hold_place(actor=request.user, record=record, reason=data["reason"])

        if run_service(request, form, action, _("The record is held.")):
            return redirect("retention:hold-list")
    return render(
        request,
        "retention/hold_list.html",
        {
            "holds": selectors.holds_active(),
            "form": form,
            "release_form": ReleaseForm(),
            "can_hold": request.user.has_perm(permissions.PLACE_HOLD),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@permission_required(permissions.RELEASE_HOLD, raise_exception=True)
def hold_release_view(request, pk: int):
    hold = get_object_or_404(Hold, pk=pk)
    form = ReleaseForm(request.POST)
    run_service(
        request,
        form,
        lambda d: hold_release(
            actor=request.user, hold=hold, reason=d["release_reason"]
        ),
        _("The hold is released."),
    )
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("retention:hold-list")
