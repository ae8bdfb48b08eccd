"""Issue 20, item 4 (related records), in a real browser (zh-hans): the
archivist links a complaint to the call it is about; both records show it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_the_archivist_links_two_records(open_as, shoot, live_server, world):
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}/records/{world.own.pk}/")
    page.fill("#id_link-number", world.cs2_record.number)
    page.fill("#id_link-note", "投诉所涉来电")
    page.get_by_role("button", name="关联", exact=True).click()
    related = page.get_by_test_id("related")
    expect(related).to_contain_text(world.cs2_record.number)
    expect(related).to_contain_text("投诉所涉来电")
    shoot(page, "zh-hans-94-related-records")
    page.get_by_role("link", name=world.cs2_record.number).click()
    expect(page.get_by_test_id("related")).to_contain_text(world.own.number)
