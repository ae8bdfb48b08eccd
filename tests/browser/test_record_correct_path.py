"""Issue 20, item 4 (catalogue corrections), in a real browser (zh-hans):
the archivist corrects an accepted record's title with a reason; the number
stays and the history shows the reason and the old title."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_the_archivist_corrects_a_title(open_as, shoot, live_server, world):
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}/records/{world.own.pk}/")
    page.get_by_role("link", name="更正著录").click()
    page.fill("#id_title", "客户投诉送货严重延迟")
    page.fill("#id_reason", "题名漏写“严重”")
    shoot(page, "zh-hans-95-correct-the-catalogue")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_test_id("record-number")).to_have_text(world.own.number)
    page.get_by_text("保管与变更历史", exact=True).click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("题名漏写“严重”")
    expect(history).to_contain_text("客户投诉送货延迟")  # the old title
    shoot(page, "zh-hans-95b-history-opened")
