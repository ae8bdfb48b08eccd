"""Permission names and the guardian helpers for records."""

from __future__ import annotations

from guardian.shortcuts import assign_perm
from guardian.shortcuts import remove_perm

from .errors import NotAllowed

FILE_RECORDS = "archives.add_archiverecord"
REVIEW_RECORDS = "archives.review_archiverecord"
VIEW_ALL_RECORDS = "archives.view_all_records"
VIEW_DEPARTMENT_RECORDS = "archives.view_department_records"
ENTER_STOREROOM = "archives.enter_storeroom"
MANAGE_BOXES = "archives.change_box"
ADD_CUSTOMERS = "archives.add_customer"
VIEW_RECORD_OBJECT = "view_archiverecord"


def require_perm(actor, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(message)


def record_grant_view(*, record, user, valid_from=None, valid_until=None) -> None:
    """Let one user see one record, for a window when one is given.

    Viewing and lending approvals pass the approved window; calling again
    replaces the window (the caller works out the union of its grants).
    """
    from archives.models import RecordUserObjectPermission

    assign_perm(VIEW_RECORD_OBJECT, user, record)
    RecordUserObjectPermission.objects.filter(
        user=user, content_object=record, permission__codename=VIEW_RECORD_OBJECT
    ).update(valid_from=valid_from, valid_until=valid_until)


def record_revoke_view(*, record, user) -> None:
    remove_perm(VIEW_RECORD_OBJECT, user, record)
