"""Counts shown in the page header: what waits for this person."""

from django.db.models import Count
from django.db.models import Q

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
    counts = {}
    if nav["nav_can_file"]:
        counts["nav_returned"] = Count(
            "pk", filter=Q(created_by=user, status=ArchiveRecord.Status.RETURNED)
        )
    if nav["nav_can_review"]:
        counts["nav_queue"] = Count(
            "pk", filter=Q(status=ArchiveRecord.Status.SUBMITTED)
        )
    nav.update({"nav_returned": 0, "nav_queue": 0})
    if counts:
        # One query for both badges.
        nav.update(
            ArchiveRecord.objects.filter(
                status__in=[
                    ArchiveRecord.Status.RETURNED,
                    ArchiveRecord.Status.SUBMITTED,
                ]
            ).aggregate(**counts)
        )
    return nav
