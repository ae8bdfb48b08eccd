"""Dashboard, monthly report and exports: the figures a manager reads."""

import csv
import datetime
import io

import pytest
from django.test import TestCase
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lending.models import UsageEvent
from reports.models import ExportJob
from reports.models import MonthlyReport
from reports.selectors import Period
from reports.selectors import statistics_for
from reports.services.monthly import monthly_report_scheduled
from tests.factories import RecordFactory
from tests.factories import subcode
from tests.lending.test_pdfs import _pdf_text

pytestmark = pytest.mark.django_db


def use(record, kind, person, department, at=None):
    event = UsageEvent.objects.create(
        kind=kind,
        record=record,
        person=person,
        department=department,
        purpose="统计测试",
        recorded_by=person,
    )
    if at:
        UsageEvent.objects.filter(pk=event.pk).update(at=at)
    return event


@pytest.fixture
def usage(world):
    w = world
    use(w.own, UsageEvent.Kind.VIEWING, w.staff, w.cs1)
    use(w.own, UsageEvent.Kind.LOAN, w.staff, w.cs1)
    use(w.cs2_record, UsageEvent.Kind.VIEWING, w.cs2_supervisor, w.cs2)
    last_year = timezone.now() - datetime.timedelta(days=400)
    use(w.own, UsageEvent.Kind.COPY, w.staff, w.cs1, at=last_year)
    return w


@pytest.fixture
def complaints(world):
    today = timezone.localdate()
    nature = subcode("TS", "nature", "ZL")
    status = subcode("TS", "status", "YY")
    made = []
    for days, handled in ((2, 1), (10, 5), (40, None)):
        record = RecordFactory(
            category=nature.dimension.category,
            title="产品质量投诉",
            date_formed=today - datetime.timedelta(days=days),
            handling_status="handled" if handled is not None else "not_handled",
            handled_on=(today - datetime.timedelta(days=handled))
            if handled is not None
            else None,
            status="archived",
            source_department=world.cs1,
            created_by=world.staff,
        )
        record.subcodes.set([nature, status])
        made.append(record)
    return made


def test_figures_count_holdings_use_and_complaints(usage, complaints):
    figures = statistics_for(Period.last_months(12))
    holdings = figures["holdings"]
    assert holdings["total"] == 7
    assert dict((c, n) for c, _name, n in holdings["by_category"]) == {"GT": 4, "TS": 3}
    use_ = figures["usage"]
    # The copy of last year is outside the twelve months.
    # Electronic use (issue 18) is counted beside the paper's: none here.
    assert use_["total"] == {
        "viewing": 2,
        "loan": 1,
        "copy": 0,
        "owner_viewing": 0,
        "online_reading": 0,
        "download": 0,
        "print": 0,
    }
    assert {code: counts for code, _n, counts in use_["by_department"]} == {
        "CS1": {"viewing": 1, "loan": 1},
        "CS2": {"viewing": 1},
    }
    complaints_ = figures["complaints"]
    assert complaints_["total"] == 3
    assert complaints_["handled"] == 2
    assert complaints_["days_median"] == 3
    assert dict(complaints_["days_buckets"])["1"] == 1
    # One department only.
    cs2 = statistics_for(Period.last_months(12, department=usage.cs2.pk))
    assert cs2["holdings"]["total"] == 1
    assert cs2["usage"]["total"]["viewing"] == 1


def test_dashboard_for_statistics_roles_only(client, usage, complaints):
    client.force_login(usage.archive_head)
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="chart-holdings_category"' in html
    assert 'data-testid="chart-usage_department"' in html
    assert "客服二部" in html
    filtered = client.get(
        reverse("reports:dashboard"), {"department": usage.cs2.pk}
    ).content.decode()
    assert (
        "客服一部"
        not in filtered.split('data-testid="chart-usage_department"')[1][:3000]
    )
    wrong = client.get(
        reverse("reports:dashboard"), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert wrong.status_code == 400
    assert "The end date is before the start date." in wrong.content.decode()
    for person in (usage.staff, usage.supervisor, usage.front_desk, usage.admin):
        client.force_login(person)
        assert client.get(reverse("reports:dashboard")).status_code == 403


def test_monthly_report_made_on_the_first_as_page_pdf_and_excel(
    client, usage, complaints, tmp_path
):
    first = timezone.localdate().replace(day=1) + datetime.timedelta(days=32)
    report = monthly_report_scheduled(first.replace(day=1))
    assert report.month == timezone.localdate().replace(day=1)
    assert report.figures["usage"]["total"]["viewing"] == 2
    # Announced once to the archive, however often beat runs.
    monthly_report_scheduled(first.replace(day=1))
    assert usage.archive_head.notifications.filter(key="monthly_report").count() == 1
    assert MonthlyReport.objects.count() == 1

    client.force_login(usage.auditor)
    month = str(report)
    assert (
        "客服一部"
        in client.get(reverse("reports:monthly-detail", args=[month])).content.decode()
    )
    # _pdf_text also asserts the content type is application/pdf.
    text, _fonts = _pdf_text(
        client.get(reverse("reports:monthly-pdf", args=[month])), tmp_path
    )
    assert "客服一部" in text and "GT" in text
    book = load_workbook(
        io.BytesIO(client.get(reverse("reports:monthly-xlsx", args=[month])).content)
    )
    assert "Use by department" in book.sheetnames
    rows = list(book["Use by department"].values)
    assert rows[0][0] == "Department"
    assert rows[0][5:] == ("Read online", "Download", "Print")
    assert ("客服一部", 1, 1, 0, 0, 0, 0, 0) in rows
    # On demand, for another month.
    client.force_login(usage.archivist)
    response = client.post(reverse("reports:monthly-list"), {"month": "2025-03"})
    assert response.status_code == 302
    assert MonthlyReport.objects.filter(month=datetime.date(2025, 3, 1)).exists()
    assert (
        client.post(reverse("reports:monthly-list"), {"month": "March"}).status_code
        == 400
    )


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_catalogue_export_follows_the_search_and_the_viewer(client, world):
    client.force_login(world.supervisor)
    response = client.get(reverse("reports:export", args=["catalogue", "csv"]))
    assert response.streaming
    rows = _csv(response)
    assert rows[0][:4] == ["Number", "Category", "Sub-codes", "Title"]
    titles = {r[3] for r in rows[1:]}
    # The same records as the catalogue page: no CS2, no confidential.
    assert titles == {"客户投诉送货延迟", "电话回访满意度"}
    rows = _csv(
        client.get(
            reverse("reports:export", args=["catalogue", "csv"]), {"q": "满意度"}
        )
    )
    assert [r[3] for r in rows[1:]] == ["电话回访满意度"]
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("reports:export", args=["catalogue", "xlsx"])).content
        )
    )
    assert book.active.max_row == 3
    bad = client.get(
        reverse("reports:export", args=["catalogue", "csv"]), {"date_from": "x"}
    )
    assert bad.status_code == 302


