"""What the page header offers this person (the badges come with lending's)."""

from archives import permissions


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_file": user.has_perm(permissions.FILE_RECORDS),
        "nav_can_review": user.has_perm(permissions.REVIEW_RECORDS),
        "nav_can_see_storage": user.has_perm(permissions.VIEW_BOXES),
        "nav_can_see_entries": user.has_perm(permissions.VIEW_STOREROOM_ENTRIES),
        "nav_can_see_gaps": user.has_perm(permissions.VIEW_ALL_RECORDS),
        "nav_can_see_mail": user.has_perm(permissions.VIEW_MAIL),
        "nav_can_dossiers": user.has_perm(permissions.VIEW_DOSSIERS),
        "nav_can_batches": user.has_perm(permissions.SIGN_BATCHES)
        or user.has_perm(permissions.RECEIVE_BATCHES),
    }
