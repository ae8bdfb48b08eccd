"""Queries whose SQL is written once per connection and run with new values.

Django turns a queryset into SQL afresh every time it runs: for a record's
page, a third of its CPU time went on writing the same seven statements with
other numbers in them (issue 22; ``compiler.as_sql``, profiled with
cProfile on the bench archive). A query made ``@prepared`` is built and
written once per database connection, with a stand-in for each of its
arguments; each call then only puts its values in the stand-ins' places,
runs the statement and reads the rows the way Django's queryset would
(model objects with their ``select_related`` objects and
``prefetch_related`` lists, or ``values()`` rows).

The build function must depend on its arguments alone: anything else it
reads (the time, the language, a setting) is written into the statement the
first time and kept. Each argument must reach the SQL as a value of its own
(``pk=record_id``, not ``title__contains=word``, whose value is ``%word%``):
writing the statement checks that and says which argument does not. An
argument annotated ``tuple[int, ...]`` is a list of keys
(``pk__in=ids``): a statement is written for each length met.

On PostgreSQL the statement is also prepared on the server (``PREPARE``) the
first time a connection runs it, and then run by name (``EXECUTE``): the
server parses and plans it once, not every time. Planning was most of what
these queries cost the server: the record by its key with its six joined
tables took 1.4 ms a run written out and 0.2 ms prepared (issue 22;
``bench/page_cpu.py --statements`` shows a page's statements). Every query
here looks rows up by key, for which the plan PostgreSQL keeps (its
"generic" plan, after five planned runs) is the one it would make each time.
A statement the server will not prepare runs written out, as before.

django-prepared-queries did this for Django < 2.2 and is no longer kept.
"""

from __future__ import annotations

import inspect
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models import prefetch_related_objects
from django.db.models.query import FlatValuesListIterable
from django.db.models.query import ModelIterable
from django.db.models.query import ValuesIterable
from django.db.models.query import ValuesListIterable
from django.db.models.query import get_related_populators

logger = logging.getLogger(__name__)

# The attribute of a connection that holds its statements.
STATEMENTS = "archive_prepared_statements"
# The attribute of a connection that holds the statements its session has
# prepared on the server (each one's EXECUTE, "" for one it would not), with
# the session (the database connection under Django's wrapper) they belong to.
ON_SERVER = "archive_prepared_on_server"
# Stand-ins no real value takes: keys are positive, and no text holds U+E000.
_INT_BASE = -7_308_551_000_000
_TEXT = "\ue000prepared:{}\ue000"
# What a key can be: a 64-bit signed integer (BigAutoField).
_KEYS = range(-(2**63), 2**63)


def _kind(annotation: Any) -> str:
    if isinstance(annotation, type):
        text = annotation.__name__
    else:
        text = str(annotation).replace(" ", "")
    if text.startswith("tuple[int"):
        return "ids"
    if text == "str":
        return "str"
    return "int"


@dataclass
class _Written:
    """One statement, written for one connection (and one length of lists)."""

    sql: str | None
    params: list
    slots: list[tuple[int, str, int | None]]  # (position, argument, index)
    compiler: Any
    shape: str  # "model", "values", "values_list", "flat"
    names: list[str]
    prefetch: tuple
    alias: str
    populators: list | None = None
    init_list: list[str] | None = None
    model_slice: slice | None = None
    annotations: dict | None = None
    # On PostgreSQL: the statement in the server's own form ($1, $2, ...).
    server_sql: str | None = None


def _server_form(sql: str, count: int) -> str | None:
    """``sql`` with PostgreSQL's numbered parameters in place of the
    driver's ``%s``, or None if the placeholders do not add up."""
    numbers = itertools.count(1)
    parts = sql.split("%%")
    converted = []
    for part in parts:
        pieces = part.split("%s")
        converted.append(
            "".join(
                piece if i == 0 else f"${next(numbers)}{piece}"
                for i, piece in enumerate(pieces)
            )
        )
        if "%" in "".join(pieces):
            return None  # another placeholder style: leave it alone
    if next(numbers) != count + 1:
        return None
    return "%".join(converted)


