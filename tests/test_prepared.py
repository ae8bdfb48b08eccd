"""Queries written once per connection (core.prepared): each call finds what
the same queryset would find with its values, reads the related objects it
was built with, and the statement is not written again."""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db import transaction
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
from core.prepared import written_out
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


# On PostgreSQL: prepared on the server once per session, run by name.

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's PREPARE"
)


def _on_server() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, statement FROM pg_prepared_statements"
            " WHERE name LIKE 'archive_prepared_%%'"
        )
        return dict(cursor.fetchall())


@on_postgresql
def test_the_server_prepares_a_statement_once_and_runs_it_by_name(world):
    first = RecordFactory(created_by=world.staff, title="退换货投诉")
    second = RecordFactory(created_by=world.staff, category=first.category)
    with CaptureQueriesContext(connection) as queries:
        found = [
            _records_of(category_id=first.category_id, status=s)
            for s in ("draft", "draft")
        ]
        _titles(ids=(first.pk, second.pk))
    sent = [q["sql"] for q in queries.captured_queries]
    assert len(sent) == 3 and all(
        sql.startswith("EXECUTE archive_prepared_") for sql in sent
    )
    # One statement for each query (and length), whatever the calls.
    names = {sql.split("(")[0].split()[1] for sql in sent}
    assert len(names) == 2
    on_server = _on_server()
    assert all("archives_archiverecord" in on_server[name] for name in names)
    assert [r.pk for r in found[1]] == sorted([first.pk, second.pk])
    assert found[1][0].category.name == first.category.name
    assert written_out(sent[-1]).startswith("PREPARE ")
    assert "title" in written_out(sent[-1])


@on_postgresql
def test_a_statement_outlives_a_transaction_rolled_back(world):
    record = RecordFactory(created_by=world.staff, title="电话回访")

    class Undo(Exception):
        pass

    with pytest.raises(Undo, match="undo"), transaction.atomic():
        assert _titles(ids=(record.pk,)) == [{"pk": record.pk, "title": "电话回访"}]
        raise Undo("undo")
    assert _titles(ids=(record.pk,)) == [{"pk": record.pk, "title": "电话回访"}]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_new_session_prepares_its_statements_again(reference_data):
    record = RecordFactory(title="物流延迟")
    assert _titles(ids=(record.pk,)) == [{"pk": record.pk, "title": "物流延迟"}]
    # The session ends (the server went away, or the connection grew old):
    # the new one has no statement prepared, and prepares it again.
    connection.close()
    assert not _on_server()
    assert _titles(ids=(record.pk,)) == [{"pk": record.pk, "title": "物流延迟"}]
    assert len(_on_server()) == 1


@prepared
def _unprepareable(title: str):
    # "%s IS NULL": the server cannot tell the parameter's type to prepare it.
    return ArchiveRecord.objects.extra(where=["%s IS NULL"], params=[title]).values(
        "pk"
    )


@on_postgresql
def test_a_statement_the_server_will_not_prepare_runs_written_out(world, caplog):
    RecordFactory(created_by=world.staff)
    count = ArchiveRecord.objects.count()
    with transaction.atomic():
        assert _unprepareable(title="满意度调查") == []
        # The refusal did not spoil the transaction: it goes on.
        assert ArchiveRecord.objects.count() == count
    assert "_unprepareable runs written out" in caplog.text
    assert not any("IS NULL" in text for text in _on_server().values())


@on_postgresql
def test_every_statement_of_the_pages_is_prepared_on_the_server(client, world):
    """The record page, the catalogue, a search, the API's list and the
    request form: each statement written for them was prepared."""
    from django.db import connections

    from core.prepared import ON_SERVER

    record = RecordFactory(created_by=world.staff, title="退换货投诉")
    client.force_login(world.archivist)
    for url in (
        record.get_absolute_url(),
        "/catalogue/",
        "/catalogue/?q=退换货",
        "/api/v1/records/",
    ):
        assert client.get(url).status_code == 200
    default = connections["default"]
    written = [
        w
        for (query, _), w in default.__dict__[STATEMENTS].items()
        if w.sql and not query.build.__module__.startswith("tests.")
    ]
    names = default.__dict__[ON_SERVER][1]
    assert len(written) >= 8
    assert all(names.get(id(w)) for w in written)


def test_a_key_larger_than_any_key_finds_nothing(client, world):
    """A number typed into an address, past the 64-bit keys: nothing found,
    as the written-out query would say (the prepared statement's parameter
    is a bigint: the server would refuse the value, a 500)."""
    record = RecordFactory(created_by=world.staff, title="发票开具")
    huge = 2**63
    assert _records_of(category_id=huge, status="draft") == []
    with pytest.raises(ArchiveRecord.DoesNotExist, match="does not exist"):
        _records_of.one(category_id=-huge - 1, status="draft")
    assert _titles(ids=(huge, record.pk)) == [{"pk": record.pk, "title": "发票开具"}]
    assert _numbers(ids=(huge,)) == []
    client.force_login(world.archivist)
    assert client.get(f"/records/{huge}/").status_code == 404
    assert client.get(f"/api/v1/requests/{huge}/").status_code == 404
