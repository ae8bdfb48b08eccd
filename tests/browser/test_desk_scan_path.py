"""Issue 19, item 5 in a real browser (zh-hans): a loan of two records handed
over by scanning (the scanner types each code and Enter), then one record
back and one still out."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lending.models import AccessRequest
from lending.services.approvals import step_decide
from lending.services.requests import access_request_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def _scan(page, code):
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_hand_over_and_a_partial_return_by_scanning(open_as, shoot, live_server, world):
    w = world
    now = timezone.now()
    loan = access_request_create(
        requester=w.staff,
        kind="lending",
        numbers=f"{w.own.number},{w.other_own.number}",
        purpose="准备客户回访材料",
        starts_at=now - datetime.timedelta(minutes=5),
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    for step in loan.steps.all():
        step_decide(step_id=step.pk, actor=w.archive_head, approve=True)

    page = open_as(w.archivist, "zh-hans")
    page.goto(f"{live_server.url}/use/desk/")
    page.get_by_test_id("scan").click()
    # The scanner's field has the focus once the scan page has come (the
    # click navigates: looked at at once, the old page may still be there).
    expect(page.locator("#id_code")).to_be_focused()
    _scan(page, "zhang")  # the borrower's badge
    assert loan.reference in page.inner_text("[data-testid=scan-request]")
    _scan(page, w.cs2_record.number)
    assert f"{w.cs2_record.number} 不属于 {loan.reference}" in page.inner_text("main")
    _scan(page, w.own.number)
    _scan(page, w.other_own.number)
    expect(page.locator("[data-testid=scanned]")).to_have_count(2)
    page.get_by_label("查阅人已核对档案并确认接收").check()
    shoot(page, "zh-hans-50-scan-hand-over")
    page.get_by_role("button", name="交付", exact=True).click()
    page.get_by_text(f"{loan.reference} 已交付给 张敏").wait_for()

    _scan(page, loan.reference)
    _scan(page, w.own.number)
    shoot(page, "zh-hans-51-scan-partial-return")
    page.get_by_role("button", name="归还 1 件，其余仍借出").click()
    page.get_by_text(f"{loan.reference}：1 件已归还；1 件仍借出。").wait_for()
    loan.refresh_from_db()
    assert loan.status == AccessRequest.Status.OUT
    assert list(loan.items.filter(is_out=True).values_list("record", flat=True)) == [
        w.other_own.pk
    ]
