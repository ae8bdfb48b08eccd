"""Issue 20, item 1 (external partners) in a real browser (zh-hans): the head
of archives registers a law firm, its signed agreement covering one record
and its person; the person finds only that record to ask for and files the
viewing request, which waits for the head of the department in charge."""

import pytest
from playwright.sync_api import expect

from tests import samples
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_a_partner_registered_and_asking(open_as, shoot, live_server, world, tmp_path):
    lawyer = UserFactory(
        username="lawyer", display_name="刘律师", role="partner", department=None
    )
    page = open_as(world.archive_head, "zh-hans")
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="库房管理").click()
    page.get_by_role("link", name="合作单位").click()
    page.get_by_role("link", name="新建合作单位").click()
    page.fill("#id_code", "P01")
    page.fill("#id_name", "华信律师事务所")
    page.select_option("#id_department", str(world.cs1.pk))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("华信律师事务所")
    page.select_option("#id_person", str(lawyer.pk))
    page.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("partner-people")).to_contain_text("刘律师")
    signed = tmp_path / "保密协议.pdf"
    signed.write_bytes(samples.pdf())
    page.fill("#id_number", "BM-2026-01")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2030-12-31")
    page.fill("#id_numbers", world.own.number)
    page.set_input_files("#id_signed_file", str(signed))
    page.get_by_role("button", name="登记协议").click()
    expect(page.get_by_test_id("agreements")).to_contain_text("BM-2026-01")
    expect(page.get_by_test_id("agreements")).to_contain_text("有效")
    shoot(page, "zh-hans-111-partner-with-agreement")
    reader = open_as(lawyer, "zh-hans")
    reader.goto(f"{live_server.url}/use/find/")
    expect(reader.locator("main, body").first).to_contain_text(world.own.number)
    expect(reader.locator("main, body").first).not_to_contain_text(
        world.cs2_record.number
    )
    shoot(reader, "zh-hans-112-partner-finds-what-the-agreement-covers")
