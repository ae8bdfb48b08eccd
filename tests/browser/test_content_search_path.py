"""Issue 17, parts 2 and 3, in a real browser: a filer uploads a scanned
Chinese form (pictures of pages, no text layer); the archivist reads the
four-checks report and accepts it; the worker (eager here) reads the scan
with Tesseract and makes its PDF/A copy; a search for a phrase that is only
in the scan finds the record with a highlighted snippet saying where. In
zh-hans and en."""

import pytest
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from archives.models import PreservationCopy
from tests import samples
from tests.browser.test_file_checks_path import TEXT as CHECKS
from tests.browser.test_file_checks_path import _file_a_record
from tests.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

SENTENCE = "客户反映快递包裹在运输途中破损严重"
TEXT = {
    "zh-hans": {
        "where": "在“GT20230101001客户来电投诉处理单20230101.pdf”中",
        "copy": "长期保存副本",
        "ocr": "文字由 OCR（Tesseract）识别。",
        "search": "搜索",
    },
    "en": {
        "where": "in “GT20230101001客户来电投诉处理单20230101.pdf”",
        "copy": "Long-term copy",
        "ocr": "Its text is read by OCR (Tesseract).",
        "search": "Search",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_scanned_form_is_found_by_a_phrase_only_in_the_scan(
    open_as, shoot, live_server, tmp_path, settings, language
):
    settings.ARCHIVE_PRESERVE_ON_ACCEPT = True
    checks, text = CHECKS[language], TEXT[language]
    staff = UserFactory(username="zhang", display_name="张敏", role="cs_staff")
    archivist = UserFactory(username="li", display_name="李档案", role="archivist")
    CustomerFactory(name="华东机械制造有限公司")
    scan = tmp_path / "登记表扫描件.pdf"
    scan.write_bytes(samples.scan(SENTENCE))

    page = open_as(staff, language)
    _file_a_record(page, live_server.url, checks, scan)
    page.get_by_text(checks["saved"]).wait_for()
    page.get_by_role("button", name=checks["submit"]).click()
    page.get_by_text(checks["sent"]).wait_for()

    desk = open_as(archivist, language)
    desk.goto(f"{live_server.url}/review/")
    desk.locator("table a.btn").first.click()
    report = desk.get_by_test_id("file-check-upload")
    assert report.get_by_test_id("file-check-outcome").inner_text() == checks["passed"]
    desk.get_by_role("button", name=checks["accept"], exact=True).click()
    desk.get_by_text(checks["accepted"]).wait_for()
    record = ArchiveRecord.objects.get()
    copy = PreservationCopy.objects.get(source__record=record)
    assert copy.state == "made", copy.error_detail

    desk.goto(f"{live_server.url}{record.get_absolute_url()}")
    files = desk.locator("#files-card")
    expect(files.get_by_test_id("copy-made")).to_contain_text(text["copy"])
    expect(files.get_by_test_id("copy-made")).to_contain_text("PDF/A-2b")
    expect(files.get_by_test_id("text-read")).to_have_text(text["ocr"])
    shoot(desk, f"{language}-70-record-long-term-copy")

    # "运输途中破损" is nowhere but in the scan's pictures.
    assert "运输途中" not in record.title + record.keywords + record.description
    desk.goto(f"{live_server.url}/catalogue/")
    desk.fill("#id_q", "运输途中破损")
    desk.get_by_role("button", name=text["search"], exact=True).click()
    snippet = desk.get_by_test_id("snippet")
    expect(snippet).to_have_count(1)
    expect(snippet).to_contain_text(text["where"])
    expect(snippet.locator("mark")).to_have_text("运输途中破损")
    expect(desk.locator("td.archive-number a")).to_have_text([record.number])
    shoot(desk, f"{language}-71-search-inside-the-scan")

    # Traditional characters find the Simplified text, and are marked.
    desk.fill("#id_q", "運輸途中")
    desk.get_by_role("button", name=text["search"], exact=True).click()
    expect(desk.get_by_test_id("snippet").locator("mark")).to_have_text("运输途中")
