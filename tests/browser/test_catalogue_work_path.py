"""Issue 19, item 20 in a real browser (zh-hans, and the main path in
zh-hant and en): hits appear and are marked as one types; the search is
saved; two rows ticked are moved into a box in one go."""

import pytest
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from tests.factories import BoxFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

TEXT = {
    "zh-hans": (
        "将此检索保存为",
        "保存",
        "保存的检索",
        "移入此盒",
        "已将 2 件档案移入档案盒",
    ),
    "zh-hant": (
        "將此檢索儲存為",
        "儲存",
        "儲存的檢索",
        "移入此盒",
        "已將 2 件檔案移入檔案盒",
    ),
    "en": (
        "Save this search as",
        "Save",
        "Saved searches",
        "Move to this box",
        "2 records moved to box",
    ),
}


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_type_save_tick_and_move(open_as, shoot, live_server, world, language):
    save_label, save, saved, move, moved = TEXT[language]
    box = BoxFactory(code="GT-2023-NEW")
    page = open_as(world.archivist, language)
    page.goto(f"{live_server.url}/catalogue/")
    expect(page.locator("[data-testid=catalogue] tbody tr")).to_have_count(4)
    # Typing narrows the list without a click, the hits marked.
    page.locator("#id_q").press_sequentially("送貨", delay=50)
    page.locator("[data-testid=catalogue] mark").wait_for()
    expect(page.locator("[data-testid=catalogue] tbody tr")).to_have_count(1)
    assert page.inner_text("[data-testid=catalogue] mark") == "送货"
    assert "q=" in page.url  # the address follows, for the back button
    shoot(page, f"{language}-80-search-as-you-type")
    page.get_by_label(save_label).fill("送货投诉")
    page.get_by_role("button", name=save, exact=True).click()
    page.get_by_role("button", name=saved).click()
    assert "送货投诉" in page.inner_text(".dropdown-menu.show")
    # Two rows ticked, moved into a box in one go.
    page.goto(f"{live_server.url}/catalogue/")
    page.get_by_label(f"{world.own.number}", exact=False).first.check()
    page.locator(f"input[name=record][value='{world.other_own.pk}']").check()
    page.fill("input[name=to_box]", box.code)
    shoot(page, f"{language}-81-selection")
    page.get_by_role("button", name=move).click()
    page.wait_for_load_state()
    shoot(page, f"{language}-82-moved")
    assert moved in page.inner_text("main"), page.inner_text("main")[:500]
    assert set(ArchiveRecord.objects.filter(box=box).values_list("pk", flat=True)) == {
        world.own.pk,
        world.other_own.pk,
    }
