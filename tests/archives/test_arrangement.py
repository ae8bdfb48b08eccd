"""DA/T 22 arrangement (issue 20, item 3): a box holds one year and one
retention period; filing stamps, box spines, the box's note sheet and the
filing directory, as PDF (read back with pdftotext) and Excel."""

from __future__ import annotations

import datetime
import io
import subprocess

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from archives.models import ArchiveRecord
from archives.services.records import record_accept
from archives.services.records import records_submit
from archives.services.storage import box_note_save
from audit.models import AuditEntry
from tests.factories import BoxFactory
from tests.factories import RecordFactory

pytestmark = pytest.mark.usefixtures("reference_data")
FONDS = override_settings(ARCHIVE_FONDS_NUMBER="Z109")


def _text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout


def _submitted(world, **fields):
    record = RecordFactory(
        created_by=world.staff, customer=world.own.customer, **fields
    )
    records_submit(actor=world.staff, records=[record])
    return record


def test_a_box_holds_one_year_and_one_retention_period(world):
    later = _submitted(world, date_formed=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="holds records of 2023"):
        record_accept(actor=world.archivist, record=later, box=world.own.box)
    permanent = _submitted(world, involves_major_decision=True)
    with pytest.raises(ValidationError, match="A box holds one retention period"):
        record_accept(actor=world.archivist, record=permanent, box=world.own.box)
    own_box = BoxFactory(code="GT-2023-009", shelf=world.own.box.shelf)
    record_accept(actor=world.archivist, record=permanent, box=own_box)
    with override_settings(ARCHIVE_BOX_ONE_YEAR_AND_PERIOD=False):
        record_accept(actor=world.archivist, record=later, box=world.own.box)


@FONDS
def test_stamps_and_spines_print_what_the_rule_asks(client, world, tmp_path):
    box = world.own.box
    client.force_login(world.archivist)
    stamps = _text(
        client.get(reverse("archives:box-stamps", args=[box.pk])).content, tmp_path
    )
    for record in (world.own, world.cs2_record):
        assert record.number in stamps
    assert stamps.count("Z109") == 4  # one stamp per record of the box
    assert "2023" in stamps and "3 years" in stamps and "客服一部" in stamps
    one = _text(
        client.get(reverse("archives:record-stamp", args=[world.own.pk])).content,
        tmp_path,
    )
    assert world.own.number in one and world.cs2_record.number not in one
    spine = _text(
        client.get(reverse("archives:box-spine", args=[box.pk])).content, tmp_path
    )
    assert "Z109" in spine and "3 years" in spine and box.code in spine
    numbers = sorted(r.number for r in box.records.all())
    assert numbers[0] in spine and numbers[-1] in spine
    shelf = _text(
        client.get(reverse("archives:shelf-spines", args=[box.shelf_id])).content,
        tmp_path,
    )
    assert box.code in shelf
    client.force_login(world.staff)
    assert client.get(reverse("archives:box-stamps", args=[box.pk])).status_code == 403


def test_the_note_sheet_is_filled_in_and_printed(client, world, tmp_path):
    box = world.own.box
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        box_note_save(
            actor=world.archivist,
            box=box,
            note="",
            arranged_by=world.archivist,
            arranged_on=today,
            checked_by=world.archivist,
            checked_on=today - datetime.timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"checked_by", "checked_on"}
    client.force_login(world.archivist)
    url = reverse("archives:box-note", args=[box.pk])
    done = client.post(
        url,
        {
            "note": "第3件缺第2页，已在目录备注",
            "arranged_by": world.archivist.pk,
            "arranged_on": today.isoformat(),
            "checked_by": world.archivist2.pk,
            "checked_on": today.isoformat(),
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    page = client.get(reverse("archives:box-detail", args=[box.pk])).content.decode()
    assert "第3件缺第2页" in page
    box.refresh_from_db()
    assert box.history.first().history_change_reason == "§box_note"
    sheet = _text(
        client.get(reverse("archives:box-note-pdf", args=[box.pk])).content, tmp_path
    )
    assert "第3件缺第2页" in sheet
    assert "李档案" in sheet and "陈档案" in sheet
    records = box.records.count()
    assert f"Records {records}" in " ".join(sheet.split())
    client.force_login(world.auditor)  # reads the boxes, does not keep them
    assert client.get(url).status_code == 403


def test_the_filing_directory_lists_a_year_and_category(client, world, tmp_path):
    client.force_login(world.archivist)
    url = reverse("archives:directory")
    query = {"year": 2023, "category": world.own.category_id}
    page = client.get(url, query)
    assert page.status_code == 200
    text = page.content.decode()
    numbers = sorted(
        ArchiveRecord.objects.filter(number__isnull=False).values_list(
            "number", flat=True
        )
    )
    positions = [text.index(n) for n in numbers]
    assert positions == sorted(positions)  # in the order of the numbers
    assert "客户投诉送货延迟" in text
    assert AuditEntry.objects.filter(
        action="listed", details__list="directory"
    ).exists()
    pdf = _text(client.get(reverse("archives:directory-pdf"), query).content, tmp_path)
    assert "Filing directory 2023" in pdf and numbers[-1] in pdf
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("archives:directory-xlsx"), query).content)
    )
    rows = list(book.active.values)
    assert rows[1][1] == "Archive number"
    assert [r[1] for r in rows[2:]] == numbers
    assert (
        AuditEntry.objects.filter(action="exported", details__name="directory").count()
        == 2
    )
    with override_settings(ARCHIVE_DIRECTORY_MAX_ROWS=1):
        too_many = client.get(reverse("archives:directory-pdf"), query, follow=True)
    assert "more than 1 printed at once" in too_many.content.decode()
    bad = client.get(url, {"year": "abc", "category": "x"})
    assert bad.status_code == 400
    client.force_login(world.staff)
    assert client.get(url, query).status_code == 403