def test_headers_in_the_readers_language(client, world):
    client.force_login(world.archivist)
    client.cookies["django_language"] = "zh-hans"
    rows = _csv(client.get(reverse("reports:export", args=["catalogue", "csv"])))
    assert rows[0][:4] == ["档号", "类别", "分类代码", "题名"]
    client.cookies["django_language"] = "zh-hant"
    rows = _csv(client.get(reverse("reports:export", args=["catalogue", "csv"])))
    assert rows[0][:4] == ["檔號", "類別", "分類代碼", "題名"]
    # Back to English for the tests that follow in this thread.
    client.cookies["django_language"] = "en"
    rows = _csv(client.get(reverse("reports:export", args=["catalogue", "csv"])))
    assert rows[0][0] == "Number"


@override_settings(ARCHIVE_EXPORT_INLINE_ROWS=2)
def test_a_big_excel_export_runs_as_a_job_with_progress(client, world):
    client.force_login(world.archivist)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(reverse("reports:export", args=["catalogue", "xlsx"]))
    job = ExportJob.objects.get()
    assert response.url == reverse("reports:export-detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.rows_total == 4
    page = client.get(response.url).content.decode()
    assert 'data-testid="download"' in page
    download = client.get(reverse("reports:export-download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.active.max_row == 5
    assert world.archivist.notifications.filter(key="export_ready").exists()
    # Another person's export is not theirs to take.
    client.force_login(world.archivist2)
    assert (
        client.get(reverse("reports:export-download", args=[job.pk])).status_code == 404
    )


def test_registers_and_statistics_exports_need_their_permissions(client, world):
    client.force_login(world.staff)
    for name in ("register-lending", "register-viewing", "statistics"):
        assert (
            client.get(reverse("reports:export", args=[name, "csv"])).status_code == 403
        )
    assert (
        client.get(reverse("reports:export", args=["nothing", "csv"])).status_code
        == 404
    )
    client.force_login(world.archivist)
    rows = _csv(client.get(reverse("reports:export", args=["register-lending", "csv"])))
    assert rows[0][1] == "Number"
    rows = _csv(client.get(reverse("reports:export", args=["statistics", "csv"])))
    assert rows[0] == ["Section", "Item", "Measure", "Value"]
    assert [
        "Records by category",
        "GT Customer communication records",
        "Records",
        "4",
    ] in rows


def test_each_dashboard_figure_leads_to_the_list_behind_it(client, usage, complaints):
    """Issue 19, item 10: a figure is a link; following it shows as many
    records as the figure says (for a reader who may see them all)."""
    client.force_login(usage.archive_head)
    page = client.get(reverse("reports:dashboard"))
    tables = {table.key: table for table in page.context["tables"]}
    by_category = tables["holdings_category"]
    for (label, count), link in by_category.linked_rows():
        listed = client.get(link)
        assert listed.context["page"].count.value == count, label
    (row, link), *_ = tables["complaints_nature"].linked_rows()
    assert row[1] == 3
    assert client.get(link).context["page"].count.value == 3
    alerts = dict((row[0], link) for row, link in tables["alerts"].linked_rows())
    assert alerts["Records due for disposal now"] == reverse("retention:due-list")
    # The head of archives does not work the desk: no link to it.
    assert alerts["Loans overdue now"] is None
    html = page.content.decode()
    assert f'<a href="{link.replace("&", "&amp;")}">' in html
    client.force_login(usage.archivist)
    tables = {
        t.key: t for t in client.get(reverse("reports:dashboard")).context["tables"]
    }
    alerts = dict((row[0], link) for row, link in tables["alerts"].linked_rows())
    assert alerts["Loans overdue now"] == reverse("lending:desk") + "#out-now"
