"""Pages by key: every row once, in order, forwards and backwards, whichever
way a search finds its page (probe, gather, ordered query)."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings

from archives import search
from archives.models import ArchiveRecord
from archives.services.search import record_search_fill
from core import paging
from core.paging import TextSearch
from core.paging import keyset_page
from tests.factories import RecordFactory


@pytest.fixture
def shelf_of_records(staff):
    """45 archived records over 9 days; every third is about a complaint,
    one is about a rare thing; titles repeat so that sorts tie."""
    records = []
    for n in range(45):
        title = "投诉处理记录" if n % 3 == 0 else f"咨询记录{n % 5}"
        if n == 17:
            title = "稀有的银质档案盒"
        records.append(
            RecordFactory(
                created_by=staff,
                title=title,
                date_formed=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 9),
                status=ArchiveRecord.Status.ARCHIVED,
                number=f"GT2024{n:05d}",
                number_prefix="GT2024",
                sequence_number=n + 1,
                accepted_at=None
                if n % 4 == 0
                else datetime.datetime(2024, 2, 1 + n % 5, tzinfo=datetime.UTC),
            )
        )
    for record in records:
        record_search_fill(record)
        record.save()
    return records


def _walk(queryset, text, per_page, backwards=False):
    """Every id, page after page, following the links as a reader would."""
    ids, cursor, pages = [], "", 0
    while True:
        page = keyset_page(
            queryset,
            per_page=per_page,
            text=text,
            count=True,
            last=backwards and not cursor,
            before_cursor=cursor if backwards else "",
            after_cursor="" if backwards else cursor,
        )
        chunk = [r.pk for r in page]
        ids = chunk + ids if backwards else ids + chunk
        pages += 1
        cursor = page.previous_cursor if backwards else page.next_cursor
        if cursor is None:
            return ids, page.count, pages
        assert pages < 100


SORTS = {
    "newest": ("-date_formed", "-pk"),
    "title": ("title", "pk"),
    "number, newest first": ("-number_prefix", "-sequence_number", "-pk"),
    "recently accepted (some never)": ("-accepted_at", "-pk"),
}


def _in_order(queryset):
    """The list's own order: nulls sort as the greatest value."""
    return queryset.order_by(*(k.order() for k in paging.keys_of(queryset)))


WAYS = {
    # probe rows, gather rows, index from, deeper probe rows at most, the
    # list's size as the planner estimates it: which of TextSearch's steps
    # finds the page (a list estimated at fewer rows than "index from" is
    # gathered whole; by default the list's size is given as its estimate,
    # which SQLite's planner would not give)
    "probe": (1000, 1000, 0, 0, None),
    "filter first": (2, 1000, 0, 0, None),
    "gather": (2, 1000, 10_000, 0, None),
    "gather overflows, probe": (1000, 3, 10_000, 0, None),
    "gather overflows, filter first": (2, 3, 10_000, 0, None),
    # The list taken for a thousand rows: a few probed rows' matches say a
    # page lies nearer than all the matches are many; probed again deeper.
    "probe deeper": (4, 1000, 0, 1000, 1000),
}


def _estimate(queryset) -> int:
    """What the planner of an analysed table says: about its size."""
    return queryset.order_by().count()


def _deeper_probes(monkeypatch) -> list[int]:
    """The rows of each deeper probe made."""
    made = []
    deeper = TextSearch._deeper

    def counted(self, limit):
        rows = deeper(self, limit)
        if rows is not None:
            made.append(rows)
        return rows

    monkeypatch.setattr(TextSearch, "_deeper", counted)
    return made


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("term", ["投诉", "稀有", "没有的词"])
@pytest.mark.django_db
def test_a_search_lists_every_match_once_in_order_both_ways(
    monkeypatch, shelf_of_records, sort, way, term
):
    probe, gather, index_from, deep, size = WAYS[way]
    monkeypatch.setattr(TextSearch, "PROBE_ROWS", probe)
    monkeypatch.setattr(TextSearch, "GATHER_ROWS", gather)
    monkeypatch.setattr(TextSearch, "TEXT_INDEX_FROM", index_from)
    monkeypatch.setattr(TextSearch, "DEEP_PROBE_ROWS", deep)
    estimate = _estimate if size is None else (lambda queryset: size)
    monkeypatch.setattr(TextSearch, "estimate_rows", staticmethod(estimate))
    deeper = _deeper_probes(monkeypatch)
    base = ArchiveRecord.objects.all().order_by(*SORTS[sort])
    text = search.matches(term, vendor=connection.vendor)
    expected = list(_in_order(base.filter(text.full())).values_list("pk", flat=True))
    forwards, count, _pages = _walk(base, text, per_page=4)
    assert forwards == expected
    assert count.exact and count.value == len(expected)
    backwards, _count, _pages = _walk(base, text, per_page=4, backwards=True)
    assert backwards == expected
    # A deeper probe only where the first found some, not a page, of a list
    # taken for large: the common term's; never the absent one's.
    if way != "probe deeper" or term == "没有的词":
        assert not deeper
    elif term == "投诉":
        assert deeper


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.django_db
def test_a_list_pages_through_ties_both_ways(shelf_of_records, sort):
    base = ArchiveRecord.objects.all().order_by(*SORTS[sort])
    expected = list(_in_order(base).values_list("pk", flat=True))
    forwards, count, pages = _walk(base, None, per_page=7)
    assert forwards == expected and pages == 7
    assert count.exact and count.value == 45
    assert _walk(base, None, per_page=7, backwards=True)[0] == expected


