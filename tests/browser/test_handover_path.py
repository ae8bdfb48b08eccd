"""Issue 20, item 2 (the supervisor's batch check and the month-end
hand-over) in a real browser (zh-hans): the supervisor checks the month's
records, returns one, hands the batch over; the archivist receives it; the
hand-over list PDF is rendered with pdftoppm and looked at."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from archives.services.records import records_submit
from tests.factories import RecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def test_a_batch_checked_handed_over_and_received(open_as, shoot, live_server, world):
    world.cs1.batch_check = True
    world.cs1.save()
    for title in ("客户来电咨询保修期", "客户投诉安装延误", "上门回访记录"):
        record = RecordFactory(
            created_by=world.staff, customer=world.own.customer, title=title
        )
        records_submit(actor=world.staff, records=[record])
    page = open_as(world.supervisor, "zh-hans")
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="档案登记").click()
    page.get_by_role("link", name="移交批次").click()
    page.locator("[data-testid=batches] a").first.click()
    items = page.get_by_test_id("batch-items")
    expect(items).to_contain_text("客户投诉安装延误")
    row = items.locator("tr", has_text="客户投诉安装延误")
    row.locator("input[name=reason]").fill("请补充安装工单号")
    row.get_by_role("button", name="退回").click()
    expect(page.locator(".alert-success")).to_contain_text("档案已退回登记人")
    page.get_by_role("button", name="将批次移交档案室").click()
    expect(page.locator(".alert-danger")).to_contain_text("还有 2 件档案未检查")
    for box in page.locator("input[name=items]").all():
        box.check()
    shoot(page, "zh-hans-108-batch-checked-by-the-supervisor")
    page.get_by_role("button", name="签字确认勾选的档案已检查").click()
    page.get_by_role("button", name="将批次移交档案室").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已移交")
    archivist = open_as(world.archivist, "zh-hans")
    archivist.goto(page.url)
    archivist.fill("#id_note", "2件，与清单相符")
    archivist.get_by_role("button", name="接收批次").click()
    expect(archivist.get_by_test_id("batch-status")).to_have_text("已接收")
    shoot(archivist, "zh-hans-109-batch-received")
    response = archivist.request.get(f"{archivist.url.rstrip('/')}/list.pdf")
    path = ARTIFACTS / "zh-hans-110-handover-list.pdf"
    path.write_bytes(response.body())
    first = ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*first, str(path), str(path)[:-4]], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "移交清单" in text and "客户来电咨询保修期" in text
    assert "客户投诉安装延误" not in text  # returned, not handed over
    assert "移交人" in text and "接收人" in text
    archivist.goto(f"{live_server.url}/review/")
    expect(archivist.locator("body")).to_contain_text("上门回访记录")
