"""The catalogue: search and filter what one may see; the home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from archives import selectors
from archives.forms import CatalogueForm
from audit import services as audit
from core.views import PAGE_SIZES
from core.views import paginate
from core.views import query_without_page


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "archives/home.html",
        {
            "mine": selectors.records_filed_by(user=user)[:10],
            "overdue": selectors.overdue_drafts(user=user).count(),
            "queue": selectors.review_queue(user=user).count(),
        },
    )


@login_required
def catalogue(request):
    form = CatalogueForm(request.GET or None)
    records, text = selectors.catalogue_parts(user=request.user, query=form.to_query())
    if form.is_bound and not form.is_valid():
        records, text = records.none(), None
    page = paginate(
        request,
        records,
        count=True,
        prefetch=selectors.CATALOGUE_PREFETCH,
        text=text,
    )
    audit.log_list_read(
        actor=request.user,
        name="catalogue",
        query=request.GET.urlencode(),
        ids=[record.pk for record in page],
        total=page.count.value if page.count and page.count.exact else None,
    )
    return render(
        request,
        "archives/catalogue.html",
        {
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "page_sizes": PAGE_SIZES,
        },
    )
