"""Issue 20, item 7, in a real browser (zh-hans): a member of staff complains
about the archive's work; the head of archives takes it, closes it with the
answer, and the staff member reads the answer."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_a_complaint_from_staff_to_the_answer(open_as, shoot, live_server, world):
    staff = open_as(world.staff, "zh-hans")
    staff.get_by_test_id("user-menu").click()
    staff.get_by_test_id("nav-complaints").click()
    staff.get_by_role("link", name="登记投诉").click()
    staff.select_option("#id_topic", "delay")
    staff.fill("#id_summary", "借阅审批等了两周")
    staff.fill("#id_description", "3 月 1 日提交的借阅申请，3 月 15 日才批准。")
    staff.fill("#id_record_number", world.own.number)
    shoot(staff, "zh-hans-92-complaint-form")
    staff.get_by_role("button", name="报告", exact=True).click()
    expect(staff.locator("body")).to_contain_text("投诉已登记")

    head = open_as(world.archive_head, "zh-hans")
    head.get_by_test_id("user-menu").click()
    head.get_by_test_id("nav-complaints").click()
    expect(head.get_by_test_id("complaints")).to_contain_text("借阅审批等了两周")
    head.get_by_role("link", name="借阅审批等了两周").click()
    head.get_by_role("button", name="接手", exact=True).click()
    expect(head.locator("body")).to_contain_text("处理中")
    head.fill("#id_findings", "审批人出差，未指定代理人。")
    head.fill("#id_answer", "已规定出差须指定代理审批人，向您致歉。")
    head.get_by_role("button", name="答复并办结").click()
    expect(head.get_by_test_id("answer")).to_contain_text("代理审批人")
    shoot(head, "zh-hans-93-complaint-answered")

    staff.goto(f"{live_server.url}/accounts/notifications/")
    expect(staff.locator("body")).to_contain_text("已办结")
