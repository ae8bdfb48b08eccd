"""Issue 18, item 1, in a real browser (zh-hans): a sales colleague's
approved viewing of an electronic record — the pages carry her name, there
is no download, and the reader closes when the approved window ends; the
archivist downloads the same PDF and every page is stamped (pdftotext)."""

import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from archives.services.files import file_ingest
from archives.services.records import record_accept
from archives.services.records import records_submit
from lending.services.approvals import step_decide
from lending.services.requests import access_request_create
from tests import samples
from tests.factories import DepartmentFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

WINDOW_SECONDS = 25


def test_an_approved_viewing_reads_under_a_watermark_until_its_window_ends(
    open_as, shoot, live_server, staff, archivist, gt_box, tmp_path
):
    sales = DepartmentFactory(code="XS", name="销售部")
    reader = UserFactory(
        username="wang", display_name="王销售", role="cs_staff", department=sales
    )
    head = UserFactory(
        username="zhao", display_name="赵经理", role="dept_head", department=sales
    )
    archive_head = UserFactory(
        username="qian", display_name="钱主任", role="archive_head"
    )
    record = RecordFactory(created_by=staff, title="客户来电投诉处理单")
    file_ingest(
        record=record,
        upload=SimpleUploadedFile("处理单.pdf", samples.pdf("客户投诉处理单", pages=2)),
        actor=staff,
    )
    records_submit(actor=staff, records=[record])
    record = record_accept(actor=archivist, record=record, box=gt_box)
    stored = record.files.get()

    now = timezone.now()
    viewing = access_request_create(
        requester=reader,
        kind="viewing",
        numbers=record.number,
        purpose="核对客户投诉处理结果",
        starts_at=now - datetime.timedelta(minutes=1),
        ends_at=now + datetime.timedelta(seconds=WINDOW_SECONDS),
    )
    for step, person in zip(viewing.steps.all(), (head, archive_head), strict=True):
        step_decide(step_id=step.pk, actor=person, approve=True)

    page = open_as(reader, "zh-hans")
    page.goto(f"{live_server.url}{record.get_absolute_url()}")
    page.get_by_test_id("file-link").click()
    expect(page.get_by_test_id("page")).to_have_count(2)
    expect(page.get_by_test_id("reader-notice")).to_contain_text("王销售")
    expect(page.get_by_test_id("window")).to_contain_text("查阅将于")
    assert page.get_by_test_id("download").count() == 0
    assert page.get_by_test_id("print").count() == 0
    # Both pages loaded (the watermark is in the picture itself).
    for image in page.locator("#reader img").all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("naturalWidth", 1100)
    shoot(page, "zh-hans-80-reading-under-watermark")

    # The window ends: the pages close in the browser, and the server says no.
    expect(page.get_by_test_id("reader-closed")).to_be_visible(
        timeout=(WINDOW_SECONDS + 10) * 1000
    )
    expect(page.locator("#reader img")).to_have_count(0)
    shoot(page, "zh-hans-81-reading-window-ended")
    answer = page.request.get(f"{live_server.url}/files/{stored.pk}/pages/1/")
    assert answer.status == 404

    desk = open_as(archivist, "zh-hans")
    desk.goto(f"{live_server.url}/files/{stored.pk}/read/")
    with desk.expect_download() as download:
        desk.get_by_test_id("download").click()
    path = tmp_path / "downloaded.pdf"
    download.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    pages = text.split("\f")[:-1]
    assert len(pages) == 2
    for one in pages:
        assert "下载：李档案（li）" in one


def test_the_reader_in_english_with_a_video(open_as, shoot, live_server, staff):
    """The reader page in English: the pages and a video from the same record."""
    record = RecordFactory(created_by=staff, title="上门维修记录")
    for name, data in (
        ("维修单.pdf", samples.pdf("上门维修记录", pages=1)),
        ("现场.mp4", samples.mp4(120)),
    ):
        file_ingest(record=record, upload=SimpleUploadedFile(name, data), actor=staff)
    page = open_as(staff, "en")
    page.goto(f"{live_server.url}{record.get_absolute_url()}")
    page.get_by_test_id("file-link").first.click()
    expect(page.get_by_test_id("page")).to_have_count(1)
    expect(page.get_by_test_id("reader-notice")).to_contain_text("Read here only")
    expect(page.get_by_test_id("reader-notice")).to_contain_text("张敏")
    page.locator("#reader img").first.scroll_into_view_if_needed()
    expect(page.locator("#reader img").first).to_have_js_property("naturalWidth", 1100)
    shoot(page, "en-80-reading-under-watermark")
    page.go_back()
    page.get_by_test_id("file-link").nth(1).click()
    expect(page.locator("video[data-testid=player]")).to_have_count(1)
    shoot(page, "en-82-video-in-the-page")
