"""Issue 20, item 4 (密级变更 and 利用效果), in a real browser (zh-hans): the
head of archives raises a record's level and the approved request waits for
the executive again; a borrower tells what a returned loan achieved."""

import pytest
from playwright.sync_api import expect

from tests.lending.test_viewing import ask
from tests.lending.test_viewing import own_record_returned
from tests.lending.test_viewing import sign_all

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_the_head_raises_the_level_of_a_record_asked_for(
    open_as, shoot, live_server, world, window
):
    request = sign_all(
        ask(world.finance_clerk, [world.own], window),
        world.finance_head,
        world.archive_head,
    )
    page = open_as(world.archive_head2, "zh-hans")
    page.goto(f"{live_server.url}/records/{world.own.pk}/")
    page.get_by_role("link", name="变更密级").click()
    expect(page.locator("h1")).to_contain_text("变更密级")
    page.select_option("#id_level", "confidential")
    page.fill("#id_reason", "涉及客户身份信息")
    shoot(page, "zh-hans-96-change-the-confidentiality")
    page.get_by_role("button", name="变更密级").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "密级已变更。未结申请：1 件申请须再次审批。"
    )
    page.get_by_text("保管与变更历史", exact=True).click()
    expect(page.get_by_test_id("history")).to_contain_text("涉及客户身份信息")
    shoot(page, "zh-hans-97-confidentiality-changed")
    reader = open_as(world.finance_clerk, "zh-hans")
    reader.goto(f"{live_server.url}{request.get_absolute_url()}")
    expect(reader.get_by_test_id("approval-chain")).to_contain_text("待审批")


def test_the_borrower_tells_what_the_loan_achieved(
    open_as, shoot, live_server, world, window
):
    request = own_record_returned(world, window)
    page = open_as(world.finance_clerk, "zh-hans")
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    expect(page.get_by_text("本次利用的效果如何？")).to_be_visible()
    page.select_option("#id_effect", "dispute")
    page.fill("#id_note", "核实了送货时间，投诉已结案")
    shoot(page, "zh-hans-98-use-effect")
    page.get_by_role("button", name="登记利用效果").click()
    expect(page.get_by_test_id("use-effect")).to_contain_text("解决投诉或纠纷")
    expect(page.get_by_test_id("use-effect")).to_contain_text("核实了送货时间")
