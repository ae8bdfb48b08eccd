"""Issue 19, item 1 in a real browser (zh-hans): someone outside customer
service, who sees no records, finds two in the request catalogue, puts them
on the request list and asks to view them in one request."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from lending.models import AccessRequest
from tests.world import _archived

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_find_list_and_ask(open_as, shoot, live_server, world):
    w, url = world, live_server.url
    public = _archived(
        filer=w.staff,
        archivist=w.archivist,
        box=w.own.box,
        title="服务承诺公示",
        confidentiality=ArchiveRecord.Confidentiality.PUBLIC,
    )
    page = open_as(w.finance_clerk, "zh-hans")
    page.get_by_test_id("nav-requests").click()
    page.get_by_role("link", name="查找可申请的档案").click()
    table = page.inner_text("[data-testid=request-catalogue]")
    assert w.own.number in table and public.title in table
    assert w.own.title not in table and w.confidential.number not in table
    assert "题名不公开" in table
    page.fill("#id_q", "服務承諾")  # Traditional characters find it too
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("[data-testid=request-catalogue] tbody tr")).to_have_count(1)
    page.get_by_label(public.number).check()
    page.get_by_test_id("cart-add").click()
    page.get_by_text("已将 1 件档案加入申请清单").wait_for()
    page.fill("#id_q", w.own.number)
    page.get_by_role("button", name="搜索").click()
    page.get_by_label(w.own.number).check()
    shoot(page, "zh-hans-60-request-catalogue")
    page.get_by_test_id("cart-add").click()
    page.get_by_test_id("cart-link").click()
    expect(page.locator("[data-testid=request-cart] tbody tr")).to_have_count(2)
    shoot(page, "zh-hans-61-request-list")
    page.get_by_test_id("ask-viewing").click()
    numbers = page.input_value("#id_numbers")
    assert public.number in numbers and w.own.number in numbers
    start = timezone.localtime() + datetime.timedelta(days=1)
    page.fill("#id_purpose", "核对服务承诺与投诉处理")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT17:00"))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("[data-testid=approval-chain]")
    request = AccessRequest.objects.get(requester=w.finance_clerk)
    assert sorted(request.asked_numbers) == sorted([public.number, w.own.number])
    page.goto(f"{url}/use/find/list/")
    assert "您的申请清单是空的" in page.inner_text("main")
