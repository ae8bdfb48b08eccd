"""Issue 21, item 5, in a real browser (zh-hans): the system administrator
imports people from a CSV file: the dry run, then the accounts."""

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_the_system_administrator_imports_people(
    open_as, shoot, live_server, world, tmp_path
):
    sheet = tmp_path / "新员工.csv"
    sheet.write_text(
        "用户名,姓名,邮箱,部门,上级\n"
        "zhaoliu,赵六,zhaoliu@example.com,CS1,zhang\n"
        "sunqi,孙七,,CS2,zhaoliu\n",
        encoding="utf-8-sig",
    )
    page = open_as(world.admin, "zh-hans")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="导入人员").click()
    page.locator("#id_file").set_input_files(str(sheet))
    page.get_by_role("button", name="试导入").click()
    rows = page.get_by_test_id("people-rows")
    expect(rows).to_contain_text("2 人，没有问题。")
    expect(rows).to_contain_text("赵六")
    shoot(page, "zh-hans-91-people-import-dry-run")
    page.get_by_role("button", name="开设 2 个账号").click()
    expect(page.locator("body")).to_contain_text("已开设 2 个账号")
    assert User.objects.get(username="sunqi").supervisor.username == "zhaoliu"
