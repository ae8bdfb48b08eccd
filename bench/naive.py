"""The catalogue as a Django developer would first write it, for comparison.

A ``ListView`` with ``paginate_by``: OFFSET pagination with page numbers,
``COUNT(*)`` of every match for the page count, ``icontains`` search over
title, number, customer name and keywords, the same filters and the same
visibility rule and table as the real catalogue. Only the benchmark's
settings (``bench.settings``) route to it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import HttpResponse
from django.views.generic import ListView

from archives.models import ArchiveRecord
from archives.selectors import record_visibility_q

HIDDEN = ["draft", "submitted", "returned"]


class NaiveCatalogue(LoginRequiredMixin, ListView):
    template_name = "bench/naive_catalogue.html"
    paginate_by = 25

    def get_queryset(self):
        params = self.request.GET
        records = (
            ArchiveRecord.objects.filter(record_visibility_q(user=self.request.user))
            .exclude(status__in=HIDDEN)
            .select_related(
                "category", "customer", "source_department", "box__shelf__storeroom"
            )
        )
        if q := params.get("q", "").strip():
            records = records.filter(
                Q(number__icontains=q)
                | Q(title__icontains=q)
                | Q(customer__name__icontains=q)
                | Q(keywords__icontains=q)
            )
        for name, lookup in (
            ("category", "category_id"),
            ("status", "status"),
            ("department", "source_department_id"),
            ("storeroom", "box__shelf__storeroom_id"),
            ("box", "box__code"),
            ("date_from", "date_formed__gte"),
            ("date_to", "date_formed__lte"),
        ):
            if value := params.get(name):
                records = records.filter(**{lookup: value})
        return records.order_by("-date_formed", "-pk")


@login_required
def ping(request):
    """The floor: a logged-in request through every middleware, no page."""
    return HttpResponse("ok", content_type="text/plain")


def hello(request):
    """A floor: Django answering without a session, a user or a template."""
    return HttpResponse("hello", content_type="text/plain")


@login_required
def small_page(request):
    """The floor of issue 22: a logged-in page with a small template."""
    from django.shortcuts import render

    return render(request, "bench/small.html", {"name": request.user.username})


@login_required
def chrome(request):
    """The page chrome alone: base.html with an empty content block."""
    from django.shortcuts import render

    return render(request, "bench/chrome.html")
