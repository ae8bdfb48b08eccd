"""Permission names and the guardian helpers for records."""

from __future__ import annotations

from guardian.shortcuts import assign_perm
from guardian.shortcuts import remove_perm

from accounts.roles import Role

FILE_RECORDS = "archives.add_archiverecord"
REVIEW_RECORDS = "archives.review_archiverecord"
VIEW_ALL_RECORDS = "archives.view_all_records"
VIEW_DEPARTMENT_RECORDS = "archives.view_department_records"
ENTER_STOREROOM = "archives.enter_storeroom"
MANAGE_BOXES = "archives.change_box"
# Related records are linked and unlinked by the archive (issue 20, item 4).
LINK_RECORDS = "archives.add_recordlink"
UNLINK_RECORDS = "archives.delete_recordlink"
# The head of archives changes a record's confidentiality (issue 20, item 4).
RECLASSIFY_RECORDS = "archives.reclassify_archiverecord"
ADD_BOXES = "archives.add_box"
ADD_SHELVES = "archives.add_shelf"
CHANGE_SHELVES = "archives.change_shelf"
ADD_STOREROOMS = "archives.add_storeroom"
SHARE_SEARCHES = "archives.share_savedsearch"
CHANGE_STOREROOMS = "archives.change_storeroom"
ADD_CUSTOMERS = "archives.add_customer"
CHANGE_CUSTOMERS = "archives.change_customer"
# The month-end hand-over (S1 §4.1, S4; issue 20 item 2).
SIGN_BATCHES = "archives.sign_handoverbatch"
RECEIVE_BATCHES = "archives.receive_handoverbatch"
VIEW_BATCHES = "archives.view_handoverbatch"
# Owners' dossiers (S4, issue 20 item 6): the desk opens them for an owner.
VIEW_DOSSIERS = "archives.view_dossier"
VIEW_RECORD_OBJECT = "view_archiverecord"
# Taking files out of the archive (issue 18): everyone who may see a record
# reads its files in the browser; downloading and printing are rights.
DOWNLOAD_FILES = "archives.download_files"
PRINT_FILES = "archives.print_files"
HANDLE_CONFIDENTIAL_FILES = "archives.handle_confidential_files"
# E-mail in: the administrator sets mailboxes up in admin; the archivist
# sets the rules and reads what was taken and refused.
MANAGE_MAIL_RULES = "archives.change_mailrule"
VIEW_MAIL = "archives.view_mailmessage"


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


VIEW_BOXES = "archives.view_box"
VIEW_STOREROOM_ENTRIES = "archives.view_storeroomentry"
ADD_STOREROOM_ENTRIES = "archives.add_storeroomentry"

# Who holds them (the role matrix, accounts.matrix).
GRANTS: dict[str, list[str]] = {
    Role.ARCHIVIST: [
        RECEIVE_BATCHES,
        VIEW_BATCHES,
        VIEW_DOSSIERS,
        "archives.add_ownerfamilymember",
        "archives.change_ownerfamilymember",
        "archives.delete_ownerfamilymember",
        "archives.view_ownerfamilymember",
        LINK_RECORDS,
        UNLINK_RECORDS,
        DOWNLOAD_FILES,
        PRINT_FILES,
        HANDLE_CONFIDENTIAL_FILES,
        FILE_RECORDS,
        ADD_BOXES,
        "archives.add_mailrule",
        MANAGE_MAIL_RULES,
        "archives.delete_mailrule",
        "archives.view_mailrule",
        "archives.view_mailbox",
        VIEW_MAIL,
        ADD_SHELVES,
        ADD_STOREROOMS,
        CHANGE_SHELVES,
        CHANGE_STOREROOMS,
        ADD_CUSTOMERS,
        ADD_STOREROOM_ENTRIES,
        MANAGE_BOXES,
        "archives.change_customer",
        ENTER_STOREROOM,
        "archives.reveal_customer",
        REVIEW_RECORDS,
        VIEW_ALL_RECORDS,
        VIEW_BOXES,
        "archives.view_customer",
        "archives.view_shelf",
        "archives.view_storeroom",
        VIEW_STOREROOM_ENTRIES,
    ],
    Role.ARCHIVE_HEAD: [
        VIEW_BATCHES,
        VIEW_DOSSIERS,
        RECLASSIFY_RECORDS,
        LINK_RECORDS,
        UNLINK_RECORDS,
        DOWNLOAD_FILES,
        PRINT_FILES,
        ENTER_STOREROOM,
        SHARE_SEARCHES,
        "archives.reveal_customer",
        VIEW_ALL_RECORDS,
        VIEW_BOXES,
        "archives.view_customer",
        "archives.view_shelf",
        "archives.view_storeroom",
        VIEW_STOREROOM_ENTRIES,
    ],
    Role.CS_STAFF: [
        FILE_RECORDS,
        "archives.view_customer",
    ],
    Role.CS_SUPERVISOR: [
        SIGN_BATCHES,
        VIEW_BATCHES,
        VIEW_DOSSIERS,
        FILE_RECORDS,
        "archives.view_customer",
        VIEW_DEPARTMENT_RECORDS,
    ],
    Role.DEPT_HEAD: [
        SIGN_BATCHES,
        VIEW_BATCHES,
        "archives.view_customer",
        VIEW_DEPARTMENT_RECORDS,
    ],
    Role.AUDITOR: [
        VIEW_BATCHES,
        VIEW_DOSSIERS,
        VIEW_ALL_RECORDS,
        VIEW_BOXES,
        "archives.view_customer",
        "archives.view_shelf",
        "archives.view_storeroom",
        VIEW_STOREROOM_ENTRIES,
    ],
    # The front desk serves owners: it opens their dossiers (S4).
    Role.FRONT_DESK: [
        VIEW_DOSSIERS,
    ],
    Role.ADMIN: [
        "archives.add_ownerfamilymember",
        "archives.change_ownerfamilymember",
        "archives.delete_ownerfamilymember",
        "archives.view_ownerfamilymember",
        "archives.add_box",
        "archives.add_category",
        ADD_CUSTOMERS,
        "archives.add_shelf",
        "archives.add_storeroom",
        "archives.add_subcode",
        "archives.add_subcodedimension",
        MANAGE_BOXES,
        "archives.change_category",
        "archives.change_customer",
        "archives.change_shelf",
        "archives.change_storeroom",
        "archives.change_subcode",
        "archives.change_subcodedimension",
        "archives.delete_subcodedimension",
        VIEW_BOXES,
        "archives.view_category",
        "archives.view_customer",
        "archives.view_numbersequence",
        "archives.view_shelf",
        "archives.view_storeroom",
        "archives.view_subcode",
        "archives.view_subcodedimension",
        "archives.add_mailbox",
        "archives.change_mailbox",
        "archives.view_mailbox",
        "archives.add_mailrule",
        "archives.change_mailrule",
        "archives.delete_mailrule",
        "archives.view_mailrule",
        VIEW_MAIL,
    ],
}
