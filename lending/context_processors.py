"""The page header's links for viewing and lending, and every badge count."""

from django.conf import settings
from django.core.cache import cache

from lending import permissions
from lending.selectors import can_see_owner_requests
from lending.selectors import pending_counts


def badge_key(user_id: int) -> str:
    return f"nav-badges:{user_id}"


def badge_counts(user) -> dict:
    """The header's badges, kept ``ARCHIVE_BADGE_SECONDS`` between pages.

    Building the one counting query costs more than the rest of a page's
    header; a person's own changes drop their copy at once
    (``accounts.middleware.AccountMiddleware``), others' show within the
    interval.
    """
    seconds = settings.ARCHIVE_BADGE_SECONDS
    if not seconds:
        return pending_counts(user=user)
    return cache.get_or_set(
        badge_key(user.pk), lambda: pending_counts(user=user), seconds
    )


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = badge_counts(user)
    return {
        "nav_can_request": user.has_perm(permissions.REQUEST),
        "nav_can_approve": user.has_perm(permissions.SIGN)
        or user.has_perm(permissions.APPROVE_OWNERS),
        "nav_can_handle": user.has_perm(permissions.HANDLE),
        "nav_can_registers": user.has_perm(permissions.VIEW_REGISTERS),
        "nav_can_owners": can_see_owner_requests(user),
        "nav_approvals": counts["approvals"],
        "nav_desk": counts["desk"],
        "nav_unread": counts["unread"],
        "nav_returned": counts["returned"],
        "nav_queue": counts["queue"],
    }