@pytest.mark.django_db
def test_past_the_limit_the_count_says_more_than_or_about(shelf_of_records):
    base = ArchiveRecord.objects.order_by("-date_formed", "-pk")
    with override_settings(ARCHIVE_EXACT_COUNT_LIMIT=10):
        count = keyset_page(base, per_page=5, count=True).count
    assert not count.exact
    if connection.vendor == "postgresql":
        assert count.estimated and count.value > 10  # the planner's estimate
    else:
        assert (count.value, count.estimated) == (10, False)  # "more than 10"


@pytest.mark.django_db
def test_the_planners_estimate_is_kept_a_minute(shelf_of_records):
    """The same list asked again within a minute waits for no EXPLAIN; a
    minute on, the planner is asked again, and another list is its own."""
    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's")
    import time_machine
    from django.test.utils import CaptureQueriesContext

    def explains(queryset) -> tuple[int, int | None]:
        with CaptureQueriesContext(connection) as queries:
            rows = paging.planner_estimate(queryset)
        return sum("EXPLAIN" in q["sql"] for q in queries), rows

    every = ArchiveRecord.objects.all()
    archived = ArchiveRecord.objects.filter(status="archived")
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0), tick=False) as t:
        asked, rows = explains(every)
        assert asked == 1 and rows > 0
        assert explains(every) == (0, rows)
        assert explains(archived)[0] == 1
        t.shift(datetime.timedelta(seconds=paging.ESTIMATE_SECONDS + 1))
        assert explains(every)[0] == 1


@pytest.mark.django_db
def test_a_cursor_that_is_no_cursor_gives_the_first_page(shelf_of_records):
    base = ArchiveRecord.objects.order_by("-date_formed", "-pk")
    first = [r.pk for r in keyset_page(base, per_page=5)]
    for junk in ("x", "!!!", paging.encode(["not a date", 1]), paging.encode([1])):
        assert [r.pk for r in keyset_page(base, per_page=5, after_cursor=junk)] == first


def test_search_text_and_grams_are_what_the_index_and_the_recheck_need():
    assert search.search_text("GT-2024-001", "投诉，处理", None, "退款") == (
        "gt 2024 001 投诉 处理 退款"
    )
    assert search.document_grams("投诉处理") == "投 投诉 诉 诉处 处 处理 理"
    assert search.query_grams("投诉处理") == ["投诉", "诉处", "处理"]
    assert search.query_grams("退") == ["退"]
    # A number, or its beginning, is looked up by its beginning.
    number = search.matches("gt-2024", vendor="postgresql")
    assert number.indexed is None
    assert number.exact == search.Q(number__startswith="GT2024")


@pytest.mark.django_db
def test_values_a_list_computes_reach_its_page(shelf_of_records):
    from django.db.models import Value
    from django.db.models.functions import Length

    base = ArchiveRecord.objects.annotate(
        title_length=Length("title"), marker=Value("x")
    ).order_by("-date_formed", "-pk")
    page = keyset_page(base, per_page=5)
    assert [(r.title_length, r.marker) for r in page] == [
        (len(r.title), "x") for r in page
    ]


@pytest.mark.django_db
def test_a_search_found_by_filtering_first_counts_in_the_same_query(
    monkeypatch, shelf_of_records
):
    """Filtering first reads every match to sort them: the first page's
    count comes with its rows, not from a count query of its own."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(TextSearch, "PROBE_ROWS", 2)
    monkeypatch.setattr(TextSearch, "TEXT_INDEX_FROM", 0)
    monkeypatch.setattr(TextSearch, "DEEP_PROBE_ROWS", 0)
    monkeypatch.setattr(TextSearch, "estimate_rows", staticmethod(_estimate))
    base = ArchiveRecord.objects.all().order_by("-date_formed", "-pk")
    text = search.matches("投诉", vendor=connection.vendor)
    matching = base.filter(text.full()).count()
    assert matching > 4
    with CaptureQueriesContext(connection) as queries:
        page = paging.keyset_page(base, per_page=4, count=True, text=text)
    assert page.count == paging.ResultCount(matching, exact=True, estimated=False)
    # (The stand-in for the planner's estimate counts the whole table.)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert not [sql for sql in counts if "search_text" in sql]
    # Past the first page the rows after the cursor are not all the matches:
    # counted as before.
    after = paging.keyset_page(
        base, per_page=4, count=True, text=text, after_cursor=page.next_cursor
    )
    assert after.count.value == matching
