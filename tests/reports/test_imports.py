"""Bulk import: a dry run that names every bad row, then all or nothing."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from archives.models import ArchiveRecord
from archives.models import Customer
from archives.services.records import record_accept
from reports.models import ImportJob
from tests.factories import BoxFactory
from tests.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ["类别", "分类代码", "题名", "客户编号", "形成日期", "载体", "页数", "关键词"]


def gt_rows(count: int, customer: str, day: datetime.date):
    for n in range(count):
        yield [
            "GT",
            "DH",
            f"电话咨询第{n + 1}号",
            customer,
            day.isoformat(),
            "纸质",
            "1",
            "咨询",
        ]


def csv_upload(rows, headers=HEADERS, name="gt.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def upload(client, file, kind="records", submit=False):
    """Upload, and let the worker's dry run happen (tasks run in-process)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("reports:import-list"),
            {"kind": kind, "file": file, "submit": "on" if submit else ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def confirm(client, job):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("reports:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    return response


@pytest.fixture
def staff(cs_department):
    """The importer here: a customer-service supervisor, who files records
    and may import a backlog (a cs_staff may not import: security issue 12)."""
    return UserFactory(
        username="zhang",
        display_name="张敏",
        role="cs_supervisor",
        department=cs_department,
    )


@pytest.fixture
def customer(db):
    return CustomerFactory(code="C-001", name="华东机械")


def test_ten_thousand_rows_with_bad_ones_refused_then_imported_whole(
    client, staff, customer
):
    client.force_login(staff)
    day = timezone.localdate() - datetime.timedelta(days=3)
    rows = list(gt_rows(10_000, customer.code, day))
    rows[41][4] = "2026-13-45"  # row 43 of the file: no such date
    rows[999][1] = "QQ"  # row 1001: no such channel
    rows[5000][3] = "C-404"  # row 5002: unknown customer
    rows[9998][2] = ""  # row 10000: no title
    before = ArchiveRecord.objects.count()

    job = upload(client, csv_upload(rows))
    assert job.status == ImportJob.Status.DONE
    assert job.rows_total == 10_000
    found = {(p["row"], p["column"]) for p in job.problems}
    assert found == {
        (43, "Date formed"),
        (1001, "Sub-codes"),
        (5002, "Customer code"),
        (10000, "Title"),
    }
    page = client.get(reverse("reports:import-detail", args=[job.pk])).content.decode()
    assert "5002" in page and "C-404" in page
    # Refused until fixed: nothing written, the import button refuses.
    response = confirm(client, job)
    assert response.status_code == 302
    assert job.stage == ImportJob.Stage.CHECK
    assert ArchiveRecord.objects.count() == before

    rows[41][4] = day.isoformat()
    rows[999][1] = "DH"
    rows[5000][3] = customer.code
    rows[9998][2] = "补上的题名"
    fixed = upload(client, csv_upload(rows))
    assert fixed.problem_count == 0
    assert fixed.ready_to_import
    confirm(client, fixed)
    fixed.refresh_from_db()
    assert fixed.status == ImportJob.Status.DONE, fixed.error
    assert fixed.imported == 10_000
    imported = ArchiveRecord.objects.filter(created_by=staff)
    assert imported.count() == 10_000
    record = imported.get(title="补上的题名")
    assert record.status == ArchiveRecord.Status.DRAFT
    assert record.number is None
    assert [s.code for s in record.subcodes.all()] == ["DH"]
    assert record.source_department == staff.department
    assert record.history.count() == 1


def test_submitted_imports_are_numbered_when_accepted(
    client, staff, archivist, customer
):
    client.force_login(staff)
    day = timezone.localdate() - datetime.timedelta(days=1)
    job = upload(client, csv_upload(gt_rows(3, customer.code, day)), submit=True)
    confirm(client, job)
    records = list(ArchiveRecord.objects.filter(created_by=staff).order_by("pk"))
    assert {r.status for r in records} == {ArchiveRecord.Status.SUBMITTED}
    accepted = record_accept(
        actor=archivist, record=records[0], box=BoxFactory(year=day.year)
    )
    assert accepted.number.startswith(f"GT{day:%Y%m%d}")
    # The record's history shows the import, its sub-code included.
    page = client.get(reverse("archives:record-history", args=[records[1].pk]))
    assert page.status_code == 200


def test_excel_files_and_english_headers_and_gbk_csv(client, staff, customer):
    client.force_login(staff)
    book = Workbook()
    sheet = book.active
    sheet.append(["Category", "Sub-codes", "Title", "Customer code", "Date formed"])
    sheet.append(
        ["GT", "channel:YJ", "邮件回复", customer.code, datetime.date(2024, 5, 6)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    job = upload(
        client,
        SimpleUploadedFile("gt.xlsx", buffer.getvalue(), "application/octet-stream"),
    )
    assert job.problem_count == 0, job.problems
    confirm(client, job)
    record = ArchiveRecord.objects.get(title="邮件回复")
    assert record.date_formed == datetime.date(2024, 5, 6)
    gbk = upload(
        client,
        csv_upload(
            gt_rows(2, customer.code, datetime.date(2024, 1, 2)), encoding="gb18030"
        ),
    )
    assert gbk.problem_count == 0, gbk.problems


def test_a_file_that_is_not_what_it_says_is_refused_at_once(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("reports:import-list"),
        {"kind": "records", "file": SimpleUploadedFile("x.xlsx", b"not a zip at all")},
    )
    assert response.status_code == 400
    assert "not an Excel" in response.content.decode()
    response = client.post(
        reverse("reports:import-list"),
        {"kind": "records", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_header_problems_are_named(client, staff):
    client.force_login(staff)
    job = upload(client, csv_upload([["GT"]], headers=["类别", "颜色"]))
    messages = {(p["column"], p["message"]) for p in job.problems}
    assert ("颜色", "Unknown column.") in messages
    assert ("Title", "This column is missing.") in messages


def test_customers_import_refuses_duplicates(client, archivist, customer):
    client.force_login(archivist)
    rows = [
        ["C-100", "新客户甲", "FW"],
        ["C-100", "新客户乙", "FW"],
        [customer.code, "重复", ""],
    ]
    job = upload(
        client,
        csv_upload(rows, headers=["客户编号", "名称", "行业"]),
        kind="customers",
    )
    assert {(p["row"], p["column"]) for p in job.problems} == {
        (3, "Customer code"),
        (4, "Customer code"),
    }
    rows = rows[:1]
    job = upload(
        client, csv_upload(rows, headers=["客户编号", "名称", "行业"]), kind="customers"
    )
    confirm(client, job)
    assert Customer.objects.get(code="C-100").industry.code == "FW"


def test_the_import_rechecks_and_writes_nothing_if_the_archive_changed(
    client, staff, customer
):
    client.force_login(staff)
    job = upload(
        client, csv_upload(gt_rows(5, customer.code, datetime.date(2024, 1, 2)))
    )
    assert job.ready_to_import
    customer.code = "C-RENAMED"
    customer.save()
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.problem_count == 5
    assert not ArchiveRecord.objects.filter(created_by=staff).exists()


def test_only_importers_import_records_and_only_their_own_jobs(client, world):
    client.force_login(world.auditor)
    assert client.get(reverse("reports:import-list")).status_code == 403
    # A filer files one record at a time; bulk import is not theirs.
    client.force_login(world.staff)
    assert client.get(reverse("reports:import-list")).status_code == 403
    client.force_login(world.supervisor)
    job = upload(client, csv_upload([]))
    assert job.problems[0]["message"] == "The file has no rows to import."
    client.force_login(world.cs2_supervisor)
    assert (
        client.get(reverse("reports:import-detail", args=[job.pk])).status_code == 404
    )
    assert confirm(client, job).status_code == 404
