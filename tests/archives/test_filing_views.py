"""Filing through the browser: bad input is explained and nothing is lost."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from archives.models import ArchiveRecord
from tests import samples
from tests.factories import CustomerFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory
from tests.factories import subcode


@pytest.fixture
def form_data(staff):
    return {
        "title": "客户来电咨询安装",
        "subcode_channel": subcode("GT", "channel", "DH").pk,
        "customer": CustomerFactory().pk,
        "date_formed": "2023-01-01",
        "source_department": staff.department.pk,
        "responsible_person": staff.pk,
        "carrier": "electronic",
        "page_count": "2",
        "confidentiality": "internal",
        "keywords": "安装",
        "description": "来电记录",
    }


def _post(client, data, files=None):
    payload = dict(data)
    if files is not None:
        payload["files"] = files
    return client.post(reverse("archives:record-create", args=["GT"]), payload)


def test_a_draft_with_files_is_saved(client, staff, form_data):
    client.force_login(staff)
    response = _post(
        client,
        form_data,
        [
            SimpleUploadedFile("通话录音.mp3", samples.mp3(), "audio/mpeg"),
            SimpleUploadedFile("聊天记录.txt", "你好".encode(), "text/plain"),
        ],
    )
    record = ArchiveRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert sorted(record.files.values_list("original_name", flat=True)) == [
        "聊天记录.txt",
        "通话录音.mp3",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("date_formed", "2999-01-01", "The date formed cannot be in the future."),
        ("subcode_channel", "", "This field is required."),
    ],
)
def test_bad_fields_are_named_and_typed_values_kept(
    client, staff, form_data, field, value, message
):
    client.force_login(staff)
    form_data[field] = value
    response = _post(client, form_data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert "Nothing you typed has been lost" in html
    assert "来电记录" in html  # the description survives
    assert not ArchiveRecord.objects.exists()


@override_settings(ARCHIVE_MAX_UPLOAD_BYTES=10)
def test_oversized_and_empty_files_are_refused_and_nothing_is_written(
    client, staff, form_data
):
    client.force_login(staff)
    response = _post(
        client,
        form_data,
        [
            SimpleUploadedFile("大文件.pdf", b"x" * 11, "application/pdf"),
            SimpleUploadedFile("空.pdf", b"", "application/pdf"),
        ],
    )
    errors = response.context["form"].errors["files"]
    assert "“大文件.pdf” is 11\xa0bytes; files may be at most 10\xa0bytes." in errors
    assert any("空.pdf" in e for e in errors)
    assert not ArchiveRecord.objects.exists()


def test_a_file_type_not_accepted_is_named(client, staff, form_data):
    client.force_login(staff)
    response = _post(
        client,
        form_data,
        [SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")],
    )
    assert (
        response.context["form"]
        .errors["files"][0]
        .startswith("“run.exe”: files of this type are not accepted")
    )


def test_a_name_with_path_parts_never_leaves_the_record_folder(
    client, staff, form_data
):
    client.force_login(staff)
    _post(
        client,
        form_data,
        [SimpleUploadedFile("../../etc/passwd.txt", b"root", "text/plain")],
    )
    stored = ArchiveRecord.objects.get().files.get()
    assert stored.original_name == "passwd.txt"
    assert stored.file.name.startswith(f"incoming/{stored.record_id}/")
    assert ".." not in stored.file.name


def test_the_service_refuses_path_parts_for_callers_without_a_browser(staff):
    from archives.services.files import check_upload_name
    from core.errors import ArchiveError

    with pytest.raises(ArchiveError) as refused:
        check_upload_name("../secret.pdf")
    assert "may not contain folders or path parts" in refused.value.message


def test_submitting_many_from_my_submissions(client, staff):
    drafts = [RecordFactory(created_by=staff) for _ in range(2)]
    client.force_login(staff)
    response = client.post(
        reverse("archives:records-submit"),
        {"record": [d.pk for d in drafts]},
        follow=True,
    )
    assert "2 record(s) sent to the archivist." in response.content.decode()
    assert set(ArchiveRecord.objects.values_list("status", flat=True)) == {"submitted"}


def test_others_cannot_submit_or_edit_my_draft(client, staff):
    draft = RecordFactory(created_by=staff)
    colleague = UserFactory(role="cs_supervisor", department=staff.department)
    client.force_login(colleague)
    client.post(reverse("archives:records-submit"), {"record": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert (
        client.get(reverse("archives:record-edit", args=[draft.pk])).status_code == 404
    )


def test_files_are_read_by_who_may_see_the_record_and_downloaded_by_right(
    client, staff, archivist, form_data
):
    """Issue 18: the filer reads the file in the browser but does not take
    it out; the archivist downloads it; a colleague gets nothing."""
    client.force_login(staff)
    _post(client, form_data, [SimpleUploadedFile("记录.txt", b"secret", "text/plain")])
    record_file = ArchiveRecord.objects.get().files.get()
    url = reverse("archives:file-download", args=[record_file.pk])
    read = reverse("archives:file-read", args=[record_file.pk])
    assert client.get(read).status_code == 200
    page = client.get(reverse("archives:file-page", args=[record_file.pk, 1]))
    assert page.status_code == 200 and page["Content-Type"] == "image/jpeg"
    assert client.get(url).status_code == 403
    client.force_login(archivist)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"
    client.force_login(UserFactory(role="cs_staff"))
    assert client.get(read).status_code == 404
    assert client.get(url).status_code == 404


def test_review_return_and_accept_through_the_pages(client, staff, archivist, gt_box):
    record = RecordFactory(created_by=staff, date_formed=datetime.date(2023, 1, 1))
    from archives.services.records import records_submit

    records_submit(actor=staff, records=[record])
    client.force_login(archivist)
    page = client.get(reverse("archives:review-record", args=[record.pk]))
    assert page.context["number_preview"] == "GT20230101001"
    empty = client.post(reverse("archives:review-return", args=[record.pk]), {})
    assert empty.status_code == 400
    client.post(
        reverse("archives:review-return", args=[record.pk]), {"reason": "缺少签字"}
    )
    record.refresh_from_db()
    assert record.status == "returned"
    records_submit(actor=staff, records=[record])
    client.post(reverse("archives:review-accept", args=[record.pk]), {"box": gt_box.pk})
    record.refresh_from_db()
    assert (record.status, record.number) == ("archived", "GT20230101001")


def test_staff_cannot_reach_the_review_queue(client, staff):
    client.force_login(staff)
    assert client.get(reverse("archives:review-queue")).status_code == 403


def test_filers_see_an_example_number_and_deadlines_in_days(client, staff):
    """Issue 19, item 14: not the raw pattern KH{industry}{seq:3}, and not
    '168 hours' where a week is meant."""
    client.force_login(staff)
    page = client.get(reverse("archives:record-choose-category")).content.decode()
    assert "{seq:3}" not in page and "{industry}" not in page
    assert "<code>KHZZ001</code>" in page
    today = timezone.localdate()
    assert f"<code>GT{today:%Y%m%d}001</code>" in page
    assert "Submit within 7 days" in page  # PX: 168 hours
    assert "Submit within 24 hours" in page  # TS stays in hours


def test_the_review_page_warns_when_retention_has_already_ended(
    client, staff, archivist
):
    """Issue 19, item 7 (part): accepting it makes it due for appraisal at once."""
    from archives.services.records import disposal_due
    from archives.services.records import records_submit
    from tests.factories import RecordFactory

    old = RecordFactory(created_by=staff, date_formed=datetime.date(2015, 1, 1))
    new = RecordFactory(created_by=staff, date_formed=timezone.localdate())
    records_submit(actor=staff, records=[old, new])
    client.force_login(archivist)
    page = client.get(reverse("archives:review-record", args=[old.pk])).content.decode()
    ended = disposal_due(old)
    assert ended is not None and ended < timezone.localdate()
    assert f"Its retention ended on {ended:%Y-%m-%d}" in page
    page = client.get(reverse("archives:review-record", args=[new.pk])).content.decode()
    assert 'data-testid="disposal-passed"' not in page
