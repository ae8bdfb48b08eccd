"""Finding what to ask for (issue 19, item 1): the request catalogue, the
request cart, and asking for what is in it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit import services as audit
from core.views import ids_from
from core.views import paginate
from core.views import query_without_page
from lending import cart
from lending import permissions
from lending import selectors
from lending.forms import RequestCatalogueForm
from lending.models import Kind

may_request = permission_required(permissions.REQUEST, raise_exception=True)


@login_required
@may_request
def request_catalogue(request):
    form = RequestCatalogueForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    records, text = selectors.request_catalogue(
        category=data.get("category"),
        department=data.get("department"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        text=data.get("q") or "",
        within=selectors.partner_scope(request.user),
    )
    page = paginate(request, records if valid else records.none(), text=text)
    audit.log_list_read(
        actor=request.user,
        name="request_catalogue",
        query=request.GET.urlencode(),
        ids=[record.pk for record in page],
    )
    _listed, titled = selectors.request_catalogue_levels()
    return render(
        request,
        "lending/request_catalogue.html",
        {
            "form": form,
            "page": page,
            "titled": titled,
            "in_cart": set(cart.cart_ids(request.session)),
            "cart_count": len(cart.cart_ids(request.session)),
            "query_string": query_without_page(request),
        },
        status=200 if valid else 400,
    )


@login_required
@may_request
@require_POST
def cart_add(request):
    added, full = cart.cart_add(request.session, ids_from(request.POST, "record"))
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)s record added to your request list.",
                "%(count)s records added to your request list.",
                added,
            )
            % {"count": added},
        )
    if full:
        messages.warning(
            request,
            _("A request names at most %(max)s records; the list is full.")
            % {"max": cart.MAX_ITEMS},
        )
    if not added and not full:
        messages.info(request, _("Select the records to add."))
    back = reverse("lending:request-catalogue")
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@login_required
@may_request
def cart_view(request):
    records = cart.cart_records(request.session)
    numbers = ",".join(record.number for record in records)
    _listed, titled = selectors.request_catalogue_levels()
    return render(
        request,
        "lending/request_cart.html",
        {
            "records": records,
            "titled": titled,
            "ask": {
                kind: reverse("lending:request-create", args=[kind])
                + "?"
                + urlencode({"numbers": numbers})
                for kind in (Kind.VIEWING, Kind.LENDING)
            },
        },
    )


@login_required
@may_request
@require_POST
def cart_remove(request):
    ids = ids_from(request.POST, "record")
    if request.POST.get("all"):
        ids = cart.cart_ids(request.session)
    cart.cart_remove(request.session, ids)
    messages.success(request, _("Removed from your request list."))
    return redirect("lending:cart")
