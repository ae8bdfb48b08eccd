"""The three main paths of viewing and lending in a real browser (zh-hans).

1. Staff of another department view a record: their head signs, the head of
   archives signs, the archivist hands it over accompanied and takes it back.
2. A loan is extended and comes back late.
3. An owner at the front desk: registered, approved, served, copies, receipt.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from lending.models import AccessRequest
from lending.models import OwnerRequest
from lending.services.circulation import loan_reminders_send
from lending.services.workdays import add_working_days

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _decide(page, url):
    """Open the newest item waiting for this approver and approve it."""
    page.goto(f"{url}/use/approvals/")
    page.get_by_role("link", name="审批").last.click()
    page.get_by_role("button", name="批准", exact=True).click()


def test_other_department_viewing_with_both_signatures(
    open_as, shoot, live_server, world
):
    w, url = world, live_server.url
    now = timezone.now()
    page = open_as(w.finance_clerk, "zh-hans")
    page.goto(f"{url}/use/requests/new/viewing/")
    page.fill("#id_numbers", w.own.number)
    page.fill("#id_purpose", "续约前了解客户投诉处理情况")
    page.fill("#id_starts_at", _local(now - datetime.timedelta(minutes=5)))
    page.fill("#id_ends_at", _local(now + datetime.timedelta(hours=4)))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("[data-testid=approval-chain]")
    # The clerk may not see the record: until it is approved they learn
    # nothing of it, not even who signs (security issue, item 1).
    assert page.inner_text("[data-testid=approval-chain]").strip() == "待审批"
    assert not page.is_visible("[data-testid=accompanied]")
    assert w.own.title not in page.inner_text("body")
    shoot(page, "lending-viewing-1-filed")
    reference = AccessRequest.objects.get().reference

    head = open_as(w.finance_head, "zh-hans")
    assert head.inner_text("[data-testid=approvals-count]") == "1"
    _decide(head, url)
    assert f"您已批准 {reference}" in head.inner_text("body")

    archive_head = open_as(w.archive_head, "zh-hans")
    _decide(archive_head, url)
    shoot(archive_head, "lending-viewing-2-approved")
    page.reload()
    chain = page.inner_text("[data-testid=approval-chain]")
    assert "部门负责人" in chain and "财务部" in chain and "档案管理部门负责人" in chain
    assert page.is_visible("[data-testid=accompanied]")

    desk = open_as(w.archivist, "zh-hans")
    desk.goto(f"{url}/use/desk/")
    # Today's pull list names it, with where to fetch it from.
    assert desk.get_by_test_id("pull-list").get_by_role("link", name=reference).count()
    shoot(desk, "lending-viewing-3-desk-pull-list")
    desk.get_by_test_id("pull-list").get_by_role("link", name=reference).click()
    desk.select_option("#id_accompanied_by", label=str(w.archivist2))
    desk.get_by_role("button", name="交付", exact=True).click()  # not confirmed
    assert "查阅人须先确认接收档案" in desk.inner_text("body")
    desk.check("#id_receiver_confirmed")
    shoot(desk, "lending-viewing-3-hand-over")
    desk.get_by_role("button", name="交付", exact=True).click()
    assert f"{reference} 已交付给 {w.finance_clerk}" in desk.inner_text("body")

    record_url = f"{url}/records/{w.own.pk}/"
    assert page.goto(record_url).status == 200
    assert w.own.title in page.inner_text("body")

    desk.goto(f"{url}/use/desk/")
    desk.get_by_role("link", name="收回").click()
    desk.select_option("select[name^=condition_]", "intact")
    desk.get_by_role("button", name="记录归还").click()
    assert f"{reference} 已归还" in desk.inner_text("body")
    assert page.goto(record_url).status == 404
    page.goto(f"{url}/use/requests/")
    shoot(page, "lending-viewing-4-mine")


def test_loan_with_an_extension_and_a_late_return(
    open_as, shoot, live_server, world, settings
):
    # The story spans days in one browser session; idle expiry is tested apart.
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    w, url = world, live_server.url
    today = timezone.localdate()
    due = add_working_days(today, 2)
    borrower = open_as(w.executive, "zh-hans")
    borrower.goto(f"{url}/use/requests/new/lending/")
    borrower.fill("#id_numbers", w.cs2_record.number)
    borrower.fill("#id_purpose", "季度经营会议材料")
    borrower.fill("#id_starts_at", _local(timezone.now()))
    borrower.fill("#id_due_on", add_working_days(today, 9).isoformat())
    borrower.get_by_role("button", name="提交申请").click()
    assert "借阅期最长 5 个工作日" in borrower.inner_text("body")
    assert borrower.input_value("#id_purpose") == "季度经营会议材料"  # kept
    borrower.fill("#id_due_on", due.isoformat())
    borrower.get_by_role("button", name="提交申请").click()
    loan = AccessRequest.objects.get()

    head = open_as(w.archive_head, "zh-hans")
    _decide(head, url)
    desk = open_as(w.archivist, "zh-hans")
    desk.goto(f"{url}{loan.get_absolute_url()}")
    desk.check("#id_receiver_confirmed")
    desk.get_by_role("button", name="交付", exact=True).click()

    new_due = add_working_days(due, 1)
    borrower.goto(f"{url}{loan.get_absolute_url()}")
    borrower.fill("#id_new_due_on", new_due.isoformat())
    borrower.fill("#id_reason", "会议改期")
    borrower.get_by_role("button", name="申请续借").click()
    assert "等待档案部门负责人审批" in borrower.inner_text("body")

    head.goto(f"{url}/use/approvals/")
    head.get_by_role("link", name="审批").last.click()
    head.get_by_role("button", name="批准续借").click()
    borrower.goto(f"{url}{loan.get_absolute_url()}")
    assert borrower.inner_text("[data-testid=due-on]") == new_due.isoformat()
    shoot(borrower, "lending-loan-1-extended")

    late_day = new_due + datetime.timedelta(days=2)
    with time_machine.travel(
        datetime.datetime.combine(
            late_day, datetime.time(10), timezone.get_current_timezone()
        )
    ):
        assert loan_reminders_send() == 1
        borrower.goto(f"{url}/accounts/notifications/")
        assert "逾期 2 天" in borrower.inner_text("body")
        shoot(borrower, "lending-loan-2-reminder")
        desk.goto(f"{url}/use/desk/")
        assert "已逾期" in desk.inner_text("body")
        shoot(desk, "lending-loan-3-desk-overdue")
        desk.get_by_role("link", name="收回").click()
        desk.select_option("select[name^=condition_]", "intact")
        desk.get_by_role("button", name="记录归还").click()
    loan.refresh_from_db()
    assert loan.status == AccessRequest.Status.CLOSED
    assert loan.items.get().returned_at.date() == late_day


def test_owner_at_the_front_desk_with_copies_and_a_receipt(
    open_as, shoot, live_server, world
):
    w, url = world, live_server.url
    desk = open_as(w.front_desk, "zh-hans")
    desk.goto(f"{url}/use/owners/new/")
    desk.fill("#id_owner_name", "刘建国")
    desk.fill("#id_id_number", "110101199003074515")  # a wrong check digit
    desk.fill("#id_property_unit", "3栋1202室")
    desk.fill("#id_proof_description", "不动产权证书")
    desk.check("#id_proof_checked")
    desk.fill("#id_records_wanted", "2023年报修及回访记录")
    desk.fill("#id_purpose", "核对维修记录")
    desk.get_by_role("button", name="登记", exact=True).click()
    assert "校验位不正确" in desk.inner_text("body")
    assert desk.input_value("#id_owner_name") == "刘建国"  # nothing lost
    desk.fill("#id_id_number", "110101199003074514")
    desk.get_by_role("button", name="登记", exact=True).click()
    assert desk.inner_text("[data-testid=owner-id]").endswith("110***********4514")
    assert "110101199003074514" not in desk.content()
    shoot(desk, "lending-owner-1-registered")

    supervisor = open_as(w.supervisor, "zh-hans")
    _decide(supervisor, url)
    assert supervisor.inner_text("[data-testid=owner-status]") == "已批准"

    archivist = open_as(w.archivist, "zh-hans")
    archivist.goto(f"{url}/use/desk/")
    archivist.get_by_role("link", name="接待").click()
    archivist.fill("#id_numbers", f"{w.own.number}\n{w.confidential.number}")
    archivist.get_by_role("button", name="记录查阅").click()
    archivist.select_option(
        "#id_record", label=f"{w.confidential.number} {w.confidential.title}"
    )
    archivist.fill("#id_pages", "2")
    archivist.select_option("#id_allowed", "1")
    archivist.get_by_role("button", name="记录决定").click()
    assert "不向业主提供复制" in archivist.inner_text("body")
    archivist.select_option("#id_record", label=f"{w.own.number} {w.own.title}")
    archivist.fill("#id_pages", "3")
    archivist.select_option("#id_allowed", "1")
    archivist.get_by_role("button", name="记录决定").click()
    archivist.check("#id_owner_signed")
    archivist.get_by_role("button", name="开具签收单").click()
    receipt = archivist.inner_text("[data-testid=receipt]")
    assert "共 3 页" in receipt and "1.50" in receipt
    shoot(archivist, "lending-owner-2-receipt")
    owner_request = OwnerRequest.objects.get()
    pdf = archivist.request.get(f"{url}{owner_request.get_absolute_url()}form.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    archivist.goto(f"{url}/use/copies/{owner_request.receipt.code}/")
    assert archivist.is_visible("[data-testid=copy-genuine]")
    shoot(archivist, "lending-owner-3-verified")
