"""Owners' dossiers (业主信息, S4; issue 20, item 6): one per owner, with the
property, the household and every record of the owner across categories;
what the front desk opens for an owner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import permissions
from archives import selectors
from archives.forms import FamilyMemberForm
from archives.forms import OwnerForm
from archives.models import Customer
from archives.models import OwnerFamilyMember
from archives.services import customers
from audit import services as audit
from core.views import paginate
from core.views import run_service

view_dossiers = permission_required(permissions.VIEW_DOSSIERS, raise_exception=True)


def _owner(pk: int) -> Customer:
    return get_object_or_404(Customer, pk=pk, is_owner=True)


@login_required
@view_dossiers
def dossier_list(request):
    """Owners by room, name, code or their whole ID number."""
    text = request.GET.get("q", "")[:60]
    page = paginate(request, selectors.owner_dossiers(text=text))
    if text.strip():
        audit.log_list_read(
            actor=request.user,
            name="dossiers",
            query=request.GET.urlencode(),
            ids=[o.pk for o in page],
        )
    return render(
        request,
        "archives/dossier_list.html",
        {
            "page": page,
            "text": text,
            "may_add": request.user.has_perm(permissions.ADD_CUSTOMERS),
        },
    )


def _dossier_page(request, owner: Customer, *, family_form=None, status=200):
    """The dossier, its records' list read logged for whoever opens it."""
    groups = selectors.dossier_records(owner=owner, user=request.user)
    audit.log_list_read(
        actor=request.user,
        name="dossier",
        query=f"owner={owner.pk}",
        ids=[row.record.pk for _category, rows in groups for row in rows],
    )
    may_change = request.user.has_perm(permissions.CHANGE_CUSTOMERS)
    return render(
        request,
        "archives/dossier_detail.html",
        {
            "owner": owner,
            "family": list(owner.family.all()),
            "groups": groups,
            "may_change": may_change,
            "family_form": (family_form or FamilyMemberForm()) if may_change else None,
        },
        status=status,
    )


@login_required
@view_dossiers
def dossier_detail(request, pk: int):
    return _dossier_page(request, _owner(pk))


def _owner_page(request, form, save, *, title: str, back: str):
    saved: list = []
    if request.method == "POST" and run_service(
        request,
        form,
        lambda data: saved.append(save(data)),
        _("The owner's dossier is saved."),
    ):
        return redirect("archives:dossier-detail", pk=saved[0].pk)
    return render(
        request,
        "archives/owner_form.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(permissions.ADD_CUSTOMERS, raise_exception=True)
def owner_create(request):
    return _owner_page(
        request,
        OwnerForm(request.POST or None),
        lambda data: customers.owner_save(actor=request.user, owner=None, data=data),
        title=_("New owner's dossier"),
        back=reverse("archives:dossier-list"),
    )


@login_required
@permission_required(permissions.CHANGE_CUSTOMERS, raise_exception=True)
def owner_edit(request, pk: int):
    owner = _owner(pk)
    return _owner_page(
        request,
        OwnerForm(request.POST or None, owner=owner),
        lambda data: customers.owner_save(actor=request.user, owner=owner, data=data),
        title=_("Owner %(name)s") % {"name": owner.name},
        back=reverse("archives:dossier-detail", args=[owner.pk]),
    )


@login_required
@require_POST
@permission_required(permissions.CHANGE_CUSTOMERS, raise_exception=True)
def family_add(request, pk: int):
    owner = _owner(pk)
    form = FamilyMemberForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: customers.family_member_add(
            actor=request.user, owner=owner, **data
        ),
        _("The family member is added."),
    ):
        return redirect("archives:dossier-detail", pk=owner.pk)
    return _dossier_page(request, owner, family_form=form, status=400)


@login_required
@require_POST
@permission_required(permissions.CHANGE_CUSTOMERS, raise_exception=True)
def family_remove(request, pk: int):
    member = OwnerFamilyMember.objects.filter(pk=pk, owner__is_owner=True).first()
    if member is None:  # removed already (a second click, another tab)
        messages.info(request, _("This family member was removed already."))
        return redirect("archives:dossier-list")
    owner_pk = member.owner_id
    customers.family_member_remove(actor=request.user, member=member)
    return redirect("archives:dossier-detail", pk=owner_pk)
