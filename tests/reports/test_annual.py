"""The annual statistics report (档案统计年报, issue 20, item 5): holdings at
the year's end by category, carrier and year formed, the electronic volume,
intake, destruction and use in the year, each beside the year before; page,
PDF and Excel."""

from __future__ import annotations

import datetime
import io
import subprocess

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from archives.models import ArchiveRecord
from archives.services.files import file_ingest
from lending.models import UsageEvent
from reports.annual import AnnualReport
from reports.annual import annual_figures
from reports.annual import annual_tables
from retention.services import appraisals
from tests import samples
from tests.retention.test_destruction import decide_all
from tests.retention.test_destruction import execute
from tests.retention.test_destruction import opened


def _last_year_and_this(world):
    """Two records accepted last year, one of them destroyed this year; a file
    on a record accepted this year; one viewing this year."""
    this = timezone.localdate().year
    mid_last_year = timezone.make_aware(datetime.datetime(this - 1, 6, 1))
    ArchiveRecord.objects.filter(pk__in=[world.own.pk, world.cs2_record.pk]).update(
        accepted_at=mid_last_year
    )
    appraisal = opened(world, [world.own])
    decide_all(world, appraisal)
    appraisals.appraisal_submit(actor=world.archive_head, appraisal=appraisal)
    appraisals.appraisal_approve(actor=world.executive, appraisal=appraisal)
    execute(world, appraisal)
    file_ingest(
        record=world.other_own,
        upload=SimpleUploadedFile("登记表.pdf", samples.pdf(), "application/pdf"),
        actor=world.archivist,
    )
    UsageEvent.objects.create(
        kind=UsageEvent.Kind.VIEWING,
        record=world.other_own,
        person=world.finance_clerk,
        department=world.finance,
        recorded_by=world.archivist,
    )
    return this


def test_the_year_adds_up_and_stands_beside_the_year_before(world):
    this = _last_year_and_this(world)
    now, before = annual_figures(this), annual_figures(this - 1)
    assert before["holdings"]["total"] == 2  # accepted last year, both still held
    assert before["destroyed"]["total"] == 0
    assert now["destroyed"] == {
        "total": 1,
        "by_category": [["GT", "客服沟通记录档案", 1]],
    }
    # What was held, plus what came in, less what was destroyed.
    assert (
        now["holdings"]["total"]
        == before["holdings"]["total"]
        + now["intake"]["total"]
        - now["destroyed"]["total"]
    )
    assert now["electronic"]["files"] == 1
    assert now["electronic"]["bytes"] == len(samples.pdf())
    assert now["usage"]["total"]["viewing"] == 1
    assert [this - 1, 0] not in now["holdings"]["by_year"]
    summary = annual_tables(AnnualReport(this, now, before))[0]
    held = summary.rows[0]
    assert held[1:3] == [now["holdings"]["total"], 2]
    change = (now["holdings"]["total"] - 2) * 100 / 2
    assert held[3] == f"{change:+.1f}%"
    destroyed = summary.rows[2]
    assert destroyed == ["Records destroyed", 1, 0, "new"]


def test_the_page_the_pdf_and_the_workbook(client, world, tmp_path):
    this = _last_year_and_this(world)
    client.force_login(world.archive_head)
    page = client.get(reverse("reports:annual"), {"year": this})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Annual statistics report of the archive, {this}" in text
    assert 'data-testid="table-destroyed"' in text
    wrong = client.get(reverse("reports:annual"), {"year": "1800"})
    assert wrong.status_code == 400
    assert "There is no report for “1800”" in wrong.content.decode()
    pdf = client.get(reverse("reports:annual-pdf", args=[this]))
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "annual.pdf"
    path.write_bytes(pdf.content)
    words = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "Holdings by carrier" in words and "Records destroyed" in words
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:annual-xlsx", args=[this])).content)
    )
    sheet = book["The year at a glance"]
    assert [c.value for c in sheet[1]] == ["Item", str(this), str(this - 1), "Change"]
    assert client.get(reverse("reports:annual-pdf", args=[1800])).status_code == 404
    client.force_login(world.staff)
    assert client.get(reverse("reports:annual")).status_code == 403


def test_the_api_gives_the_year_and_the_year_before(world):
    from rest_framework.test import APIClient

    from tests.factories import api_key

    this = _last_year_and_this(world)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.auditor)}")
    body = api.get(f"/api/v1/reports/annual/{this}/").json()
    assert body["year"] == this
    assert body["this"]["destroyed"]["total"] == 1
    assert body["before"]["holdings"]["total"] == 2
    assert api.get("/api/v1/reports/annual/1800/").status_code == 404


def test_a_record_destroyed_without_an_appraisal_is_not_held(world):
    this = timezone.localdate().year
    held = annual_figures(this)["holdings"]["total"]
    ArchiveRecord.objects.filter(pk=world.cs2_record.pk).update(
        status=ArchiveRecord.Status.DESTROYED
    )  # an older import brought it in destroyed, with no appraisal
    assert annual_figures(this)["holdings"]["total"] == held - 1
