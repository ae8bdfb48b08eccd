"""Every page, file and action of archives/ and lending/ × every role.

The list of URLs comes from the URL configuration: a new URL without a row
here fails the test. Each row names who is let in; everyone else must be
turned away (403, 404, or the login page for an anonymous visitor).
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.urls import reverse
from django.utils import timezone

from archives.models import PreservationCopy
from archives.models import SavedSearch
from archives.models import Shelf
from archives.services.customers import family_member_add
from archives.services.customers import owner_save
from archives.services.files import file_ingest
from archives.services.links import record_link
from archives.services.preservation import preserve_file
from archives.services.records import record_accept
from archives.services.records import records_submit
from lending.models import Kind
from lending.services import owners as owner_services
from lending.services.approvals import step_decide
from lending.services.circulation import daily_run
from lending.services.circulation import extension_request
from lending.services.circulation import hand_over
from lending.services.partners import agreement_register
from lending.services.partners import partner_save
from lending.services.requests import access_request_create
from tests import samples
from tests.factories import RecordFactory
from tests.factories import mailbox_with_rule
from tests.lending.test_owners import owner_data

PEOPLE = [
    "anonymous",
    "staff",  # cs_staff of CS1, files records, responsible for the customer
    "staff2",  # cs_staff of CS1, not responsible
    "supervisor",  # cs_supervisor of CS1
    "cs2_supervisor",  # cs_supervisor of another department
    "cs1_head",  # dept_head of CS1
    "finance_clerk",  # staff of another department (the viewing requester)
    "finance_head",  # dept_head of finance (first signature)
    "archivist",
    "archive_head",
    "executive",  # the borrower of the loan below
    "front_desk",
    "auditor",
    "admin",
]
FILERS = {
    "staff",
    "staff2",
    "supervisor",
    "cs2_supervisor",
    "finance_clerk",
    "archivist",
}
ALL = set(PEOPLE) - {"anonymous"}
ARCHIVE = {"archivist", "archive_head"}
READERS = ALL - {"front_desk", "auditor", "admin"}
OWN_RECORD = {"staff", "supervisor", "cs1_head", "archivist", "archive_head", "auditor"}

# Who sets up storerooms, shelves and boxes (issue 19, item 8).
STORAGE_KEEPERS = {"archivist", "admin"}
PARTNER_READERS = {"archivist", "archive_head", "auditor"}
BATCH_READERS = {
    "archivist",
    "archive_head",
    "auditor",
    "supervisor",
    "cs2_supervisor",
    "cs1_head",
    "finance_head",
}
CS1_BATCH = {"archivist", "archive_head", "auditor", "supervisor", "cs1_head"}
DOSSIER_READERS = {
    "archivist",
    "archive_head",
    "supervisor",
    "cs2_supervisor",
    "auditor",
    "front_desk",
}
# Who reads the boxes: their labels, spines, stamps and note sheets.
BOX_READERS = {"archivist", "archive_head", "auditor", "admin"}

# name: (method, args key, who is let in)
MATRIX = {
    "archives:home": ("get", None, ALL),
    "archives:catalogue": ("get", None, ALL),
    # Actions on the catalogue's selection, and saved searches (issue 19, 20);
    # only its owner (staff) deletes a saved search.
    "archives:catalogue-selection": ("post", None, ALL),
    "archives:search-save": ("post", None, ALL),
    "archives:search-delete": ("post", "search", {"staff"}),
    # The customer picker: whoever may see customers.
    "archives:pick-customers": ("get", None, ALL - {"executive", "front_desk"}),
    "archives:record-choose-category": ("get", None, FILERS),
    "archives:record-create": ("get", "category", FILERS),
    "archives:record-list-mine": ("get", None, ALL),
    "archives:records-submit": ("post", None, ALL),
    "archives:record-detail": ("get", "record", OWN_RECORD),
    "archives:record-edit": ("get", "draft", {"staff"}),
    "archives:record-move": ("post", "record", {"archivist"}),
    # The custody and change history, opened on request, and the move form's
    # completions (issue 22).
    "archives:record-history": ("get", "record", OWN_RECORD),
    "archives:record-nearby-boxes": ("get", "record", {"archivist"}),
    # The archive corrects an accepted record's catalogue (issue 20, item 4).
    "archives:record-correct": ("get", "record", {"archivist"}),
    # The head of archives changes a record's confidentiality (issue 20, item 4).
    "archives:record-reclassify": ("get", "record", {"archive_head"}),
    # Related records are linked by the archive (issue 20, item 4).
    "archives:record-link": ("post", "record", ARCHIVE),
    "archives:record-unlink": ("post", "record_link", ARCHIVE),
    # Who may see a record reads its files in the browser (issue 18); only
    # the archive's roles take them out, downloaded or printed.
    "archives:file-read": ("get", "file", OWN_RECORD),
    "archives:file-page": ("get", "file_page", OWN_RECORD),
    "archives:file-stream": ("get", "media", OWN_RECORD),
    "archives:file-download": ("get", "file", ARCHIVE),
    "archives:file-print": ("get", "file", ARCHIVE),
    "archives:record-checks-pdf": ("get", "record", OWN_RECORD),
    # A file's long-term copy: as its original; asking again: the archivist.
    "archives:copy-download": ("get", "copy", ARCHIVE),
    "archives:copy-retry": ("post", "copy", {"archivist"}),
    "archives:review-queue": ("get", None, {"archivist"}),
    "archives:review-record": ("get", "submitted", {"archivist"}),
    "archives:review-accept": ("post", "submitted", {"archivist"}),
    "archives:review-accept-bulk": ("post", None, {"archivist"}),
    "archives:pick-boxes": ("get", None, {"archivist"}),
    "archives:review-return": ("post", "submitted", {"archivist"}),
    "archives:storeroom-list": (
        "get",
        None,
        {"archivist", "archive_head", "auditor", "admin"},
    ),
    "archives:box-detail": (
        "get",
        "box",
        {"archivist", "archive_head", "auditor", "admin"},
    ),
    "archives:box-label": (
        "get",
        "box",
        {"archivist", "archive_head", "auditor", "admin"},
    ),
    "archives:shelf-labels": (
        "get",
        "shelf",
        {"archivist", "archive_head", "auditor", "admin"},
    ),
    # DA/T 22 arrangement outputs (issue 20, item 3).
    "archives:box-stamps": ("get", "box", BOX_READERS),
    "archives:box-spine": ("get", "box", BOX_READERS),
    "archives:box-note": ("get", "box", STORAGE_KEEPERS),
    "archives:box-note-pdf": ("get", "box", BOX_READERS),
    "archives:shelf-spines": ("get", "shelf", BOX_READERS),
    "archives:record-stamp": ("get", "record", BOX_READERS),
    # The month-end hand-over (issue 20, item 2): CS1's batch.
    "archives:batch-list": ("get", None, BATCH_READERS),
    "archives:batch-detail": ("get", "batch", CS1_BATCH),
    "archives:batch-pdf": ("get", "batch", CS1_BATCH),
    "archives:batch-check": ("post", "batch", {"supervisor", "cs1_head"}),
    "archives:batch-hand-over": ("post", "batch", {"supervisor", "cs1_head"}),
    "archives:batch-item-return": ("post", "batch_item", {"supervisor", "cs1_head"}),
    "archives:batch-receive": ("post", "batch", {"archivist"}),
    # Owners' dossiers (issue 20, item 6): read by the desk and the archive;
    # kept by who keeps customers.
    "archives:dossier-list": ("get", None, DOSSIER_READERS),
    "archives:dossier-detail": ("get", "dossier", DOSSIER_READERS),
    "archives:owner-create": ("get", None, {"archivist", "admin"}),
    "archives:owner-edit": ("get", "dossier", {"archivist", "admin"}),
    "archives:family-add": ("post", "dossier", {"archivist", "admin"}),
    "archives:family-remove": ("post", "family_member", {"archivist", "admin"}),
    "archives:directory": ("get", None, {"archivist", "archive_head", "auditor"}),
    "archives:directory-pdf": ("get", None, {"archivist", "archive_head", "auditor"}),
    "archives:directory-xlsx": ("get", None, {"archivist", "archive_head", "auditor"}),
    "archives:storeroom-create": ("get", None, STORAGE_KEEPERS),
    "archives:storeroom-edit": ("get", "storeroom", STORAGE_KEEPERS),
    "archives:shelf-create": ("get", "storeroom", STORAGE_KEEPERS),
    "archives:shelf-edit": ("get", "shelf", STORAGE_KEEPERS),
    "archives:box-create": ("get", "shelf", STORAGE_KEEPERS),
    "archives:box-edit": ("get", "box", STORAGE_KEEPERS),
    "archives:box-empty": ("post", "box", STORAGE_KEEPERS),
    "archives:storeroom-entries": (
        "get",
        None,
        {"archivist", "archive_head", "auditor"},
    ),
    "archives:number-gaps": ("get", None, {"archivist", "archive_head", "auditor"}),
    # E-mail in (issue 18): e-mails dropped on the filing form are the
    # filer's; the mailboxes' page and its rules are the archivist's (the
    # administrator, who sets the mailboxes up, reads it too).
    "archives:record-from-mail": ("post", "category", FILERS),
    "archives:mail": ("get", None, {"archivist", "admin"}),
    "archives:mail-rule-delete": ("post", "mail_rule", {"archivist", "admin"}),
    "lending:my-requests": ("get", None, ALL),
    "lending:request-create": ("get", "viewing", READERS),
    "lending:request-detail": (
        "get",
        "viewing_request",
        {"finance_clerk", "finance_head", "archivist", "archive_head", "auditor"},
    ),
    "lending:request-pdf": (
        "get",
        "viewing_request",
        {"finance_clerk", "finance_head", "archivist", "archive_head", "auditor"},
    ),
    "lending:request-withdraw": ("post", "viewing_request", {"finance_clerk"}),
    "lending:request-hand-over": ("post", "viewing_request", {"archivist"}),
    "lending:request-return": ("post", "loan", {"archivist"}),
    "lending:request-extend": ("post", "loan", {"executive"}),
    # The effect of a use: the requester or the desk (issue 20, item 4).
    "lending:request-effect": (
        "post",
        "viewing_request",
        {"finance_clerk", "archivist"},
    ),
    "lending:step-decide": ("post", "pending_step", {"finance_head"}),
    "lending:step-fill": ("post", "pending_step", {"finance_head"}),
    "lending:request-catalogue": ("get", None, READERS),
    "lending:cart": ("get", None, READERS),
    "lending:cart-add": ("post", None, READERS),
    "lending:cart-remove": ("post", None, READERS),
    "lending:extension-decide": ("post", "extension", {"archive_head"}),
    "lending:approvals": ("get", None, ALL),
    "lending:desk": ("get", None, {"archivist"}),
    "lending:pull-list-pdf": ("get", None, {"archivist"}),
    "lending:scan": ("get", None, {"archivist"}),
    "lending:overdue-letter": ("get", "executive", {"archivist"}),
    "lending:register": ("get", "viewing", {"archivist", "archive_head", "auditor"}),
    "lending:register-pdf": (
        "get",
        "viewing",
        {"archivist", "archive_head", "auditor"},
    ),
    "lending:clearance-choose": ("get", None, ARCHIVE),
    "lending:clearance": ("get", "executive", ARCHIVE | {"executive"}),
    # Partners under a confidentiality agreement (issue 20, item 1).
    "lending:partner-list": ("get", None, PARTNER_READERS),
    "lending:partner-usage": ("get", None, PARTNER_READERS),
    "lending:partner-detail": ("get", "partner", PARTNER_READERS),
    "lending:agreement-file": ("get", "agreement", PARTNER_READERS),
    "lending:partner-create": ("get", None, {"archive_head"}),
    "lending:partner-edit": ("get", "partner", {"archive_head"}),
    "lending:partner-member-add": ("post", "partner", {"archive_head"}),
    "lending:agreement-register": ("post", "partner", {"archive_head"}),
    "lending:agreement-end": ("post", "agreement", {"archive_head"}),
    "lending:owner-list": (
        "get",
        None,
        {
            "front_desk",
            "supervisor",
            "cs2_supervisor",
            "archivist",
            "archive_head",
            "auditor",
        },
    ),
    "lending:owner-create": ("get", None, {"front_desk"}),
    "lending:owner-detail": (
        "get",
        "owner",
        {
            "front_desk",
            "supervisor",
            "cs2_supervisor",
            "archivist",
            "archive_head",
            "auditor",
        },
    ),
    "lending:owner-decide": ("post", "owner", {"supervisor", "cs2_supervisor"}),
    "lending:owner-reveal": ("post", "owner", {"front_desk", "archive_head"}),
    "lending:owner-viewing": ("post", "owner", {"archivist"}),
    "lending:owner-copy": ("post", "owner", {"archivist"}),
    "lending:owner-receipt": ("post", "owner", {"archivist"}),
    # The 复制专用 copy of an electronic record, printed for the owner.
    "lending:owner-copy-pdf": ("get", "owner_copy", {"archivist"}),
    "lending:owner-pdf": (
        "get",
        "owner",
        {
            "front_desk",
            "supervisor",
            "cs2_supervisor",
            "archivist",
            "archive_head",
            "auditor",
        },
    ),
    # Public: a bank or a court holding the copy checks it (issue 19, item 13).
    "lending:copy-verify": ("get", "code", set(PEOPLE)),
}


def _names(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_of_archives_and_lending_is_in_the_matrix():
    names = {
        n for n in _names(get_resolver()) if n.split(":")[0] in ("archives", "lending")
    }
    assert names - set(MATRIX) == set(), "add these URLs to the permission matrix"
    assert set(MATRIX) - names == set()


@pytest.fixture
def objects(world):
    return build_objects(world)


def build_objects(w) -> dict:
    """The requests, files and rules of ``objects``."""
    # Ten minutes ago, but today (a loan cannot start yesterday, just after
    # local midnight).
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(timezone.now() - datetime.timedelta(minutes=10), midnight)
    end = timezone.now() + datetime.timedelta(hours=3)
    due = timezone.localdate() + datetime.timedelta(days=1)
    while due.weekday() >= 5:
        due += datetime.timedelta(days=1)
    # A record with a file, archived: staff's own, department CS1.
    record = RecordFactory(
        created_by=w.staff, customer=w.own.customer, title="附件档案"
    )
    file_ingest(
        record=record,
        upload=SimpleUploadedFile("投诉录音.pdf", samples.pdf(), "application/pdf"),
        actor=w.staff,
    )
    records_submit(actor=w.staff, records=[record])
    record = record_accept(actor=w.archivist, record=record, box=w.own.box)
    copy = PreservationCopy.objects.create(source=record.files.get())
    # A call recording of the same customer, filed and accepted the same way.
    recording = RecordFactory(
        created_by=w.staff, customer=w.own.customer, title="通话录音"
    )
    file_ingest(
        record=recording,
        upload=SimpleUploadedFile("通话.mp3", samples.mp3(), "audio/mpeg"),
        actor=w.staff,
    )
    records_submit(actor=w.staff, records=[recording])
    recording = record_accept(actor=w.archivist, record=recording, box=w.own.box)
    preserve_file(copy.pk)  # a PDF with text: pikepdf alone, well under a second
    submitted = RecordFactory(created_by=w.staff)
    records_submit(actor=w.staff, records=[submitted])
    draft = RecordFactory(created_by=w.staff)
    # finance_clerk's viewing: approved, waiting to be handed over.
    viewing = access_request_create(
        requester=w.finance_clerk,
        kind="viewing",
        numbers=w.other_own.number,
        purpose="核对",
        starts_at=start,
        ends_at=end,
    )
    for step, person in zip(
        viewing.steps.all(), (w.finance_head, w.archive_head), strict=True
    ):
        step_decide(step_id=step.pk, actor=person, approve=True)
    # A second viewing by finance_clerk, waiting for finance_head.
    pending = access_request_create(
        requester=w.finance_clerk,
        kind="viewing",
        numbers=w.cs2_record.number,
        purpose="核对",
        starts_at=start,
        ends_at=end,
    )
    # The executive's loan: out, with an extension asked.
    loan = access_request_create(
        requester=w.executive,
        kind="lending",
        numbers=w.own.number,
        purpose="董事会材料",
        starts_at=start,
        due_on=due,
    )
    step_decide(step_id=loan.steps.get().pk, actor=w.archive_head, approve=True)
    loan.refresh_from_db()
    hand_over(access_request=loan, actor=w.archivist, receiver_confirmed=True)
    loan.refresh_from_db()
    extension = extension_request(
        access_request=loan,
        actor=w.executive,
        reason="会议延期",
        new_due_on=due + datetime.timedelta(days=1 if due.weekday() < 4 else 3),
    )
    owner = owner_services.owner_request_register(actor=w.front_desk, data=owner_data())
    other_owner = owner_services.owner_request_register(
        actor=w.front_desk, data=owner_data()
    )
    owner_services.owner_request_decide(
        owner_request=other_owner, actor=w.supervisor, approve=True
    )
    owner_services.owner_viewing_record(
        owner_request=other_owner, actor=w.archivist, numbers=w.cs2_record.number
    )
    file_ingest(
        record=w.cs2_record,
        upload=SimpleUploadedFile("登记表.pdf", samples.pdf(), "application/pdf"),
        actor=w.archivist,
    )
    owner_services.copy_decide(
        owner_request=other_owner,
        actor=w.archivist,
        record=w.cs2_record,
        pages=1,
        allowed=True,
    )
    receipt = owner_services.receipt_issue(
        owner_request=other_owner, actor=w.archivist, owner_signed=True
    )
    rule = mailbox_with_rule(assignee=w.archivist).rules.get()
    link = record_link(actor=w.archivist, record=record, number=w.cs2_record.number)
    dossier = owner_save(
        actor=w.archivist,
        owner=None,
        data={"code": "YZ-1", "name": "陈业主", "room": "3栋1201"},
    )
    member = family_member_add(
        actor=w.archivist, owner=dossier, name="陈小明", relation="child"
    )
    # A batch of CS1, whose supervisor checks its submissions first.
    w.cs1.batch_check = True
    w.cs1.save()
    held = RecordFactory(created_by=w.staff, title="待主管检查")
    records_submit(actor=w.staff, records=[held])
    w.cs1.batch_check = False
    w.cs1.save()
    partner = partner_save(
        actor=w.archive_head,
        partner=None,
        data={"code": "P01", "name": "华信律师事务所", "department": w.cs1},
    )
    agreement = agreement_register(
        actor=w.archive_head,
        partner=partner,
        number="BM-1",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
        records=[w.own],
        signed_file=SimpleUploadedFile(
            "保密协议.pdf", samples.pdf(), "application/pdf"
        ),
    )
    return {
        "partner": [partner.pk],
        "agreement": [agreement.pk],
        "batch": [held.handover_item.batch_id],
        "batch_item": [held.handover_item.pk],
        "dossier": [dossier.pk],
        "family_member": [member.pk],
        "record_link": [link.pk],
        "category": ["GT"],
        "mail_rule": [rule.pk],
        "record": [record.pk],
        "draft": [draft.pk],
        "file": [record.files.get().pk],
        "copy": [copy.pk],
        "file_page": [record.files.get().pk, 1],
        "media": [recording.files.get().pk],
        "submitted": [submitted.pk],
        "box": [record.box_id],
        "shelf": [Shelf.objects.get(boxes=record.box).pk],
        "storeroom": [Shelf.objects.get(boxes=record.box).storeroom_id],
        "search": [
            SavedSearch.objects.create(owner=w.staff, name="投诉", query="q=投诉").pk
        ],
        "viewing": [Kind.VIEWING],
        "viewing_request": [viewing.pk],
        "loan": [loan.pk],
        "pending_step": [pending.steps.first().pk],
        "extension": [extension.pk],
        "executive": [w.executive.pk],
        "owner": [owner.pk],
        "code": [receipt.code],
        "owner_copy": [other_owner.pk, w.cs2_record.pk],
    }


def _outcome(client, method, url) -> str:
    response = getattr(client, method)(url)
    status = response.status_code
    if status in (401, 403, 404, 405):
        return "deny"
    if status == 302 and "/accounts/login/" in response["Location"]:
        return "deny"
    assert status in (200, 302, 400), (url, status)
    return "allow"


def unexpected_outcomes(client, world, matrix, objects) -> list[str]:
    """Each URL of ``matrix`` as each person: the answers the matrix does not
    expect (an allow where it says deny, or the other way round)."""
    unexpected = []
    for name, (method, key, allowed) in matrix.items():
        url = reverse(name, args=objects[key] if key else [])
        for who in PEOPLE:
            client.logout()
            if who != "anonymous":
                client.force_login(getattr(world, who))
            got = _outcome(client, method, url)
            want = "allow" if who in allowed else "deny"
            if got != want:
                unexpected.append(f"{name} as {who}: {got}, expected {want}")
    return unexpected


def test_each_role_gets_exactly_what_the_matrix_says(client, world, objects):
    unexpected = unexpected_outcomes(client, world, MATRIX, objects)
    assert unexpected == [], "\n".join(unexpected)


def test_a_grant_opens_the_record_only_inside_its_window(client, world):
    w = world
    day = timezone.localdate() + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(9), tz)
    end = datetime.datetime.combine(day, datetime.time(17), tz)
    viewing = access_request_create(
        requester=w.finance_clerk,
        kind="viewing",
        numbers=w.own.number,
        purpose="核对",
        starts_at=start,
        ends_at=end,
    )
    client.force_login(w.finance_clerk)
    page = reverse("archives:record-detail", args=[w.own.pk])
    catalogue = reverse("archives:catalogue")

    def can_see():
        listed = w.own.number in client.get(catalogue).content.decode()
        opened = client.get(page).status_code == 200
        assert listed == opened
        return opened

    assert not can_see()  # asked, not approved
    for step, person in zip(
        viewing.steps.all(), (w.finance_head, w.archive_head), strict=True
    ):
        step_decide(step_id=step.pk, actor=person, approve=True)
    assert not can_see()  # approved, the window has not begun
    with time_machine.travel(start + datetime.timedelta(minutes=1)):
        client.force_login(w.finance_clerk)
        assert can_see()
        assert (
            client.get(
                reverse("archives:record-detail", args=[w.other_own.pk])
            ).status_code
            == 404
        )
    with time_machine.travel(end + datetime.timedelta(minutes=1)):
        client.force_login(w.finance_clerk)
        assert not can_see()  # past its end, before the daily task
        daily_run()
        assert not can_see()
