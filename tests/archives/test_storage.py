"""Storage: labels as PDF, the entry log, moving boxes, the gap report."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from archives.models import ArchiveRecord
from archives.models import CustodyEvent
from archives.models import NumberSequence
from archives.selectors import number_gaps
from archives.services.records import record_accept
from archives.services.records import records_submit
from archives.services.storage import record_move_to_box
from archives.services.storage import storeroom_entry_record
from tests.factories import BoxFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "label.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def filled_box(staff, archivist, gt_box):
    for day in (1, 1, 2):
        record = RecordFactory(
            created_by=staff, date_formed=datetime.date(2023, 1, day)
        )
        records_submit(actor=staff, records=[record])
        record_accept(actor=archivist, record=record, box=gt_box)
    return gt_box


def test_box_label_pdf_shows_category_year_range_in_chinese(
    client, archivist, filled_box, tmp_path
):
    client.get("/")  # any request; language comes from the cookie below
    client.cookies["django_language"] = "zh-hans"
    client.force_login(archivist)
    response = client.get(reverse("archives:box-label", args=[filled_box.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "客服沟通记录档案" in text
    assert "年度：2023" in text
    assert "GT20230101001 — GT20230102001" in text
    assert "件数：3" in text
    assert filled_box.code in text
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "label.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "WenQuanYi" in fonts or "ArchiveCJK" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if "CID" in line)


def test_shelf_labels_list_the_shelf_range_then_each_box(
    client, archivist, filled_box, tmp_path
):
    client.force_login(archivist)
    response = client.get(reverse("archives:shelf-labels", args=[filled_box.shelf.pk]))
    text = _pdf_text(response.content, tmp_path)
    assert f"Shelf {filled_box.shelf.code}" in text
    assert "Numbers: GT20230101001 — GT20230102001" in text
    assert "Boxes: 1" in text


def test_staff_cannot_print_labels(client, staff, filled_box):
    client.force_login(staff)
    response = client.get(reverse("archives:box-label", args=[filled_box.pk]))
    assert response.status_code == 403


def test_entry_log_only_for_authorised_people(archivist, gt_box):
    room = gt_box.shelf.storeroom
    outsider = UserFactory(display_name="外来人员")
    with pytest.raises(ValidationError) as refused:
        storeroom_entry_record(
            actor=archivist, storeroom=room, person=outsider, reason="取档"
        )
    assert refused.value.message_dict["person"] == [
        f"外来人员 is not authorised to enter {room.name}."
    ]
    room.authorised.add(archivist)
    entry = storeroom_entry_record(
        actor=archivist, storeroom=room, person=archivist, reason="上架新档案"
    )
    assert entry.reason == "上架新档案"
    assert entry.entered_at <= timezone.now()


def test_entry_log_page_keeps_the_form_on_error(client, archivist, gt_box):
    client.force_login(archivist)
    response = client.post(
        reverse("archives:storeroom-entries"),
        {
            "storeroom": gt_box.shelf.storeroom.pk,
            "person": archivist.pk,
            "reason": "温湿度检查",
        },
    )
    assert response.status_code == 400
    assert "is not authorised to enter" in response.content.decode()
    assert "温湿度检查" in response.content.decode()


def test_cs_staff_cannot_keep_the_entry_log(staff, gt_box):
    with pytest.raises(PermissionDenied, match="You may not keep the entry log"):
        storeroom_entry_record(
            actor=staff, storeroom=gt_box.shelf.storeroom, person=staff, reason="x"
        )


def test_moving_a_record_keeps_the_custody_chain(archivist, filled_box):
    record = filled_box.records.first()
    other = BoxFactory(code="GT-2023-002", shelf=filled_box.shelf)
    record_move_to_box(actor=archivist, record=record, box=other, note="整理")
    kinds = list(
        CustodyEvent.objects.filter(record=record)
        .order_by("at", "pk")
        .values_list("kind", "from_box", "to_box")
    )
    assert kinds == [
        ("shelved", None, filled_box.pk),
        ("moved", filled_box.pk, other.pk),
    ]


def test_gap_report_names_missing_numbers(filled_box):
    assert number_gaps() == []
    NumberSequence.objects.filter(prefix="GT20230101").update(last_value=4)
    lost = ArchiveRecord.objects.get(number="GT20230101001")
    CustodyEvent.objects.filter(record=lost).delete()
    lost.delete()  # what a gap means: data lost outside the application
    gaps = number_gaps()
    assert [(g.prefix, g.missing) for g in gaps] == [("GT20230101", [1, 3, 4])]


def test_moving_through_the_record_page(client, archivist, staff, filled_box):
    record = filled_box.records.first()
    other = BoxFactory(code="GT-2023-009", shelf=filled_box.shelf)
    elsewhere = BoxFactory(code="GT-2023-077")  # another shelf
    client.force_login(staff)
    url = reverse("archives:record-move", args=[record.pk])
    assert client.post(url, {"box": other.code}).status_code == 403
    client.force_login(archivist)
    page = client.get(record.get_absolute_url()).content.decode()
    nearby = reverse("archives:record-nearby-boxes", args=[record.pk])
    assert f'hx-get="{nearby}"' in page  # asked for when the field is focused
    suggested = client.get(nearby, HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="GT-2023-009">' in suggested  # same shelf
    assert elsewhere.code not in suggested
    assert f'"{filled_box.code}"' not in suggested  # not the box it is in
    kh_box = BoxFactory(
        code="KH-X", category=record.category.__class__.objects.get(code="KH")
    )
    refused = client.post(url, {"box": kh_box.code, "note": "整理"})
    assert refused.status_code == 400
    assert "整理" in refused.content.decode()  # the note typed is kept
    assert "Box KH-X holds KH records." in refused.content.decode()
    unknown = client.post(url, {"box": "GT-NOPE", "note": "整理"})
    assert unknown.status_code == 400
    assert "No box has the code GT-NOPE." in unknown.content.decode()
    assert 'value="GT-NOPE"' in unknown.content.decode()  # what was typed is kept
    response = client.post(url, {"box": other.code, "note": "整理"}, follow=True)
    assert "Moved to box GT-2023-009." in response.content.decode()
    record.refresh_from_db()
    assert record.box == other


@pytest.mark.parametrize(
    ("url_name", "role"),
    [
        ("archives:storeroom-list", "archivist"),
        ("archives:review-queue", "archivist"),
        ("archives:record-list-mine", "cs_staff"),
        ("archives:storeroom-entries", "archivist"),
    ],
)
def test_list_pages_do_not_query_per_row(
    client, staff, archivist, django_assert_max_num_queries, url_name, role
):
    """Twelve boxes with records and twelve submissions cost what one would."""
    shelf = BoxFactory().shelf
    for index in range(12):
        box = BoxFactory(shelf=shelf, code=f"GT-2023-{index:03d}")
        record = RecordFactory(created_by=staff)
        records_submit(actor=staff, records=[record])
        if index % 2:
            record_accept(actor=archivist, record=record, box=box)
    client.force_login(staff if role == "cs_staff" else archivist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_the_gap_report_writes_out_the_missing_numbers(client, archivist, filled_box):
    """Issue 19, item 9: 'GT20230101002', not 'sequence GT20230101: 2'."""
    NumberSequence.objects.filter(prefix="GT20230101").update(last_value=4)
    NumberSequence.objects.create(prefix="GT20230105", last_value=2)  # all lost
    gaps = {g.prefix: g.numbers for g in number_gaps()}
    assert gaps == {
        "GT20230101": ["GT20230101003", "GT20230101004"],
        "GT20230105": ["GT20230105001", "GT20230105002"],
    }
    client.force_login(archivist)
    page = client.get(reverse("archives:number-gaps")).content.decode()
    assert "GT20230101003, GT20230101004" in page
