"""The main path in a real browser: file, return, correct, accept, find, label."""

import pytest

from tests.factories import BoxFactory
from tests.factories import CustomerFactory
from tests.factories import UserFactory

TEXT = {
    "zh-hans": {
        "saved": "草稿已保存",
        "submit": "提交归档",
        "sent": "已向档案管理员提交 1 份档案",
        "return": "退回",
        "returned": "已退回修改",
        "resubmit": "重新提交",
        "accept": "接收",
        "accepted": "已归档，档号 GT20230101001",
        "archived": "已归档",
        "channel": "DH 电话沟通",
    },
    "en": {
        "saved": "Draft saved",
        "submit": "Submit to the archive",
        "sent": "1 record(s) sent to the archivist",
        "return": "Return",
        "returned": "Returned for correction",
        "resubmit": "Resubmit",
        "accept": "Accept",
        "accepted": "Accepted as GT20230101001",
        "archived": "Archived",
        "channel": "DH Telephone",
    },
}


@pytest.mark.browser
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_gt_record_from_filing_to_label(
    open_as, shoot, live_server, tmp_path, language
):
    text = TEXT[language]
    staff = UserFactory(username="zhang", display_name="张敏", role="cs_staff")
    archivist = UserFactory(username="li", display_name="李档案", role="archivist")
    CustomerFactory(name="华东机械制造有限公司")
    box = BoxFactory(code="GT-2023-001")
    call_log = tmp_path / "通话记录.txt"
    call_log.write_text("客户来电询问维修进度。", encoding="utf-8")

    # A CS staff member files a GT record with a file and submits it.
    page = open_as(staff, language)
    page.goto(f"{live_server.url}/records/new/")
    # Each kind shows a number as it would be given, not the pattern.
    assert page.inner_text("[data-testid=example-KH]").endswith("KHZZ001")
    assert "{" not in page.inner_text("main")
    shoot(page, f"{language}-00-choose-category")
    page.click("[data-testid=file-GT]")
    page.fill("#id_title", "客户来电询问维修进度")
    # Sub-codes are named in the reader's language (issue 19, item 16).
    page.select_option("#id_subcode_channel", label=text["channel"])
    page.select_option("#id_customer", label="华东机械制造有限公司")
    page.fill("#id_date_formed", "2023-01-01")
    page.select_option("#id_carrier", "both")
    page.fill("#id_page_count", "2")
    page.fill("#id_keywords", "维修 进度")
    page.set_input_files("#id_files", str(call_log))
    shoot(page, f"{language}-01-filing-form")
    page.click("button[type=submit]:not(.dropdown-item)")
    page.get_by_text(text["saved"]).wait_for()
    page.get_by_role("button", name=text["submit"]).click()
    page.get_by_text(text["sent"]).wait_for()
    record_url = page.url

    # The archivist returns it with a reason.
    desk = open_as(archivist, language)
    desk.goto(f"{live_server.url}/review/")
    desk.locator("table a.btn").first.click()
    desk.fill("#id_reason", "缺少客户签字页，请补充后重新提交。")
    shoot(desk, f"{language}-02-review")
    desk.get_by_role("button", name=text["return"], exact=True).click()
    desk.wait_for_url(f"{live_server.url}/review/")

    # The filer sees why, corrects it and resubmits.
    page.goto(record_url)
    assert text["returned"] in page.content()
    assert "缺少客户签字页" in page.content()
    page.goto(record_url + "edit/")
    page.fill("#id_page_count", "3")
    page.click("button[type=submit]:not(.dropdown-item)")
    page.get_by_role("button", name=text["resubmit"]).click()
    page.get_by_text(text["sent"]).wait_for()

    # The archivist accepts it into the box; the number is the preview's.
    desk.goto(f"{live_server.url}/review/")
    desk.locator("table a.btn").first.click()
    assert desk.inner_text("[data-testid=number-preview]") == "GT20230101001"
    desk.select_option("#id_box", str(box.pk))
    desk.get_by_role("button", name=text["accept"], exact=True).click()
    desk.get_by_text(text["accepted"]).wait_for()

    # It is in the catalogue under its number, shelved in its box.
    desk.goto(f"{live_server.url}/catalogue/?q=GT20230101001")
    shoot(desk, f"{language}-03-catalogue")
    desk.get_by_role("link", name="GT20230101001").click()
    assert desk.inner_text("[data-testid=record-number]") == "GT20230101001"
    assert "GT-2023-001" in desk.inner_text("[data-testid=location]")
    assert text["archived"] in desk.content()
    shoot(desk, f"{language}-04-record")

    # Its file downloads under the regulation name; the box label is a PDF.
    with desk.expect_download() as download:
        desk.click("[data-testid=file-download]")
    assert download.value.suggested_filename == (
        "GT20230101001客户来电询问维修进度20230101.txt"
    )
    desk.click("text=GT-2023-001")
    label_url = desk.get_attribute("[data-testid=box-label]", "href")
    label = desk.request.get(f"{live_server.url}{label_url}")
    assert label.headers["content-type"] == "application/pdf"
    assert label.body().startswith(b"%PDF")
