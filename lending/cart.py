"""The request cart (issue 19, item 1): records picked from the request
catalogue, kept in the person's session until they ask for them."""

from __future__ import annotations

from archives.models import ArchiveRecord
from lending import selectors

SESSION_KEY = "lending_request_cart"
# As many as one request may name (lending.services.requests.MAX_RECORDS).
MAX_ITEMS = 50


def cart_ids(session) -> list[int]:
    return [int(pk) for pk in session.get(SESSION_KEY, []) if str(pk).isdigit()]


def cart_add(session, ids: list[int]) -> tuple[int, bool]:
    """Add the records the catalogue lists; (how many were added, full)."""
    catalogue, _text = selectors.request_catalogue()
    wanted = set(catalogue.filter(pk__in=ids).values_list("pk", flat=True))
    current = cart_ids(session)
    added = 0
    for pk in ids:
        if pk in wanted and pk not in current:
            if len(current) >= MAX_ITEMS:
                session[SESSION_KEY] = current
                return added, True
            current.append(pk)
            added += 1
    session[SESSION_KEY] = current
    return added, False


def cart_remove(session, ids: list[int]) -> None:
    session[SESSION_KEY] = [pk for pk in cart_ids(session) if pk not in ids]


def cart_remove_numbers(session, numbers: list[str]) -> None:
    """After a request is filed for them."""
    asked = set(
        ArchiveRecord.objects.filter(
            pk__in=cart_ids(session), number__in=numbers
        ).values_list("pk", flat=True)
    )
    cart_remove(session, list(asked))


def cart_records(session) -> list[ArchiveRecord]:
    """The records in the cart that the catalogue still lists, in order."""
    ids = cart_ids(session)
    catalogue, _text = selectors.request_catalogue()
    found = {r.pk: r for r in catalogue.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
