"""Joins planned as written, where the plan is known before it is made.

A record's page asks for the record by its key with its category, customer,
department and three people (seven tables); a list's page asks for 25–100
rows by key with theirs. Each join is a lookup by primary key, and there is
one good plan: the rows by key, then each joined row by key. PostgreSQL
does not know that beforehand: it weighs every order of the seven tables,
and planning took 2.6 ms where running took 0.2 (issue 22; measured with
``EXPLAIN (ANALYZE, SUMMARY)`` on the bench archive). Inside
``joins_as_written()`` queries run with ``join_collapse_limit = 1``: the
joins in the order Django wrote them (the table asked for first), planned
in 0.6 ms.

The setting travels in the same message as the first query that needs it
and is reset in the same message as the first query after (no extra round
trip). Only queries on PostgreSQL, and not server-side cursors (whose text
must be a single SELECT). Queries outside the block keep the planner's full
search: a search filtered by storeroom may well start from the storeroom.
A transaction rolled back may take the setting back with it; the next query
then resets a setting already reset, or plans a block's query with the full
search: a plan, never a result, differs. (A pooler in transaction mode, such
as PgBouncer's, would hand the setting on to another client's queries with
the connection: we connect to PostgreSQL directly.)
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections
from django.db.backends.signals import connection_created

_SET = "SET join_collapse_limit = 1; "
_RESET = "RESET join_collapse_limit; "


@contextmanager
def joins_as_written(using: str = "default"):
    connection = connections[using]
    before = getattr(connection, "archive_joins_wanted", False)
    connection.archive_joins_wanted = True
    try:
        yield
    finally:
        connection.archive_joins_wanted = before


def without_setting(sql: str) -> str:
    """``sql`` as the query asked for it, without the setting in front."""
    for prefix in (_SET, _RESET):
        if sql.startswith(prefix):
            return sql[len(prefix) :]
    return sql


def _joins(execute, sql, params, many, context):
    connection = context["connection"]
    wanted = getattr(connection, "archive_joins_wanted", False)
    if wanted != getattr(connection, "archive_joins_set", False):
        if getattr(context["cursor"].cursor, "name", None):
            return execute(sql, params, many, context)  # a server-side cursor
        sql = (_SET if wanted else _RESET) + sql
        connection.archive_joins_set = wanted
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs):
    if connection.vendor != "postgresql":
        return
    # A new session starts with the server's setting.
    connection.archive_joins_set = False
    if _joins not in connection.execute_wrappers:
        connection.execute_wrappers.append(_joins)


connection_created.connect(_install)