class Prepared:
    """A query built by ``build`` and written once per connection; calling
    it with the build's arguments (by name) gives the rows as a list."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        signature = inspect.signature(build)
        self.kinds = {
            name: _kind(parameter.annotation)
            for name, parameter in signature.parameters.items()
        }
        update_wrapper(self, build)
        self.model: Any = None  # known once a statement is written

    def __call__(self, **values) -> list:
        if values.keys() != self.kinds.keys():
            raise TypeError(
                f"{self.build.__name__} takes {', '.join(self.kinds)}, "
                f"not {', '.join(values)}"
            )
        for name, kind in self.kinds.items():
            value = values[name]
            if kind == "int" and isinstance(value, int) and value not in _KEYS:
                # No key is that large (a number typed into an address): the
                # written-out query would find nothing, and a statement
                # prepared on the server refuses the value outright.
                return []
            if kind == "ids":
                values[name] = tuple(k for k in value if k in _KEYS)
        lengths = tuple(
            len(values[name]) for name, kind in self.kinds.items() if kind == "ids"
        )
        if 0 in lengths:
            return []  # no key asked for: no row, and no statement to run
        written = self._statement(lengths)
        if written.sql is None:
            return []  # a statement that can find nothing (``pk__in=[]``)
        params = list(written.params)
        for position, name, index in written.slots:
            params[position] = values[name] if index is None else values[name][index]
        return self._rows(written, params)

    def one(self, **values):
        """The first row, or the model's DoesNotExist if there is none."""
        rows = self(**values)
        if not rows:
            model = self.model or self.build(**self._stand_ins(self._ones())[0]).model
            raise model.DoesNotExist(
                f"{model._meta.object_name} matching query does not exist."
            )
        return rows[0]

    def _ones(self) -> tuple:
        return tuple(1 for kind in self.kinds.values() if kind == "ids")

    def _stand_ins(self, lengths: tuple) -> tuple[dict[str, Any], dict[tuple, tuple]]:
        """The build's arguments as stand-ins, and what each stands for."""
        arguments: dict[str, Any] = {}
        meaning: dict[tuple, tuple] = {}
        lengths_left = list(lengths)
        serial = 0
        for name, kind in self.kinds.items():
            if kind == "ids":
                items = []
                for index in range(lengths_left.pop(0)):
                    serial += 1
                    items.append(_INT_BASE - serial)
                    meaning[("int", items[-1])] = (name, index)
                arguments[name] = tuple(items)
                continue
            serial += 1
            stand_in: str | int = (
                _TEXT.format(serial) if kind == "str" else _INT_BASE - serial
            )
            meaning[(kind, stand_in)] = (name, None)
            arguments[name] = stand_in
        return arguments, meaning

    def _statement(self, lengths: tuple) -> _Written:
        # Kept on the connection (each thread has its own), and gone with it:
        # a statement holds its connection, so a table beside the
        # connections would keep every finished thread's alive.
        connection = connections["default"]
        kept = connection.__dict__.setdefault(STATEMENTS, {})
        written = kept.get((self, lengths))
        if written is None:
            written = kept[(self, lengths)] = self._write(connection, lengths)
        return written

    def _write(self, connection, lengths: tuple) -> _Written:
        arguments, meaning = self._stand_ins(lengths)
        queryset = self.build(**arguments)
        if queryset.db != connection.alias:
            raise ImproperlyConfigured(f"{self.build.__name__}: default database only")
        self.model = queryset.model
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Written(None, [], [], compiler, "", [], (), connection.alias)
        slots, reached, altered = [], set(), set()
        for position, param in enumerate(params):
            kind = {str: "str", int: "int"}.get(type(param))
            found = meaning.get((kind, param)) if kind else None
            if found is not None:
                slots.append((position, *found))
                reached.add(found[0])
            elif kind == "str" and _TEXT[0] in param:
                # A stand-in made into another value (``%word%``): it would
                # stay in the statement as it is. Its name is in the value.
                altered.update(
                    name
                    for (k, stand_in), (name, _) in meaning.items()
                    if k == "str" and stand_in in param
                )
        missing = [
            name for name in self.kinds if name not in reached or name in altered
        ]
        if missing:
            raise ImproperlyConfigured(
                f"{self.build.__name__}: {', '.join(missing)} does not reach the "
                "SQL as a value of its own"
            )
        query = queryset.query
        iterable = queryset._iterable_class
        known = queryset._known_related_objects  # type: ignore[attr-defined]
        lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        shapes = {
            ModelIterable: "model",
            ValuesIterable: "values",
            ValuesListIterable: "values_list",
            FlatValuesListIterable: "flat",
        }
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = getattr(queryset, "_fields", None)
        if iterable not in shapes or known or (fields and list(fields) != names):
            # (Django reorders the columns of values_list("annotation", "field")
            # after reading them: not done here, so refused.)
            raise ImproperlyConfigured(
                f"{self.build.__name__}: model objects or values() in the "
                "order of their columns only"
            )
        written = _Written(
            sql=sql,
            params=list(params),
            slots=slots,
            compiler=compiler,
            shape=shapes[iterable],
            names=names,
            prefetch=tuple(lookups),
            alias=connection.alias,
        )
        if connection.vendor == "postgresql" and settings.DATABASE_PREPARE_ON_SERVER:
            written.server_sql = _server_form(sql, len(params))
        if written.shape == "model":
            klass_info = compiler.klass_info
            fields = klass_info["select_fields"]
            written.model_slice = slice(fields[0], fields[-1] + 1)
            columns = compiler.select[written.model_slice]
            written.init_list = [column[0].target.attname for column in columns]
            written.populators = get_related_populators(  # type: ignore[call-arg]
                klass_info, compiler.select, connection.alias
            )
            written.annotations = compiler.annotation_col_map
        return written

    def _rows(self, written: _Written, params: list) -> list:
        compiler = written.compiler
        with compiler.connection.cursor() as cursor:
            execute = written.server_sql and _on_server(
                compiler.connection, written, self.build.__name__
            )
            cursor.execute(execute or written.sql, params)
            fetched = cursor.fetchall()
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        rows = compiler.results_iter([fetched], tuple_expected=written.shape != "model")
        if written.shape == "values":
            names = written.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        if written.shape == "values_list":
            return list(rows)
        if written.shape == "flat":
            return [row[0] for row in rows]
        model = compiler.klass_info["model"]
        alias, part, init_list = written.alias, written.model_slice, written.init_list
        objects = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[part])
            for populator in written.populators or ():
                populator.populate(row, obj)
            for name, position in (written.annotations or {}).items():
                setattr(obj, name, row[position])
            objects.append(obj)
        if written.prefetch and objects:
            prefetch_related_objects(objects, *written.prefetch)
        return objects


