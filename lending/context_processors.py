"""The page header's links for viewing and lending, and the badges
(``core.badges``)."""

from core.badges import badge_counts
from lending import permissions
from lending.selectors import can_see_owner_requests


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
        "nav_can_partners": user.has_perm(permissions.VIEW_PARTNERS),
        "nav_can_owners": can_see_owner_requests(user),
        "nav_approvals": counts["approvals"],
        "nav_desk": counts["desk"],
        "nav_unread": counts["unread"],
        "nav_returned": counts["returned"],
        "nav_queue": counts["queue"],
    }
