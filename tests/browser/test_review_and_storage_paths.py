"""Issue 19, items 7 and 8 in a real browser (zh-hans): the archivist sets up a
shelf and a box in the archive's own pages, accepts a filtered selection of
the queue into it, and empties a box into another in one go."""

import datetime

import pytest
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.services.records import records_submit
from tests.factories import RecordFactory
from tests.factories import StoreroomFactory
from tests.factories import UserFactory


@pytest.mark.browser
@pytest.mark.usefixtures("reference_data")
def test_storage_set_up_and_a_selection_accepted(open_as, shoot, live_server):
    staff = UserFactory(username="zhang", display_name="张敏", role="cs_staff")
    archivist = UserFactory(username="li", display_name="李档案", role="archivist")
    StoreroomFactory(code="R1", name="第一档案库房")
    gt = Category.objects.get(code="GT")
    records = [
        RecordFactory(
            created_by=staff,
            title=f"客户来电咨询维修进度{n}",
            date_formed=datetime.date(2024, 3, 1),
        )
        for n in range(1, 6)
    ]
    ts = RecordFactory(
        created_by=staff,
        category=Category.objects.get(code="TS"),
        title="投诉物业维修迟缓",
        codes={"nature": "ZL", "status": "YY"},
    )
    records_submit(actor=staff, records=[*records, ts])

    page = open_as(archivist, "zh-hans")
    base = live_server.url
    # A shelf for GT in the storeroom, then a box on it (code made for it).
    page.goto(f"{base}/storage/")
    page.get_by_role("link", name="新建档案架").click()
    page.fill("#id_code", "GT-01")
    page.select_option("#id_category", str(gt.pk))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("档案架已新建。").wait_for()
    page.get_by_role("link", name="新建档案盒").click()
    page.fill("#id_year", "2024")
    page.fill("#id_capacity", "3")
    shoot(page, "zh-hans-40-new-box")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("档案盒已新建。").wait_for()
    assert "档案盒 GT-2024-001" in page.inner_text("h1")

    # The queue, narrowed to GT; four selected go into the box of three: the
    # fourth is refused with the reason and stays.
    page.goto(f"{base}/review/")
    page.select_option("#id_category", str(gt.pk))
    page.get_by_role("button", name="显示").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(5)
    for n in range(1, 5):
        page.get_by_label(f"客户来电咨询维修进度{n}").check()
    page.select_option("#id_box", index=1)  # the one box with room
    shoot(page, "zh-hans-41-queue-selection")
    page.get_by_role("button", name="接收所选").click()
    page.get_by_text("已接收 3 件：GT20240301001 至 GT20240301003。").wait_for()
    assert "档案盒 GT-2024-001 已满" in page.inner_text("main")
    shoot(page, "zh-hans-42-queue-after-accept")
    # The filter stayed: GT only, two left.
    expect(page.locator("tbody tr")).to_have_count(2)

    # The rest into a new box made in place.
    page.get_by_label("全选本页").check()
    page.select_option("#id_new_box_shelf", index=1)
    page.get_by_role("button", name="接收所选").click()
    page.get_by_text("已接收 2 件：GT20240301004 至 GT20240301005。").wait_for()
    assert set(Box.objects.values_list("code", flat=True)) == {
        "GT-2024-001",
        "GT-2024-002",
    }

    # The full box is emptied into a new, bigger one in one go.
    page.goto(f"{base}/storage/")
    page.locator("[data-testid^=box-create]").first.click()
    page.fill("#id_year", "2024")
    page.fill("#id_capacity", "50")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("档案盒已新建。").wait_for()
    page.goto(f"{base}/storage/")
    page.get_by_role("link", name="GT-2024-001", exact=True).click()
    page.fill("#id_into", "GT-2024-003")
    shoot(page, "zh-hans-43-box-empty")
    page.get_by_role("button", name="移盒").click()
    page.get_by_text("档案已移盒。").wait_for()
    assert "档案盒 GT-2024-003" in page.inner_text("h1")
    assert ArchiveRecord.objects.filter(box__code="GT-2024-003").count() == 3
    page.goto(f"{base}/storage/")
    shoot(page, "zh-hans-44-storage")
