"""Issue 17, part 1, in a real browser: a filer's malware is refused with
its reason and nothing typed is lost; the archivist reads the four-checks
report on the review page and on the record; a file the scanner could not
reach is accepted only with a reason. In zh-hans and en."""

import pytest

from archives.models import ArchiveRecord
from tests import samples
from tests.clamd import EICAR
from tests.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

TEXT = {
    "zh-hans": {
        "malware": "含有恶意代码（Eicar-Test-Signature",
        "saved": "草稿已保存",
        "submit": "提交归档",
        "sent": "已向档案管理员提交 1 份档案",
        "report": "四性检测（真实性、完整性、可用性、安全性）",
        "passed": "通过",
        "pending": "待完成",
        "accept": "接收",
        "accepted": "已归档，档号 GT20230101001",
        "refused": "未通过四性检测",
        "hash": "存储的文件与上传时的 SHA-256 一致。",
        "channel": "DH 电话沟通",
    },
    "en": {
        "malware": "holds malware (Eicar-Test-Signature",
        "saved": "Draft saved",
        "submit": "Submit to the archive",
        "sent": "1 record(s) sent to the archivist",
        "report": "Four checks (authenticity, integrity, usability, security)",
        "passed": "Passed",
        "pending": "Pending",
        "accept": "Accept",
        "accepted": "Accepted as GT20230101001",
        "refused": "did not pass the four checks",
        "hash": "The stored file still has the SHA-256 taken at upload.",
        "channel": "DH Telephone",
    },
}


def _file_a_record(page, url, text, path):
    page.goto(f"{url}/records/new/")
    page.click("[data-testid=file-GT]")
    page.fill("#id_title", "客户来电投诉处理单")
    page.select_option("#id_subcode_channel", label=text["channel"])
    page.select_option("#id_customer", label="华东机械制造有限公司")
    page.fill("#id_date_formed", "2023-01-01")
    page.select_option("#id_carrier", "electronic")
    page.fill("#id_page_count", "1")
    page.set_input_files("#id_files", str(path))
    page.click("button[type=submit]:not(.dropdown-item)")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_malware_refused_report_read_and_accepted(
    open_as, shoot, live_server, tmp_path, language
):
    text = TEXT[language]
    staff = UserFactory(username="zhang", display_name="张敏", role="cs_staff")
    archivist = UserFactory(username="li", display_name="李档案", role="archivist")
    CustomerFactory(name="华东机械制造有限公司")
    virus = tmp_path / "投诉附件.txt"
    virus.write_bytes(EICAR)
    scan = tmp_path / "投诉处理单.pdf"
    scan.write_bytes(samples.pdf("客户投诉处理单", pages=1))

    page = open_as(staff, language)
    _file_a_record(page, live_server.url, text, virus)
    body = page.inner_text("main")
    assert text["malware"] in body and "投诉附件.txt" in body
    assert page.input_value("#id_title") == "客户来电投诉处理单"  # kept
    assert not ArchiveRecord.objects.exists()
    shoot(page, f"{language}-60-malware-refused")
    page.set_input_files("#id_files", str(scan))
    page.click("button[type=submit]:not(.dropdown-item)")
    page.get_by_text(text["saved"]).wait_for()
    page.get_by_role("button", name=text["submit"]).click()
    page.get_by_text(text["sent"]).wait_for()

    desk = open_as(archivist, language)
    desk.goto(f"{live_server.url}/review/")
    desk.locator("table a.btn").first.click()
    report = desk.get_by_test_id("file-check-upload")
    assert text["report"] in desk.inner_text("[data-testid=file-checks]")
    assert report.get_by_test_id("file-check-outcome").inner_text() == text["passed"]
    shoot(desk, f"{language}-61-review-four-checks")
    desk.get_by_role("button", name=text["accept"], exact=True).click()
    desk.get_by_text(text["accepted"]).wait_for()
    record = ArchiveRecord.objects.get()
    desk.goto(f"{live_server.url}{record.get_absolute_url()}")
    accepted = desk.get_by_test_id("file-check-acceptance")
    assert text["hash"] in accepted.inner_text()
    shoot(desk, f"{language}-62-record-four-checks")


def test_an_unscanned_file_is_accepted_only_with_a_reason(
    open_as, shoot, live_server, tmp_path, settings
):
    text = TEXT["zh-hans"]
    settings.ARCHIVE_CLAMD_SOCKET = str(tmp_path / "no-clamd.sock")  # it is down
    staff = UserFactory(username="zhang", display_name="张敏", role="cs_staff")
    archivist = UserFactory(username="li", display_name="李档案", role="archivist")
    CustomerFactory(name="华东机械制造有限公司")
    scan = tmp_path / "投诉处理单.pdf"
    scan.write_bytes(samples.pdf("客户投诉处理单"))
    page = open_as(staff, "zh-hans")
    _file_a_record(page, live_server.url, text, scan)
    page.get_by_text(text["saved"]).wait_for()
    page.get_by_role("button", name=text["submit"]).click()
    page.get_by_text(text["sent"]).wait_for()

    desk = open_as(archivist, "zh-hans")
    desk.goto(f"{live_server.url}/review/")
    desk.locator("table a.btn").first.click()
    outcome = desk.get_by_test_id("file-check-upload").get_by_test_id(
        "file-check-outcome"
    )
    assert outcome.inner_text() == text["pending"]
    desk.get_by_role("button", name=text["accept"], exact=True).click()
    assert text["refused"] in desk.inner_text("main")
    desk.fill("#id_override_reason", "扫描服务维护中；文件来自内部工单系统，已人工核对")
    shoot(desk, "zh-hans-63-accept-with-a-reason")
    desk.get_by_role("button", name=text["accept"], exact=True).click()
    desk.get_by_text(text["accepted"]).wait_for()
    record = ArchiveRecord.objects.get()
    desk.goto(f"{live_server.url}{record.get_absolute_url()}")
    assert "李档案 仍予归档" in desk.inner_text("[data-testid=file-check-acceptance]")
    shoot(desk, "zh-hans-64-record-accepted-despite")
