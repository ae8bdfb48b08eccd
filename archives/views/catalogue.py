"""The catalogue: search and filter what one may see; the home page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from archives import permissions
from archives import selectors
from archives.forms import CatalogueForm
from archives.forms import SavedSearchForm
from archives.forms import SelectionMoveForm
from archives.models import SavedSearch
from archives.services import searches
from archives.services import storage
from audit import services as audit
from core.cache import read_ahead
from core.errors import ArchiveError
from core.views import PAGE_SIZES
from core.views import paginate
from core.views import query_without_page


def filter_fields(form: CatalogueForm) -> str:
    """The catalogue's filter fields as HTML: with none chosen (the first
    page, a search by words) the same for everyone in one language, rendered
    once and kept in the cache (issue 22: a fifth of the page's time);
    chosen or wrong, rendered for this request."""

    def rendered() -> str:
        return render_to_string("archives/_catalogue_filters.html", {"form": form})

    if form.errors or any(form.data.get(name) for name in selectors.CATALOGUE_FILTERS):
        return rendered()
    key = selectors.filter_fields_key(get_language() or settings.LANGUAGE_CODE)
    html = cache.get(key)
    if html is None:
        html = rendered()
        cache.set(key, html, 3600)
    return mark_safe(html)  # noqa: S308 - our own template's output, kept as is


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
    language = get_language() or settings.LANGUAGE_CODE
    with read_ahead(selectors.catalogue_cache_keys(language)):
        return _catalogue(request)


def _catalogue(request):
    form = CatalogueForm(request.GET or None)
    records, text = selectors.catalogue_parts(user=request.user, query=form.to_query())
    if form.is_bound and not form.is_valid():
        records, text = records.none(), None
    page = paginate(
        request, records, count=True, text=text, rows=selectors.catalogue_rows_by_id
    )
    query = form.to_query()
    snippets = selectors.search_snippets(page.object_list, query.q) if query.q else {}
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
            "filter_fields": filter_fields(form),
            "page": page,
            "snippets": snippets,
            "query_string": query_without_page(request),
            "page_sizes": PAGE_SIZES,
            "saved_searches": selectors.saved_searches_for(user=request.user),
            "save_form": SavedSearchForm(
                initial={"query": query_without_page(request)}
            ),
            "may_share": request.user.has_perm(permissions.SHARE_SEARCHES),
            "may_move": request.user.has_perm(permissions.MANAGE_BOXES),
        },
    )


@login_required
@require_POST
def catalogue_selection(request):
    """An action on the rows ticked in the catalogue (issue 19, item 20):
    export them, ask to view them, or move them into one box."""
    back = reverse("archives:catalogue")
    query = request.POST.get("query", "")
    if query:
        back = f"{back}?{query}"
    form = CatalogueForm(request.POST)
    ids = form.selected_ids()
    records = list(
        selectors.record_list_visible_to(user=request.user)
        .filter(pk__in=ids)
        .order_by("number_prefix", "sequence_number", "pk")
    )
    if not records:
        messages.error(request, _("Tick the records first."))
        return redirect(back)
    action = request.POST.get("action")
    if action == "export":
        params = urlencode([("record", r.pk) for r in records])
        fmt = "xlsx" if request.POST.get("format") == "xlsx" else "csv"
        return redirect(
            f"{reverse('reports:export', args=['catalogue', fmt])}?{params}"
        )
    if action == "ask":
        numbers = ",".join(r.number for r in records if r.number)
        return redirect(
            reverse("lending:request-create", args=["viewing"])
            + "?"
            + urlencode({"numbers": numbers})
        )
    if action == "appraise":
        # To the appraisals, to choose the open one they go into.
        numbers = ",".join(r.number for r in records if r.number)
        return redirect(
            reverse("retention:appraisal-list") + "?" + urlencode({"numbers": numbers})
        )
    if action == "move":
        move = SelectionMoveForm(request.POST)
        if not move.is_valid():
            for problems in move.errors.values():
                messages.error(request, " ".join(problems))
            return redirect(back)
        moved, refused = [], []
        for record in records:
            try:
                storage.record_move_to_box(
                    actor=request.user,
                    record=record,
                    box=move.cleaned_data["to_box"],
                    note=move.cleaned_data["note"],
                )
            except (ValidationError, ArchiveError) as error:
                text = (
                    error.message
                    if isinstance(error, ArchiveError)
                    else " ".join(error.messages)
                )
                refused.append(f"{record.number}: {text}")
            else:
                moved.append(record.number)
        if moved:
            messages.success(
                request,
                ngettext(
                    "%(count)s record moved to box %(box)s.",
                    "%(count)s records moved to box %(box)s.",
                    len(moved),
                )
                % {"count": len(moved), "box": move.cleaned_data["to_box"].code},
            )
        for line in refused:
            messages.error(request, line)
        return redirect(back)
    messages.error(request, _("Choose what to do with the records ticked."))
    return redirect(back)


@login_required
@require_POST
def search_save_view(request):
    form = SavedSearchForm(request.POST)
    back = reverse("archives:catalogue")
    if form.is_valid():
        query = form.cleaned_data["query"]
        try:
            search = searches.search_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                query=query,
                shared=form.cleaned_data["shared"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Search saved as “%(name)s”.") % {"name": search.name}
            )
            back = f"{back}?{search.query}"
    else:
        messages.error(request, _("Give the search a name."))
    return redirect(back)


@login_required
@require_POST
def search_delete_view(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    searches.search_delete(actor=request.user, search=search)
    messages.success(request, _("Saved search deleted."))
    return redirect("archives:catalogue")


@login_required
def pick_customers(request):
    """The customers matching what was typed, as <option>s for a picker."""
    if not request.user.has_perm("archives.view_customer"):
        raise PermissionDenied
    text = (request.GET.get("picker_q") or "").strip()[:50]
    return render(
        request,
        "includes/picker_options.html",
        {"options": selectors.customers_matching(text=text)},
    )
