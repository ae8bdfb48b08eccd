"""The page header's badge counts, kept a short while per person.

What is counted is the project's business (``ARCHIVE_BADGE_COUNTER`` names the
function, lending's ``pending_counts``, which counts across the apps); here
is only the keeping: a copy per person for ``ARCHIVE_BADGE_SECONDS``, dropped
at once when the person changes something themselves
(``accounts.middleware.AccountMiddleware``), so others' changes show within
the interval.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string


def badge_key(user_id: int) -> str:
    return f"nav-badges:{user_id}"


def badges_forget(user_id: int) -> None:
    cache.delete(badge_key(user_id))


def badge_counts(user) -> dict:
    """The header's badges; building the one counting query costs more than
    the rest of a page's header."""
    count = import_string(settings.ARCHIVE_BADGE_COUNTER)
    seconds = settings.ARCHIVE_BADGE_SECONDS
    if not seconds:
        return count(user=user)
    return cache.get_or_set(badge_key(user.pk), lambda: count(user=user), seconds)
