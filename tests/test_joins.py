"""Joins planned as written (core.joins): the setting is in force exactly
inside the block, on PostgreSQL, and nothing read changes."""

import pytest
from django.db import connection
from django.db import transaction

from archives.models import ArchiveRecord
from archives.selectors import record_get_visible
from core.joins import joins_as_written
from core.joins import without_setting
from tests.factories import RecordFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="a PostgreSQL planner setting"
    ),
]


def _limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


def test_the_setting_holds_inside_the_block_and_nowhere_else():
    default = _limit()
    assert default != "1"
    with joins_as_written():
        assert _limit() == "1"
        assert _limit() == "1"
        with joins_as_written():
            assert _limit() == "1"
        assert _limit() == "1"  # the inner block leaves the outer's
    assert _limit() == default


def test_a_failed_transaction_inside_the_block_leaves_no_trace():
    default = _limit()
    with (
        pytest.raises(ZeroDivisionError, match="division by zero"),
        transaction.atomic(),
        joins_as_written(),
    ):
        assert _limit() == "1"
        1 / 0  # noqa: B018 - the failure rolls the SET back with it
    assert _limit() == default
    with joins_as_written():
        # Known to the server or not, the planner still answers right.
        assert _limit() in ("1", default)


def test_the_setting_travels_in_front_of_the_query_that_needs_it():
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        with joins_as_written():
            ArchiveRecord.objects.filter(pk=0).exists()
        ArchiveRecord.objects.filter(pk=0).exists()
    sent = [q["sql"] for q in queries]
    assert sent[0].startswith("SET join_collapse_limit = 1; SELECT")
    assert sent[1].startswith("RESET join_collapse_limit; SELECT")
    # What the bench replays as the page's SELECTs: both, as sent.
    assert [without_setting(sql)[:6] for sql in sent] == ["SELECT", "SELECT"]


def test_a_server_side_cursor_in_the_block_reads_its_rows(staff):
    records = [RecordFactory(created_by=staff) for _ in range(3)]
    with transaction.atomic(), joins_as_written():
        found = list(
            ArchiveRecord.objects.filter(pk__in=[r.pk for r in records])
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=2)
        )
    assert found == [r.pk for r in records]


def test_the_record_page_reads_the_same_record(staff, archivist):
    record = RecordFactory(created_by=staff, title="投诉电话回访")
    found = record_get_visible(user=archivist, pk=record.pk)
    assert (found.title, found.created_by, found.category) == (
        "投诉电话回访",
        staff,
        record.category,
    )
    assert _limit() != "1"
