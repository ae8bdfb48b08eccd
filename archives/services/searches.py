"""Saved catalogue searches (issue 19, item 20)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.models import User
from archives import permissions
from archives.models import SavedSearch
from archives.selectors import CATALOGUE_FILTERS
from archives.selectors import saved_searches_changed
from core.errors import NotAllowed

# What a saved search keeps of the catalogue's query string.
KEPT = {"q", *CATALOGUE_FILTERS}


def search_save(*, actor: User, name: str, query: str, shared: bool) -> SavedSearch:
    """Keep a search under a name (the same name replaces it)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    if shared and not actor.has_perm(permissions.SHARE_SEARCHES):
        raise NotAllowed(_("Only the head of archives shares searches."))
    params = QueryDict(query or "", mutable=True)
    for key in list(params):
        if key not in KEPT or not any(params.getlist(key)):
            params.pop(key)
    if not params:
        raise ValidationError({"name": _("Search for something first, then save it.")})
    search, _created = SavedSearch.objects.update_or_create(
        owner=actor,
        name=name[:100],
        defaults={"query": params.urlencode()[:1000], "shared": shared},
    )
    saved_searches_changed()
    return search


def search_delete(*, actor: User, search: SavedSearch) -> None:
    if search.owner_id != actor.pk:
        raise NotAllowed(_("Only its owner deletes a saved search."))
    search.delete()
    saved_searches_changed()
