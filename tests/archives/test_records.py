"""Filing, submitting, returning and accepting records (SPEC §3)."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import CustodyEvent
from archives.services.records import record_accept
from archives.services.records import record_create
from archives.services.records import record_return
from archives.services.records import record_update
from archives.services.records import records_submit
from core.errors import ArchiveError
from tests import samples
from tests.factories import CustomerFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory
from tests.factories import subcode

Status = ArchiveRecord.Status


def _data(**overrides):
    data = {
        "title": "客户来电投诉送货延迟",
        "customer": CustomerFactory(),
        "date_formed": datetime.date(2023, 1, 1),
        "carrier": ArchiveRecord.Carrier.PAPER,
        "page_count": 2,
        "confidentiality": ArchiveRecord.Confidentiality.INTERNAL,
        "keywords": "送货 延迟",
    }
    data.update(overrides)
    return data


def test_a_gt_draft_is_created_with_its_channel(staff):
    gt = Category.objects.get(code="GT")
    record = record_create(
        actor=staff,
        category=gt,
        data=_data(),
        subcodes={"channel": subcode("GT", "channel", "DH")},
    )
    assert record.status == Status.DRAFT
    assert record.source_department == staff.department
    assert record.responsible_person == staff
    assert [s.code for s in record.subcodes.all()] == ["DH"]
    assert record.number is None


def test_missing_customer_future_date_and_missing_channel_are_named(staff, today):
    gt = Category.objects.get(code="GT")
    with pytest.raises(ValidationError) as refused:
        record_create(
            actor=staff,
            category=gt,
            data=_data(customer=None, date_formed=today + datetime.timedelta(days=1)),
            subcodes={},
        )
    errors = refused.value.message_dict
    assert errors["date_formed"] == ["The date formed cannot be in the future."]
    assert "must name its customer" in errors["customer"][0]
    assert not ArchiveRecord.objects.exists()


def test_channel_is_checked_too_once_fields_are_right(staff):
    gt = Category.objects.get(code="GT")
    with pytest.raises(ValidationError) as refused:
        record_create(actor=staff, category=gt, data=_data(), subcodes={})
    assert refused.value.message_dict == {"subcode_channel": ["Choose a Channel."]}


def test_a_person_without_the_filing_role_cannot_file(archivist, db):
    from tests.factories import UserFactory

    front_desk = UserFactory(role="front_desk")
    with pytest.raises(PermissionDenied, match="You may not file records"):
        record_create(
            actor=front_desk,
            category=Category.objects.get(code="GT"),
            data=_data(),
            subcodes={"channel": subcode("GT", "channel", "DH")},
        )


def test_return_then_correct_then_accept(staff, archivist, gt_box):
    record = RecordFactory(created_by=staff)
    records_submit(actor=staff, records=[record])
    record_return(actor=archivist, record=record, reason="缺少客户签字页")
    record.refresh_from_db()
    assert record.status == Status.RETURNED
    assert record.reviews.get().reason == "缺少客户签字页"

    record_update(
        actor=staff,
        record=record,
        data={"page_count": 3, "title": record.title},
        subcodes={"channel": subcode("GT", "channel", "YJ")},
    )
    records_submit(actor=staff, records=[record])
    record = record_accept(actor=archivist, record=record, box=gt_box)
    assert record.status == Status.ARCHIVED
    assert record.number == "GT20230101001"
    assert record.box == gt_box
    assert record.disposal_due_on == datetime.date(2026, 1, 1)
    event = CustodyEvent.objects.get(record=record)
    assert (event.kind, event.to_box, event.actor) == ("shelved", gt_box, archivist)
    statuses = [h.status for h in record.history.order_by("history_date", "pk")]
    moves = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
    assert moves == ["draft", "submitted", "returned", "submitted", "archived"]


def test_returning_needs_a_reason(staff, archivist):
    record = RecordFactory(created_by=staff)
    records_submit(actor=staff, records=[record])
    with pytest.raises(ValidationError) as refused:
        record_return(actor=archivist, record=record, reason="  ")
    assert refused.value.message_dict == {"reason": ["Say what must be corrected."]}


def test_statuses_only_move_along_the_allowed_paths(staff, archivist, gt_box):
    record = RecordFactory(created_by=staff)
    with pytest.raises(ArchiveError) as refused:
        record_accept(actor=archivist, record=record, box=gt_box)
    assert "Only submitted records can be accepted" in refused.value.message
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record, box=gt_box)
    with pytest.raises(ArchiveError) as refused:
        record_return(actor=archivist, record=record, reason="x")
    assert refused.value.message == (
        "A record that is “Archived” cannot become “Returned for correction”."
    )


def test_an_archived_record_can_no_longer_be_edited(staff, archivist, gt_box):
    record = RecordFactory(created_by=staff)
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record, box=gt_box)
    with pytest.raises(ArchiveError, match="can no longer be changed"):
        record_update(actor=staff, record=record, data={"title": "改"}, subcodes={})


def test_nobody_accepts_what_they_filed_themselves(archivist, gt_box):
    record = RecordFactory(created_by=archivist)
    records_submit(actor=archivist, records=[record])
    with pytest.raises(
        PermissionDenied, match="You cannot accept a record you filed yourself"
    ):
        record_accept(actor=archivist, record=record, box=gt_box)


def test_paper_needs_a_box_of_its_own_category(staff, archivist):
    from tests.factories import BoxFactory

    record = RecordFactory(created_by=staff)
    records_submit(actor=staff, records=[record])
    with pytest.raises(ValidationError) as refused:
        record_accept(actor=archivist, record=record, box=None)
    assert refused.value.message_dict == {
        "box": ["Choose the box for the paper record."]
    }
    kh_box = BoxFactory(code="KH-1", category=Category.objects.get(code="KH"))
    with pytest.raises(ValidationError) as refused:
        record_accept(actor=archivist, record=record, box=kh_box)
    assert refused.value.message_dict == {"box": ["Box KH-1 holds KH records."]}


def test_many_drafts_are_submitted_at_once(staff):
    drafts = [RecordFactory(created_by=staff) for _ in range(3)]
    records_submit(actor=staff, records=drafts)
    assert set(ArchiveRecord.objects.values_list("status", flat=True)) == {
        Status.SUBMITTED
    }


def test_a_complaint_submitted_after_24_hours_is_flagged_late(staff):
    ts = Category.objects.get(code="TS")
    with time_machine.travel(datetime.datetime(2023, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        record = record_create(
            actor=staff,
            category=ts,
            data=_data(
                date_formed=datetime.date(2023, 3, 1),
                received_at=datetime.datetime(2023, 3, 1, 8, 0, tzinfo=datetime.UTC),
            ),
            subcodes={
                "nature": subcode("TS", "nature", "ZL"),
                "status": subcode("TS", "status", "WC"),
            },
        )
    on_time = RecordFactory(
        created_by=staff, category=ts, codes={"nature": "TD", "status": "WC"}
    )
    on_time.received_at = datetime.datetime(2023, 3, 2, 8, 0, tzinfo=datetime.UTC)
    on_time.submission_due_at = on_time.received_at + datetime.timedelta(hours=24)
    on_time.save()
    with time_machine.travel(datetime.datetime(2023, 3, 2, 9, 0, tzinfo=datetime.UTC)):
        records_submit(actor=staff, records=[record, on_time])
    record.refresh_from_db()
    on_time.refresh_from_db()
    assert record.submission_due_at == datetime.datetime(
        2023, 3, 2, 8, 0, tzinfo=datetime.UTC
    )
    assert record.submitted_late is True
    assert on_time.submitted_late is False


def test_an_electronic_record_without_files_cannot_be_submitted(staff):
    record = RecordFactory(created_by=staff, carrier=ArchiveRecord.Carrier.ELECTRONIC)
    with pytest.raises(ArchiveError) as refused:
        records_submit(actor=staff, records=[record])
    assert "needs at least one file" in refused.value.message


def test_files_move_to_their_archive_folder_with_the_regulation_name(
    staff, archivist, django_capture_on_commit_callbacks
):
    gt = Category.objects.get(code="GT")
    upload = SimpleUploadedFile(
        "录音记录.pdf", samples.pdf("录音记录"), "application/pdf"
    )
    record = record_create(
        actor=staff,
        category=gt,
        data=_data(title="客户来电: 投诉/建议", carrier="electronic"),
        subcodes={"channel": subcode("GT", "channel", "DH")},
        uploads=[upload],
    )
    record_file = record.files.get()
    incoming = record_file.file.name
    assert incoming.startswith(f"incoming/{record.pk}/")
    assert record_file.sha256 == hashlib.sha256(samples.pdf("录音记录")).hexdigest()
    records_submit(actor=staff, records=[record])
    with django_capture_on_commit_callbacks(execute=True):
        record_accept(actor=archivist, record=record)
    record_file.refresh_from_db()
    assert record_file.file.name == (
        "GT/GT20230101001/GT20230101001客户来电 投诉建议20230101.pdf"
    )
    assert storages["default"].open(record_file.file.name).read() == samples.pdf(
        "录音记录"
    )
    assert storages["backup"].open(record_file.file.name).read() == samples.pdf(
        "录音记录"
    )
    assert not storages["default"].exists(incoming)


def test_a_file_left_by_a_rolled_back_acceptance_does_not_rename_the_next(
    staff, archivist
):
    """The leftover copy of a failed acceptance is replaced, not kept beside."""
    leftover = "GT/GT20230101001/GT20230101001客户来电20230101.txt"
    storages["default"].save(leftover, ContentFile(b"stale"))
    gt = Category.objects.get(code="GT")
    record = record_create(
        actor=staff,
        category=gt,
        data=_data(title="客户来电", carrier="electronic"),
        subcodes={"channel": subcode("GT", "channel", "DH")},
        uploads=[SimpleUploadedFile("a.txt", b"fresh", "text/plain")],
    )
    records_submit(actor=staff, records=[record])
    record_accept(actor=archivist, record=record)
    stored = record.files.get()
    assert stored.file.name == leftover
    assert storages["default"].open(leftover).read() == b"fresh"


def test_someone_in_no_department_is_asked_where_the_record_comes_from(db):
    """Found by typing the services (issue 16, item 5): the record's
    department fell back to the filer's, and a filer in none got a server
    error from the database instead of a message."""
    loner = UserFactory(role="cs_staff", department=None)
    gt = Category.objects.get(code="GT")
    with pytest.raises(ValidationError) as refused:
        record_create(
            actor=loner,
            category=gt,
            data=_data(),
            subcodes={"channel": subcode("GT", "channel", "DH")},
        )
    assert refused.value.message_dict == {
        "source_department": [
            "Choose the department the record comes from: you belong to none."
        ]
    }
    assert not ArchiveRecord.objects.filter(created_by=loner).exists()


def test_the_filer_is_told_when_a_record_is_accepted_or_returned(
    staff, archivist, gt_box
):
    """Issue 19, item 12."""
    accepted = RecordFactory(created_by=staff, title="客户来电咨询")
    returned = RecordFactory(created_by=staff, title="邮件投诉")
    records_submit(actor=staff, records=[accepted, returned])
    record_accept(actor=archivist, record=accepted, box=gt_box)
    record_return(actor=archivist, record=returned, reason="缺少客户编号")
    accepted.refresh_from_db()
    told = {n.key: str(n) for n in staff.notifications.all()}
    assert told == {
        "record_accepted": f"“客户来电咨询” was accepted into the archive as "
        f"{accepted.number}.",
        "record_returned": "“邮件投诉” was returned for correction: 缺少客户编号",
    }
