"""Header badges for viewing and lending: what waits for this person."""

from accounts.roles import user_roles
from lending.models import APPROVER_ROLES
from lending.permissions import can_request
from lending.selectors import can_see_owner_requests
from lending.selectors import pending_counts


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    nav = {
        "nav_can_request": can_request(user),
        "nav_can_approve": bool(roles & set(APPROVER_ROLES))
        or user.has_perm("lending.approve_ownerrequest"),
        "nav_can_handle": user.has_perm("lending.handle_accessrequest"),
        "nav_can_registers": user.has_perm("lending.view_registers"),
        "nav_can_owners": can_see_owner_requests(user),
    }
    # One query for every badge of the header.
    counts = pending_counts(user=user)
    nav["nav_approvals"], nav["nav_desk"] = counts["approvals"], counts["desk"]
    nav["nav_unread"] = counts["unread"]
    return nav
