"""Issue 20, item 3 (DA/T 22 outputs) in a real browser (zh-hans): the
archivist fills in a box's note sheet, takes its filing stamps, spine and
note sheet, and the year's filing directory; each PDF is rendered with
pdftoppm to be looked at."""

import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _keep(page, url: str, name: str) -> str:
    """Fetch a PDF as the logged-in page, keep it and its first page as PNG;
    return its text."""
    response = page.request.get(url)
    assert response.ok, url
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(response.body())
    first = ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*first, str(path), str(path)[:-4]], check=True)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout


@override_settings(ARCHIVE_FONDS_NUMBER="Z109")
def test_the_archivist_prints_the_arrangement_outputs(
    open_as, shoot, live_server, world
):
    box = world.own.box
    page = open_as(world.archivist, "zh-hans")
    page.goto(f"{live_server.url}/storage/boxes/{box.pk}/")
    page.get_by_role("link", name="填写备考表").click()
    page.fill("#id_note", "第3件缺第2页，原件如此")
    page.select_option("#id_arranged_by", label=str(world.archivist))
    page.fill("#id_arranged_on", timezone.localdate().isoformat())
    page.select_option("#id_checked_by", label=str(world.archivist))
    page.fill("#id_checked_on", timezone.localdate().isoformat())
    page.get_by_role("button", name="保存备考表").click()
    expect(page.locator("main, body").first).to_contain_text("检查人不能是整理人本人")
    page.select_option("#id_checked_by", label=str(world.archivist2))
    page.get_by_role("button", name="保存备考表").click()
    expect(page.get_by_test_id("box-note")).to_contain_text("第3件缺第2页")
    shoot(page, "zh-hans-100-box-with-note-sheet")
    base = f"{live_server.url}/storage/boxes/{box.pk}"
    stamps = _keep(page, f"{base}/stamps.pdf", "zh-hans-101-filing-stamps")
    assert "Z109" in stamps and "3年" in stamps and world.own.number in stamps
    spine = _keep(page, f"{base}/spine.pdf", "zh-hans-102-box-spine")
    assert "全宗号" in spine and "保管期限" in spine and box.code in spine
    note = _keep(page, f"{base}/note.pdf", "zh-hans-103-note-sheet")
    assert "备考表" in note and "陈档案" in note and "第3件缺第2页" in note
    page.get_by_role("button", name="库房管理").click()
    page.get_by_role("link", name="归档文件目录").click()
    page.fill("#id_year", "2023")
    page.select_option("#id_category", str(world.own.category_id))
    page.get_by_role("button", name="显示").click()
    expect(page.get_by_test_id("directory")).to_contain_text(world.own.number)
    expect(page.get_by_test_id("directory")).to_contain_text("客户投诉送货延迟")
    shoot(page, "zh-hans-104-filing-directory")
    query = page.url.split("?", 1)[1]
    directory = _keep(
        page,
        f"{live_server.url}/directory/directory.pdf?{query}",
        "zh-hans-105-filing-directory",
    )
    assert "归档文件目录" in directory and "件号" in directory
