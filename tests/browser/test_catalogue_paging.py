"""The catalogue pages by key in the browser: first, next, previous, last,
a count that stops at the limit, a search in Chinese (issue 7)."""

import datetime

import pytest
from playwright.sync_api import expect

from archives.models import ArchiveRecord
from archives.services.search import record_search_fill
from tests.browser.conftest import ARTIFACTS
from tests.factories import RecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def sixty(reference_data, staff):
    records = []
    for n in range(60):
        record = RecordFactory(
            created_by=staff,
            title="客户投诉物流延迟" if n % 4 == 0 else f"电话咨询发票{n}",
            date_formed=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            status=ArchiveRecord.Status.ARCHIVED,
            number=f"GT2024{n:05d}",
            number_prefix="GT2024",
            sequence_number=n + 1,
        )
        record_search_fill(record)
        record.save()
        records.append(record)
    return records


def _expect_numbers(page, numbers: list[str]) -> None:
    """The rows shown, waiting for the page the click opened: a click returns
    once navigation starts, so reading the rows at once can catch the old or
    an empty page."""
    expect(page.locator("td.archive-number a")).to_have_text(numbers)


def test_an_archivist_pages_through_the_catalogue_and_searches(
    open_as, archivist, sixty, settings, live_server
):
    settings.ARCHIVE_EXACT_COUNT_LIMIT = 50
    newest_first = [r.number for r in reversed(sixty)]
    page = open_as(archivist, "zh-hans")
    page.goto(f"{live_server.url}/catalogue/?per_page=20")
    _expect_numbers(page, newest_first[:20])
    # 60 records, counted only up to 50.
    assert page.inner_text("[data-testid=result-count]") == "超过 50 份档案"
    page.get_by_role("link", name="下一页").click()
    _expect_numbers(page, newest_first[20:40])
    page.get_by_role("link", name="下一页").click()
    _expect_numbers(page, newest_first[40:60])
    page.get_by_role("link", name="上一页").click()
    _expect_numbers(page, newest_first[20:40])
    page.get_by_role("link", name="末页").click()
    _expect_numbers(page, newest_first[40:60])
    page.get_by_role("link", name="首页").click()
    _expect_numbers(page, newest_first[:20])
    page.screenshot(path=str(ARTIFACTS / "catalogue-paged-zh-hans.png"), full_page=True)

    page.fill("#id_q", "物流延迟")
    page.get_by_role("button", name="搜索").click()
    complaints = [n for n in newest_first if int(n[-5:]) % 4 == 0]
    _expect_numbers(page, complaints[:20])
    assert page.inner_text("[data-testid=result-count]") == "共 15 份档案"
    page.screenshot(
        path=str(ARTIFACTS / "catalogue-search-zh-hans.png"), full_page=True
    )
