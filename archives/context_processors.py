"""Counts shown in the page header: what waits for this person."""

from archives import permissions
from archives.models import ArchiveRecord


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = {
        "nav_can_file": user.has_perm(permissions.FILE_RECORDS),
        "nav_can_review": user.has_perm(permissions.REVIEW_RECORDS),
        "nav_can_see_storage": user.has_perm("archives.view_box"),
        "nav_can_see_entries": user.has_perm("archives.view_storeroomentry"),
        "nav_can_see_gaps": user.has_perm(permissions.VIEW_ALL_RECORDS),
    }
    nav["nav_returned"] = (
        ArchiveRecord.objects.filter(
            created_by=user, status=ArchiveRecord.Status.RETURNED
        ).count()
        if nav["nav_can_file"]
        else 0
    )
    nav["nav_queue"] = (
        ArchiveRecord.objects.filter(status=ArchiveRecord.Status.SUBMITTED).count()
        if nav["nav_can_review"]
        else 0
    )
    return nav
