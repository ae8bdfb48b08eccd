"""Issue 19, items 10 and 12 in a real browser (zh-hans): a dashboard figure
leads to the records behind it; the head of archives rewords a notice and
the borrower's inbox shows the new words."""

import pytest

from accounts.notifications import notify

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_a_figure_leads_to_its_records(open_as, shoot, live_server, world):
    page = open_as(world.archive_head, "zh-hans")
    page.goto(f"{live_server.url}/reports/")
    page.locator("[data-testid=chart-holdings_category] a").first.click()
    page.wait_for_url("**/catalogue/?category=*")
    count = page.inner_text("[data-testid=result-count]")
    assert "4" in count  # the world's four GT records
    shoot(page, "zh-hans-90-figure-to-catalogue")


def test_the_head_rewords_a_notice(open_as, shoot, live_server, world):
    head = open_as(world.archive_head, "zh-hans")
    head.get_by_test_id("user-menu").click()
    head.get_by_role("link", name="通知用语").click()
    head.locator("a[href$='/notices/loan_overdue/']").click()
    head.fill("#id_text_zh_hans", "%(ref)s 已逾期 %(days)s 天，请今天送还档案室。")
    shoot(head, "zh-hans-91-notice-text")
    head.get_by_role("button", name="保存").click()
    head.get_by_text("通知用语已保存").wait_for()
    notify(
        user=world.staff,
        key="loan_overdue",
        params={"ref": "JY000009", "due": "2026-11-27", "days": 3},
    )
    staff = open_as(world.staff, "zh-hans")
    staff.get_by_test_id("inbox").click()
    staff.get_by_text("JY000009 已逾期 3 天，请今天送还档案室。").wait_for()
