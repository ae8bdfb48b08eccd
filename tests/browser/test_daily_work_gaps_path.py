"""Issue 19 in a real browser, the items the other paths leave out: a check
no worker takes says so (item 11); the appraisal group is picked by
searching without losing who is ticked (item 20); the working-day calendar
follows the national holidays and the administrator's own working day
(item 21). In zh-hans, the main path also in en."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from lending.services.workdays import add_working_days
from retention.models import CheckRun
from retention.services.checks import check_request

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_a_check_no_worker_takes_says_so(open_as, shoot, live_server, world):
    run = check_request(kind=CheckRun.Kind.INSPECTION, actor=world.archivist)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    CheckRun.objects.filter(pk=run.pk).update(queued_at=long_ago)
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}{run.get_absolute_url()}")
    waiting = page.get_by_test_id("check-waiting")
    since = timezone.localtime(long_ago).strftime("%H:%M")
    assert f"自 {since} 起没有后台任务进程接手这项检查" in waiting.inner_text()
    assert "等待后台任务进程" in page.inner_text("#progress")
    shoot(page, "zh-hans-90-check-waiting-for-a-worker")
    page.goto(f"{live_server.url}/retention/checks/")
    assert page.get_by_test_id("send-again").inner_text() == "重新发送（尚无进程接手）"


@pytest.mark.parametrize(
    "language,search_label,refused",
    [
        ("zh-hans", "鉴定小组", "请勾选要鉴定的档案"),
        ("en", "Appraisal group", "Tick the records"),
    ],
)
def test_the_appraisal_group_is_picked_by_searching(
    open_as, shoot, live_server, world, language, search_label, refused
):
    page = open_as(world.archive_head, language)
    page.goto(f"{live_server.url}/retention/due/")
    group = page.get_by_role("group", name=search_label)
    group.get_by_label(str(world.archivist)).check()
    page.get_by_test_id("picker-members").press_sequentially("趙", delay=50)
    # The answer lists the one ticked before, still ticked, then the match.
    expect(group.locator("input[type=checkbox]")).to_have_count(2)
    found = group.get_by_label(str(world.staff2))
    assert group.get_by_label(str(world.archivist)).is_checked()
    found.check()
    shoot(page, f"{language}-91-appraisal-group-picker")
    # Sent without records, the page comes back with both still ticked.
    page.locator("#id_title").fill("2026 年到期档案鉴定")
    page.locator("form:has(#id_title) button[type=submit]").click()
    assert refused in page.inner_text("body")
    group = page.get_by_role("group", name=search_label)
    assert group.get_by_label(str(world.staff2)).is_checked()
    assert group.get_by_label(str(world.archivist)).is_checked()


def test_the_loan_period_counts_the_national_and_the_companys_working_days(
    open_as, shoot, live_server, world
):
    """Asked on Monday 28 September 2026: the National Day week is off, and
    the administrator makes Saturday 3 October a working day of the archive."""
    monday = datetime.datetime(2026, 9, 28, 9, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(monday, tick=True):
        start = datetime.date(2026, 9, 29)
        latest = add_working_days(start, 5)
        weekdays_only = datetime.date(2026, 10, 6)
        assert latest > weekdays_only  # the holiday week is not counted
        borrower = open_as(world.executive, "zh-hans")
        url = live_server.url
        borrower.goto(f"{url}/use/requests/new/lending/")
        borrower.fill("#id_numbers", world.cs2_record.number)
        borrower.fill("#id_purpose", "国庆后客户回访")
        borrower.fill("#id_starts_at", "2026-09-29T09:00")
        borrower.fill("#id_due_on", (latest + datetime.timedelta(days=1)).isoformat())
        borrower.get_by_role("button", name="提交申请").click()
        assert f"请于 {latest} 前归还" in borrower.inner_text("body")
        shoot(borrower, "zh-hans-92-loan-period-national-calendar")

        world.admin.is_staff = True  # as the demo's administrator
        world.admin.save(update_fields=["is_staff"])
        admin = open_as(world.admin, "zh-hans")
        admin.goto(f"{url}/admin/lending/holiday/add/")
        admin.fill("#id_date", "2026-10-03")
        admin.fill("#id_name", "档案室国庆值班")
        admin.select_option("#id_kind", "working_day")
        admin.click("input[name=_save]")
        assert "档案室国庆值班" in admin.inner_text("#result_list")
        earlier = add_working_days(start, 5)
        assert earlier < latest

        borrower.get_by_role("button", name="提交申请").click()
        assert f"请于 {earlier} 前归还" in borrower.inner_text("body")
        shoot(borrower, "zh-hans-93-loan-period-company-working-day")