def _on_server(connection, written: _Written, label: str) -> str | None:
    """The ``EXECUTE`` of ``written`` as prepared in this connection's
    session, preparing it the first time; None if the server would not
    prepare it."""
    session = connection.connection
    kept = connection.__dict__.get(ON_SERVER)
    if kept is None or kept[0] is not session:
        # A new session (the first, or after a reconnection) has none.
        kept = connection.__dict__[ON_SERVER] = (session, {})
    names = kept[1]
    execute = names.get(id(written))
    if execute is not None:
        return execute or None
    name = f"archive_prepared_{len(names) + 1}"
    # Through the driver's own cursor: setting up, not a query of the page
    # (Django's query log and counts do not see it). A prepared statement
    # outlives the transaction it was made in, even one rolled back; inside
    # one, a savepoint keeps a refusal from spoiling the transaction.
    inside = connection.in_atomic_block
    error = connection.Database.Error
    with session.cursor() as cursor:
        if inside:
            try:
                cursor.execute("SAVEPOINT archive_prepare")
            except error:
                return None  # a transaction already failed: its query will say so
        try:
            cursor.execute(f"PREPARE {name} AS {written.server_sql}")
        except error as refused:
            if inside:
                cursor.execute("ROLLBACK TO SAVEPOINT archive_prepare")
            logger.warning(
                "%s runs written out: the server would not prepare it (%s)",
                label,
                str(refused).strip(),
            )
            name = ""
        if inside:
            cursor.execute("RELEASE SAVEPOINT archive_prepare")
    execute = ""
    if name:
        placeholders = ", ".join(["%s"] * len(written.params))
        execute = (
            f"EXECUTE {name}({placeholders})" if placeholders else f"EXECUTE {name}"
        )
    names[id(written)] = execute
    return execute or None


def written_out(sql: str, using: str = "default") -> str:
    """What a logged query ran: for ``EXECUTE <name>(...)`` of a statement
    prepared here, the statement's own text (``PREPARE <name> AS ...``);
    any other query as it is. For tests and the bench, which read the SQL
    a page ran; on the connection that ran it."""
    from core.joins import without_setting

    if not without_setting(sql).startswith("EXECUTE archive_prepared_"):
        return sql
    name = without_setting(sql).split()[1].split("(")[0]
    with connections[using].connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s", [name]
        )
        row = cursor.fetchone()
    return row[0] if row else sql


def prepared(build: Callable[..., QuerySet]) -> Prepared:
    """``build``'s query, written once per connection (see the module)."""
    return Prepared(build)


def prefetched(obj, relation: str, rows: list) -> None:
    """Give ``obj``'s reverse foreign key ``relation`` these rows, as
    ``prefetch_related`` would: ``obj.<relation>.all()`` then asks nothing,
    and each row knows ``obj`` without asking either."""
    manager = getattr(obj, relation)
    field = manager.field
    for row in rows:
        field.set_cached_value(row, obj)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[field.remote_field.cache_name] = queryset
