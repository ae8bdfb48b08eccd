"""Issue 20, item 5 (the annual statistics report) in a real browser
(zh-hans): the head of archives opens last year's report from the menu,
chooses this year, and takes the PDF (rendered with pdftoppm and looked at)."""

import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.reports.test_annual import _last_year_and_this

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def test_the_head_reads_the_annual_report(open_as, shoot, live_server, world):
    this = _last_year_and_this(world)
    page = open_as(world.archive_head, "zh-hans")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("button", name="统计").click()
    page.get_by_role("link", name="统计年报").click()
    expect(page.locator("h1")).to_have_text(f"{this - 1} 年度档案统计年报")
    page.select_option("#id_year", str(this))
    page.get_by_role("button", name="显示").click()
    expect(page.locator("h1")).to_have_text(f"{this} 年度档案统计年报")
    destroyed = page.get_by_test_id("table-destroyed")
    expect(destroyed).to_contain_text("GT 客服沟通记录档案")
    expect(page.get_by_test_id("table-summary")).to_contain_text("新增")
    shoot(page, "zh-hans-99-annual-report")
    pdf = page.request.get(f"{live_server.url}/reports/annual/{this}/report.pdf")
    assert pdf.ok
    path = ARTIFACTS / "zh-hans-99-annual-report.pdf"
    path.write_bytes(pdf.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(path)[:-4],
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert f"{this} 年度档案统计年报" in text and "年末馆藏档案" in text
    assert timezone.localdate().isoformat() in text  # generated today
