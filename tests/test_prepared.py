"""Queries written once per connection (core.prepared): each call finds what
the same queryset would find with its values, reads the related objects it
was built with, and the statement is not written again."""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from core.prepared import STATEMENTS
from core.prepared import prefetched
from core.prepared import prepared
from tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


@prepared
def _records_of(category_id: int, status: str):
    return (
        ArchiveRecord.objects.filter(category_id=category_id, status=status)
        .select_related("category", "box__shelf__storeroom")
        .defer("search_text", "search_grams")
        .order_by("pk")
    )


@prepared
def _titles(ids: tuple[int, ...]):
    return ArchiveRecord.objects.filter(pk__in=ids).order_by("pk").values("pk", "title")


@prepared
def _numbers(ids: tuple[int, ...]):
    return (
        ArchiveRecord.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("number", flat=True)
    )


@prepared
def _box_with_records(box_id: int):
    return Box.objects.filter(pk=box_id).prefetch_related("records")


def _written(calls):
    """Count the statements Django writes while ``calls`` runs."""
    count = 0
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        nonlocal count
        count += 1
        return original(self, *args, **kwargs)

    SQLCompiler.as_sql = counting
    try:
        result = calls()
    finally:
        SQLCompiler.as_sql = original
    return count, result


def test_each_call_finds_what_the_queryset_finds_with_its_values(world):
    second = RecordFactory(category=world.own.category)
    for category in (world.own.category, second.category, world.archivist.pk):
        for status in ("archived", "draft", "destroyed"):
            expected = list(
                ArchiveRecord.objects.filter(category=category, status=status)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            found = _records_of(
                category_id=getattr(category, "pk", category), status=status
            )
            assert [record.pk for record in found] == expected


def test_the_related_objects_come_in_the_same_query(world):
    (record,) = [
        r
        for r in _records_of(category_id=world.own.category_id, status="archived")
        if r.pk == world.own.pk
    ]
    with CaptureQueriesContext(connection) as queries:
        assert record.category.code == world.own.category.code
        assert record.box.shelf.storeroom == world.own.box.shelf.storeroom
        assert record.title == world.own.title
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert record.search_text is not None or record.search_text is None
    assert len(queries) == 1  # deferred as built: read only when asked for


def test_the_statement_is_written_once_and_run_again_with_new_values(world):
    category = world.own.category_id
    _records_of(category_id=category, status="archived")
    written, found = _written(lambda: _records_of(category_id=category, status="draft"))
    assert written == 0
    assert all(record.status == "draft" for record in found)


def test_lists_of_keys_give_rows_and_a_statement_for_each_length(world):
    ids = (world.own.pk, world.other_own.pk)
    assert _titles(ids=ids) == [
        {"pk": r.pk, "title": r.title}
        for r in ArchiveRecord.objects.filter(pk__in=ids).order_by("pk")
    ]
    assert (
        _numbers(ids=ids[::-1])
        == [world.own.number, world.other_own.number][
            :: 1 if world.own.pk < world.other_own.pk else -1
        ]
    )
    assert _titles(ids=(world.own.pk,)) == [
        {"pk": world.own.pk, "title": world.own.title}
    ]
    assert _titles(ids=()) == []
    with pytest.raises(ArchiveRecord.DoesNotExist, match="matching query does not"):
        _titles.one(ids=(0, -1))


def test_prefetched_lists_are_read_as_built(world):
    (box,) = _box_with_records(box_id=world.own.box_id)
    with CaptureQueriesContext(connection) as queries:
        kept = {record.pk for record in box.records.all()}
    assert len(queries) == 0
    assert world.own.pk in kept


@prepared
def _category_code(category_id: int):
    return Category.objects.filter(pk=category_id).values_list("code", flat=True)


def test_another_thread_writes_its_own_statement(db):
    """Each thread has its own connection, and its own statements: the
    reference data (committed by the migrations) read from both."""
    categories = list(Category.objects.order_by("pk").values_list("pk", "code"))
    assert len(categories) >= 2
    found = {}

    def other():
        try:
            found["codes"] = [_category_code(category_id=pk) for pk, _ in categories]
            found["kept"] = getattr(connection, STATEMENTS)
        finally:
            connection.close()

    _category_code(category_id=categories[0][0])
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert found["codes"] == [[code] for _, code in categories]
    mine = getattr(connection, STATEMENTS)
    assert found["kept"] is not mine
    assert (_category_code, ()) in found["kept"] and (_category_code, ()) in mine


def test_a_finished_threads_statements_go_with_its_connection(db):
    """A thread's statements hold its connection: they must not keep it
    once the thread is gone (a live server starts a thread a request)."""
    import gc
    import weakref

    from django.db import connections

    seen = []

    def other():
        try:
            _category_code(category_id=Category.objects.values("pk")[0]["pk"])
            seen.append(weakref.ref(connections["default"]))
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert seen and seen[0]() is None


def test_an_argument_that_does_not_reach_the_sql_as_itself_is_refused(db):
    @prepared
    def by_word(word: str):
        return ArchiveRecord.objects.filter(title__contains=word)

    with pytest.raises(ImproperlyConfigured, match="word does not reach the SQL"):
        by_word(word="投诉")


def test_an_argument_also_used_as_part_of_another_value_is_refused(db):
    """Its own place would take each call's value, the other would keep the
    stand-in: refused rather than finding the wrong rows."""

    @prepared
    def by_code_or_name(code: str):
        return Category.objects.filter(Q(code=code) | Q(name__contains=code))

    with pytest.raises(ImproperlyConfigured, match="code does not reach the SQL"):
        by_code_or_name(code="GT")


def test_columns_django_would_reorder_are_refused(db):
    @prepared
    def counted(category_id: int):
        return (
            Category.objects.filter(pk=category_id)
            .annotate(filed=Count("records"))
            .values_list("filed", "code")
        )

    with pytest.raises(ImproperlyConfigured, match="in the order of their columns"):
        counted(category_id=1)


def test_a_call_names_every_argument(db):
    with pytest.raises(TypeError, match="takes category_id, status"):
        _records_of(category_id=1)


def test_rows_given_to_a_relation_are_read_as_if_prefetched(world):
    box = Box.objects.get(pk=world.own.box_id)
    rows = list(ArchiveRecord.objects.filter(box=box).order_by("pk"))
    prefetched(box, "records", rows)
    with CaptureQueriesContext(connection) as queries:
        assert list(box.records.all()) == rows
        assert all(row.box is box for row in rows)
    assert len(queries) == 0
