"""Issue 20, item 6 (owners' dossiers) in a real browser (zh-hans): the
archivist opens a dossier for an owner with the family; the front desk finds
it by room number, sees the owner's records by number, and registers the
owner's request from it with name and room filled in."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import Customer
from tests.factories import RecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_a_dossier_opened_by_the_archive_and_used_at_the_desk(
    open_as, shoot, live_server, world
):
    call_command("load_numbering_preset", "property", verbosity=0)
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}/dossiers/")
    page.get_by_role("link", name="新建业主档案").click()
    page.fill("#id_code", "YZ-3-1201")
    page.fill("#id_name", "陈业主")
    page.fill("#id_room", "3栋1201")
    page.fill("#id_floor_area", "128.5")
    page.fill("#id_layout", "三室两厅")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_contact", "13812345678")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("owner")).to_contain_text("110***********002X")
    page.fill("#id_name", "陈小明")
    page.select_option("#id_relation", "child")
    page.fill("#id_phone", "13900001111")
    page.get_by_role("button", name="添加家庭成员").click()
    expect(page.get_by_test_id("family")).to_contain_text("陈小明 · 子女 · 139****1111")
    owner = Customer.objects.get(code="YZ-3-1201")
    RecordFactory(
        category=Category.objects.get(code="FY"),
        customer=owner,
        created_by=world.staff,
        codes={"fee": "WYF"},
        status=ArchiveRecord.Status.ARCHIVED,
        number="FY2023WYF0001",
        number_prefix="FY2023WYF",
        sequence_number=1,
        title="2023年物业费缴纳记录",
    )
    page.reload()
    expect(page.get_by_test_id("dossier-FY")).to_contain_text("2023年物业费缴纳记录")
    shoot(page, "zh-hans-106-owner-dossier")
    desk = open_as(world.front_desk, "zh-hans")
    desk.goto(f"{live_server.url}/")
    desk.get_by_role("button", name="业主查阅").click()
    desk.get_by_role("link", name="业主档案").click()
    desk.fill("#id_q", "1201")
    desk.get_by_role("button", name="查找").click()
    desk.get_by_role("link", name="陈业主").click()
    records = desk.get_by_test_id("dossier-FY")
    expect(records).to_contain_text("FY2023WYF0001")
    expect(records).not_to_contain_text("物业费缴纳记录")
    shoot(desk, "zh-hans-107-owner-dossier-at-the-desk")
    desk.get_by_test_id("owner-request").click()
    expect(desk.locator("#id_owner_name")).to_have_value("陈业主")
    expect(desk.locator("#id_property_unit")).to_have_value("3栋1201")
