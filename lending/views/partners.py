"""External partners under a confidentiality agreement (issue 20, item 1):
the organisations, their people and agreements, and the register of what
they used."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import sendfile
from core.errors import ArchiveError
from core.views import add_service_errors
from core.views import paginate
from core.views import run_service
from lending import permissions
from lending import selectors
from lending.forms import AgreementEndForm
from lending.forms import AgreementForm
from lending.forms import PartnerForm
from lending.forms import PartnerMemberForm
from lending.models import Partner
from lending.models import PartnerAgreement
from lending.services import partners as services

view_partners = permission_required(permissions.VIEW_PARTNERS, raise_exception=True)
manage_partners = permission_required(permissions.MANAGE_PARTNERS, raise_exception=True)


@login_required
@view_partners
def partner_list(request):
    return render(
        request,
        "lending/partner_list.html",
        {
            "page": paginate(request, selectors.partners_list()),
            "may_manage": request.user.has_perm(permissions.MANAGE_PARTNERS),
        },
    )


def _detail(request, partner, *, status=200, **forms):
    may_manage = request.user.has_perm(permissions.MANAGE_PARTNERS)
    today = timezone.localdate()
    agreements = list(
        partner.agreements.prefetch_related("categories", "records").select_related(
            "registered_by"
        )
    )
    return render(
        request,
        "lending/partner_detail.html",
        {
            "partner": partner,
            "members": partner.members.order_by("username"),
            "agreements": [(a, a.live_on(today)) for a in agreements],
            "may_manage": may_manage,
            "member_form": forms.get("member_form") or PartnerMemberForm(),
            "agreement_form": forms.get("agreement_form") or AgreementForm(),
            "end_form": forms.get("end_form") or AgreementEndForm(),
            "used": selectors.partner_register(partner=partner)[:20],
        },
        status=status,
    )


@login_required
@view_partners
def partner_detail(request, pk: int):
    return _detail(request, get_object_or_404(Partner, pk=pk))


def _partner_form_page(request, form, save, title):
    saved: list = []
    if request.method == "POST" and run_service(
        request, form, lambda data: saved.append(save(data)), _("The partner is saved.")
    ):
        return redirect(saved[0])
    return render(
        request,
        "lending/partner_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


@login_required
@manage_partners
def partner_create(request):
    return _partner_form_page(
        request,
        PartnerForm(request.POST or None),
        lambda data: services.partner_save(actor=request.user, partner=None, data=data),
        _("New partner organisation"),
    )


@login_required
@manage_partners
def partner_edit(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    return _partner_form_page(
        request,
        PartnerForm(request.POST or None, partner=partner),
        lambda data: services.partner_save(
            actor=request.user, partner=partner, data=data
        ),
        partner.name,
    )


@login_required
@require_POST
@manage_partners
def partner_member_add(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerMemberForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: services.partner_member_add(
            actor=request.user, partner=partner, person=data["person"]
        ),
        _("The person may now ask for what the partner's agreements cover."),
    ):
        return redirect(partner)
    return _detail(request, partner, status=400, member_form=form)


@login_required
@require_POST
@manage_partners
def agreement_register(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    form = AgreementForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_register(
                actor=request.user,
                partner=partner,
                number=data["number"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                categories=data["categories"],
                records=data["numbers"],
                signed_file=data["signed_file"],
            )
        except (ValidationError, ArchiveError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement is registered."))
            return redirect(partner)
    return _detail(request, partner, status=400, agreement_form=form)


@login_required
@require_POST
@manage_partners
def agreement_end(request, pk: int):
    agreement = get_object_or_404(
        PartnerAgreement.objects.select_related("partner"), pk=pk
    )
    form = AgreementEndForm(request.POST)
    if run_service(
        request,
        form,
        lambda data: services.agreement_end(
            actor=request.user, agreement=agreement, reason=data["reason"]
        ),
        _("The agreement has ended; the partner's requests under it end with it."),
    ):
        return redirect(agreement.partner)
    return _detail(request, agreement.partner, status=400, end_form=form)


@login_required
@view_partners
def agreement_file(request, pk: int):
    agreement = get_object_or_404(PartnerAgreement, pk=pk)
    return sendfile.file_response(
        storages["default"],
        agreement.signed_file.name,
        content_type="application/pdf",
        filename=f"{agreement.number}.pdf",
    )


@login_required
@view_partners
def partner_usage(request):
    """The register of what partners used."""
    partner = None
    if str(request.GET.get("partner", "")).isdigit():
        partner = Partner.objects.filter(pk=int(request.GET["partner"])).first()
    return render(
        request,
        "lending/partner_register.html",
        {
            "page": paginate(request, selectors.partner_register(partner=partner)),
            "partner": partner,
            "partners": Partner.objects.order_by("code"),
        },
    )
