"""Issue 19 in a real browser, the items no other path walks through: a
department head's own request reaches the head of archives, who sees what
they approve (items 2 and 3); the gap report writes out whole numbers
(item 9); a bank checks an owner's copy without logging in (item 13);
Traditional characters find Simplified titles (item 15); history reasons
are worded for the reader (item 17); zh-hant uses Taiwan's words (item 18)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from archives.models import NumberSequence
from lending.models import AccessRequest
from lending.services import owners as lending
from tests.lending.test_owners import owner_data

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_heads_own_request_and_what_the_approver_sees(
    open_as, shoot, live_server, world
):
    w, url = world, live_server.url
    now = timezone.now()
    head = open_as(w.finance_head, "zh-hans")
    head.goto(f"{url}/use/requests/new/viewing/")
    head.fill("#id_numbers", w.own.number)
    head.fill("#id_purpose", "核对客户投诉的赔付金额")
    head.fill("#id_starts_at", _local(now + datetime.timedelta(hours=1)))
    head.fill("#id_ends_at", _local(now + datetime.timedelta(hours=3)))
    head.get_by_role("button", name="提交申请").click()
    head.wait_for_selector("[data-testid=approval-chain]")

    archive_head = open_as(w.archive_head, "zh-hans")
    expect(archive_head.get_by_test_id("approvals-count")).to_have_text("1")
    archive_head.goto(f"{url}/use/approvals/")
    row = archive_head.get_by_test_id("approval-record")
    # What is approved: the number with its title and link (the head of
    # archives may see it), its category and level; the purpose and window.
    expect(row).to_contain_text(w.own.number)
    expect(row).to_contain_text("客户投诉送货延迟")
    expect(row).to_contain_text("内部")
    body = archive_head.inner_text("main")
    assert "核对客户投诉的赔付金额" in body
    assert (
        timezone.localtime(now + datetime.timedelta(hours=1)).strftime("%Y-%m-%d")
        in body
    )
    assert row.get_by_role("link", name=w.own.number).count() == 1
    shoot(archive_head, "zh-hans-95-approvals-what-is-approved")
    archive_head.get_by_role("link", name="审批", exact=True).last.click()
    archive_head.get_by_role("button", name="批准", exact=True).click()
    request = AccessRequest.objects.get()
    assert request.status == AccessRequest.Status.APPROVED
    # Nobody was asked to sign for the finance department but its head.
    assert list(request.steps.values_list("role", flat=True)) == ["archive_head"]


def test_the_gap_report_writes_out_whole_numbers(open_as, shoot, live_server, world):
    prefix = world.own.number[:-3]
    sequence = NumberSequence.objects.get(prefix=prefix)
    missing = f"{prefix}{sequence.last_value + 1:03d}"
    NumberSequence.objects.filter(pk=sequence.pk).update(
        last_value=sequence.last_value + 1
    )
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}/numbers/gaps/")
    expect(page.locator("main")).to_contain_text(missing)
    assert f"缺号 {sequence.last_value + 1}" not in page.inner_text("main")
    shoot(page, "zh-hans-96-number-gaps")


def _owner_copy(world):
    owner_request = lending.owner_request_register(
        actor=world.front_desk,
        data=owner_data(
            owner_name="陈业主",
            property_unit="3栋1201",
            purpose="办理贷款需要投诉处理记录",
        ),
    )
    lending.owner_request_decide(
        owner_request=owner_request, actor=world.supervisor, approve=True
    )
    lending.owner_viewing_record(
        owner_request=owner_request, actor=world.archivist, numbers=world.own.number
    )
    lending.copy_decide(
        owner_request=owner_request,
        actor=world.archivist,
        record=world.own,
        pages=4,
        allowed=True,
    )
    return lending.receipt_issue(
        owner_request=owner_request, actor=world.archivist, owner_signed=True
    )


def test_a_bank_checks_an_owners_copy_without_logging_in(
    browser, shoot, live_server, world
):
    receipt = _owner_copy(world)
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page = context.new_page()
    answer = page.goto(f"{live_server.url}/use/copies/{receipt.code}/")
    assert answer.status == 200
    assert "/accounts/login/" not in page.url
    text = page.inner_text("body")
    assert world.own.number in text
    # It verifies the copy and says nothing of the owner or who issued it.
    for secret in ("陈业主", "3栋1201", str(world.archivist), "110101"):
        assert secret not in text
    shoot(page, "zh-hans-97-copy-verified-without-login")
    assert page.goto(f"{live_server.url}/use/copies/NOTACODE/").status == 404
    context.close()


def test_traditional_characters_find_and_history_is_worded_for_the_reader(
    open_as, shoot, live_server, world
):
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}/catalogue/")
    page.fill("#id_q", "投訴送貨")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("td.archive-number a")).to_have_text([world.own.number])
    shoot(page, "zh-hans-98-traditional-search")

    english = open_as(world.archive_head, "en")
    english.goto(f"{live_server.url}/records/{world.own.pk}/")
    english.get_by_text("Custody and history", exact=True).click()
    history = english.get_by_test_id("history")
    expect(history).to_contain_text(f"Accepted as {world.own.number}")
    assert "已归档" not in english.inner_text("main")
    shoot(english, "en-98-history-in-english")


def test_zh_hant_speaks_as_taiwan_does(open_as, shoot, live_server, world):
    page = open_as(world.archivist, "zh-hant")
    page.goto(f"{live_server.url}/records/{world.own.pk}/")
    page.get_by_text("保管與變更歷史", exact=True).click()
    expect(page.get_by_test_id("history")).to_contain_text(
        f"已歸檔為 {world.own.number}"
    )
    body = page.inner_text("body")
    assert "Changed" not in body and "Created" not in body  # history, worded
    html = page.content()  # the menus too
    assert "登出" in html or "退出登入" in html
    for mainland in ("爲", "信息", "登录", "打印"):
        assert mainland not in html, mainland
    shoot(page, "zh-hant-98-record-in-taiwan-words")
