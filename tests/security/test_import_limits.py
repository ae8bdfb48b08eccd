"""Import files cannot exhaust the worker (security issue, item 12): a zip
bomb and an oversized sheet are refused at the form before parsing; a cell,
a row or a column past the limits stops the dry run with a message; the
worker's memory is bounded."""

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from reports.models import ImportJob

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["类别", "分类代码", "题名", "客户编号", "形成日期", "载体", "页数", "关键词"]


def _xlsx(rows=(), replace: dict | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not replace:
        return buffer.getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data in replace.items():
            if name not in source.namelist():
                target.writestr(name, data)
    return out.getvalue()


def _post(client, name, content):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("reports:import-list"),
            {"kind": "records", "file": SimpleUploadedFile(name, content)},
        )


def test_a_zip_bomb_is_refused_at_the_form_before_anything_is_parsed(client, world):
    text = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    text += b"<si><t>" + b"A" * (60 * 1024 * 1024) + b"</t></si></sst>"
    bomb = _xlsx(replace={"xl/sharedStrings.xml": text})
    assert len(bomb) < 400 * 1024
    client.force_login(world.supervisor)
    response = _post(client, "客户名单.xlsx", bomb)
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert "refused as a possible zip bomb" in errors[0]
    assert not ImportJob.objects.exists()


def test_shared_text_past_its_limit_is_refused(client, world, settings):
    settings.ARCHIVE_IMPORT_MAX_SHARED_TEXT_MB = 1
    text = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    text += b"".join(
        b"<si><t>" + os.urandom(600).hex().encode() + b"</t></si>" for _ in range(1200)
    )
    text += b"</sst>"
    client.force_login(world.supervisor)
    response = _post(client, "名单.xlsx", _xlsx(replace={"xl/sharedStrings.xml": text}))
    assert response.status_code == 400
    assert (
        "The text of this Excel file takes"
        in response.context["form"].errors["file"][0]
    )


def test_a_sheet_declaring_too_many_rows_or_columns_is_refused(client, world, settings):
    settings.ARCHIVE_IMPORT_MAX_ROWS = 100
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    sheet += b'<dimension ref="A1:H5001"/><sheetData/></worksheet>'
    client.force_login(world.supervisor)
    response = _post(
        client, "大表.xlsx", _xlsx(replace={"xl/worksheets/sheet1.xml": sheet})
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The file has 5000 rows; at most 100 may be imported at once."
    ]
    wide = sheet.replace(b"A1:H5001", b"A1:ZZ10")
    response = _post(
        client, "宽表.xlsx", _xlsx(replace={"xl/worksheets/sheet1.xml": wide})
    )
    assert response.context["form"].errors["file"] == [
        "The file has 702 columns; at most 50 are read."
    ]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_a_huge_cell_or_a_wide_row_stops_the_dry_run_with_a_message(client, world):
    client.force_login(world.supervisor)
    long_title = "长" * 20_000
    row = ["GT", "DH", long_title, "C-1", "2024-01-02", "纸质", "1", "x"]
    assert _post(client, "长.csv", _csv([row])).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.problems[0]["message"] == (
        "The CSV file cannot be read: field larger than field limit (10001) "
        "(a cell may hold at most 10000 characters)."
    )
    wide = [["GT", *(["x"] * 59)]]
    assert _post(client, "宽.csv", _csv(wide)).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.problems[0]["message"] == ("Row 2 has 60 columns; at most 50 are read.")
    assert job.problem_count == 1
    book_cell = _xlsx(rows=[["GT", "DH", long_title]])
    assert _post(client, "长.xlsx", book_cell).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.problems[0]["message"] == (
        "Row 2, column 3 holds 20000 characters; a cell may hold at most 10000."
    )


def test_a_worker_process_is_held_to_its_memory(tmp_path):
    """config.celery.limit_memory, as a worker applies it: past the limit a
    task gets MemoryError, and the worker lives on."""
    script = (
        "import django, os\n"
        "django.setup()\n"
        "from config.celery import limit_memory\n"
        "limit_memory()\n"
        "try:\n"
        "    hog = bytearray(600 * 1024 * 1024)\n"
        "    print('allocated')\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
        "small = bytearray(10 * 1024 * 1024)\n"
        "print('alive')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ARCHIVE_WORKER_MEMORY_MB": "400",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["MemoryError", "alive"], result.stderr[-2000:]
