"""The dashboard and an import in a real browser, in both languages."""

import csv
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lending.models import UsageEvent
from reports.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def used(world):
    w = world
    for record, kind, person, department in (
        (w.own, UsageEvent.Kind.VIEWING, w.staff, w.cs1),
        (w.own, UsageEvent.Kind.LOAN, w.supervisor, w.cs1),
        (w.cs2_record, UsageEvent.Kind.VIEWING, w.cs2_supervisor, w.cs2),
        (w.cs2_record, UsageEvent.Kind.COPY, w.cs2_supervisor, w.cs2),
    ):
        UsageEvent.objects.create(
            kind=kind,
            record=record,
            person=person,
            department=department,
            purpose="核对",
            recorded_by=w.archivist,
        )
    return w


@pytest.mark.parametrize(
    ("language", "heading", "department_chart"),
    [("zh-hans", "统计", "按部门利用情况"), ("en", "Statistics", "Use by department")],
)
def test_the_dashboard_draws_its_charts(
    open_as, shoot, live_server, used, language, heading, department_chart
):
    page = open_as(used.archive_head, language)
    page.goto(f"{live_server.url}/reports/")
    assert page.inner_text("h1") == heading
    chart = page.locator("[data-testid=chart-usage_department]")
    assert chart.is_visible()
    # One bar per department, drawn with a width (not an empty SVG).
    expect(chart.locator("g.bar")).to_have_count(2)
    assert float(chart.locator("rect").last.get_attribute("width")) > 10
    assert department_chart in page.inner_text("#t-usage_department")
    expect(page.locator("[data-testid=chart-holdings_category] g.bar")).to_have_count(1)
    shoot(page, f"reports-dashboard-{language}")
    # Filter to one department: the other's bar goes.
    page.select_option("#id_department", label="客服二部")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**department=*")
    expect(page.locator("[data-testid=chart-usage_department] g.bar")).to_have_count(1)


def test_an_import_with_a_bad_row_then_corrected(
    open_as, shoot, live_server, world, tmp_path
):
    page = open_as(world.supervisor, "zh-hans")  # bulk import: a supervisor
    day = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    customer = world.own.customer.code
    path = tmp_path / "gt.csv"
    rows = [
        ["GT", "DH", "电话咨询", customer, day],
        ["GT", "QQ", "邮件咨询", customer, day],
    ]

    def write():
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["类别", "分类代码", "题名", "客户编号", "形成日期"])
            writer.writerows(rows)

    write()
    page.goto(f"{live_server.url}/reports/imports/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("[data-testid=problems]")
    assert "GT 类没有代码 QQ" in page.inner_text("[data-testid=problems]")
    shoot(page, "reports-import-problems")

    rows[1][1] = "YJ"
    write()
    page.goto(f"{live_server.url}/reports/imports/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="导入全部 2 行").click()
    page.wait_for_selector("[data-testid=import-done]")
    assert ImportJob.objects.filter(imported=2).exists()
    shoot(page, "reports-import-done")
