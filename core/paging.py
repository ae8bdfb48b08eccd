"""Pages found by key, not by offset, and counts that never count a million.

A list is ordered by a few fields ending in the primary key. A page link
carries the sort key of the row it continues from (``after``/``before``),
so every page costs the same whatever its depth: the database walks the
matching index from that key and stops after one page.

How many rows match is counted exactly up to ``ARCHIVE_EXACT_COUNT_LIMIT``
(default 1,000) by counting a subquery limited to one row more; past that
the page says "about N", N being PostgreSQL's own estimate of the query
(``EXPLAIN``), or "more than 1,000" where there is no estimate. An estimate
of three times the limit or more is shown without counting at all.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count
from django.db.models import F
from django.db.models import Func
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Window
from django.db.models import prefetch_related_objects

from core.joins import joins_as_written


@dataclass(frozen=True)
class TextFilter:
    """A search as two conditions: the exact one and its index accelerator.

    ``exact`` says what a record must hold (every word of the term, in its
    search text); ``indexed`` finds candidates through the GIN index on
    PostgreSQL (None elsewhere). A list that pages by key can try ``exact``
    on its newest rows first (here): a common term is found
    there without reading all its matches.
    """

    exact: Q
    indexed: Q | None

    def full(self) -> Q:
        return self.exact if self.indexed is None else self.indexed & self.exact


@dataclass(frozen=True)
class Key:
    path: str  # a field of the model, or "pk"
    descending: bool
    nullable: bool

    def value(self, row):
        value = row
        for part in self.path.split("__"):
            value = getattr(value, part)
            if value is None:
                return None
        if hasattr(value, "pk") and not isinstance(value, int | str):
            return value.pk
        return value

    def order(self, reverse: bool = False):
        descending = self.descending != reverse
        if not self.nullable:
            return f"-{self.path}" if descending else self.path
        # Nulls sort as the greatest value on every database, as
        # PostgreSQL's indexes hold them.
        if descending:
            return F(self.path).desc(nulls_first=True)
        return F(self.path).asc(nulls_last=True)

    def beyond(self, value, reverse: bool) -> Q:
        """Rows after ``value`` in this key's order (reversed if asked)."""
        descending = self.descending != reverse
        if value is None:
            return Q(**{f"{self.path}__isnull": False}) if descending else Q(pk__in=[])
        after = Q(**{f"{self.path}__{'lt' if descending else 'gt'}": value})
        if self.nullable and not descending:
            after |= Q(**{f"{self.path}__isnull": True})
        return after

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})

    def bound(self, value, reverse: bool) -> Q | None:
        """A range the index can use: rows at or after ``value``."""
        if value is None or self.nullable:
            return None
        descending = self.descending != reverse
        return Q(**{f"{self.path}__{'lte' if descending else 'gte'}": value})


def keys_of(queryset: QuerySet) -> list[Key]:
    """The sort keys of a queryset's ordering, ending in the primary key."""
    model = queryset.model
    ordering = list(queryset.query.order_by or model._meta.ordering or [])
    keys = []
    for item in ordering:
        if not isinstance(item, str):
            raise ValueError(f"keyset paging needs field names, not {item!r}")
        descending = item.startswith("-")
        path = item.lstrip("-")
        if path in ("pk", "id", model._meta.pk.name):
            keys.append(Key("pk", descending, nullable=False))
            return keys
        keys.append(Key(path, descending, nullable=_nullable(model, path)))
    keys.append(Key("pk", keys[-1].descending if keys else False, nullable=False))
    return keys


def _nullable(model, path: str) -> bool:
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        if field.is_relation and field.related_model is not None:
            if field.null:
                return True
            model = field.related_model
    return bool(field is None or field.null)


def encode(values: list) -> str:
    text = json.dumps([_plain(v) for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def decode(cursor: str, keys: list[Key], model) -> list | None:
    """The key values a cursor carries; None for a cursor that is no cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    decoded = []
    for key, value in zip(keys, values, strict=True):
        if value is None:
            decoded.append(None)
            continue
        if not isinstance(value, int | str):
            return None
        field = _field_of(model, key.path)
        try:
            decoded.append(field.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            return None
    return decoded


def _field_of(model, path: str):
    field = None
    for part in path.split("__"):
        if field is not None:
            model = field.related_model
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
    return field


def after(keys: list[Key], values: list, reverse: bool = False) -> Q:
    """Rows that come after the row with these key values."""
    condition = Q(pk__in=[])
    same = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= same & key.beyond(value, reverse)
        same &= key.equal(value)
    bound = keys[0].bound(values[0], reverse)
    return condition if bound is None else bound & condition


@dataclass(frozen=True)
class ResultCount:
    value: int
    exact: bool
    estimated: bool


def result_count(queryset: QuerySet, *, estimate=None) -> ResultCount:
    """How many rows match: exact up to the limit, an estimate past it.

    ``estimate``, if given, makes the estimate instead of the planner (a
    search's sample, ``TextSearch``).
    """
    limit = settings.ARCHIVE_EXACT_COUNT_LIMIT
    planned = planner_estimate(queryset) if estimate is None else None
    if planned is not None and planned >= CERTAINLY_MORE * limit:
        # Far past the limit by the planner's reckoning: counting even to
        # the limit would read a thousand rows to confirm it.
        return ResultCount(_round(planned), exact=False, estimated=True)
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    if counted <= limit:
        return ResultCount(counted, exact=True, estimated=False)
    if estimate is not None:
        better = estimate()
        if better is not None:
            return better
        planned = planner_estimate(queryset)
    estimate = planned
    if estimate is None or estimate <= limit:
        # No estimate, or one the exact count has already proved wrong.
        return ResultCount(limit, exact=False, estimated=False)
    return ResultCount(_round(estimate), exact=False, estimated=True)


# An estimate this many times the exact-count limit is taken as it is.
CERTAINLY_MORE = 3


# How long a process keeps the planner's estimate of a query (issue 22).
ESTIMATE_SECONDS = 60


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows a query returns; None elsewhere.

    Each process keeps it for a minute under the query's text and values:
    the planner's figure changes only when the table's statistics do, and a
    first page asked again and again (the catalogue, the API's list) then
    waits for no EXPLAIN.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    key = "estimate:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    local = caches["local"]
    kept = local.get(key)
    if kept is None:
        kept = _explained_rows(connection, sql, params)
        local.set(key, kept, ESTIMATE_SECONDS)
    return kept


def _explained_rows(connection, sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _round(n: int) -> int:
    """Three significant figures: an estimate should not look exact."""
    digits = len(str(n))
    if digits <= 3:
        return n
    step = 10 ** (digits - 3)
    return round(n / step) * step


def rows_by_id(queryset: QuerySet, ids: list) -> list:
    """The rows with these ids in this order, joined as ``queryset`` joins.

    A page is found in two steps: its ids (filters, order and limit, no
    joins), then its rows by primary key with what the list shows. A join
    before the limit would be made for every match of a broad search, not
    only for the rows of the page.
    """
    if queryset.query.annotations:
        # Values computed by the list's own query: ask it again, by id.
        rows = queryset.order_by().filter(pk__in=ids)
    else:
        rows = queryset.model._default_manager.filter(pk__in=ids).order_by()
        rows.query.select_related = queryset.query.select_related
        # What the list left out stays out (the catalogue's search columns,
        # the text inside the files: they were read for every row before).
        rows.query.deferred_loading = queryset.query.deferred_loading
        rows = rows.prefetch_related(*queryset._prefetch_related_lookups)
    with joins_as_written(queryset.db):
        found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


@dataclass
class KeysetPage:
    object_list: list
    per_page: int
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    is_last: bool
    count: ResultCount | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def keyset_page(
    queryset: QuerySet,
    *,
    per_page: int,
    after_cursor: str = "",
    before_cursor: str = "",
    last: bool = False,
    count: bool = False,
    prefetch: tuple = (),
    text: TextFilter | None = None,
    rows: Callable[[list], list] | None = None,
) -> KeysetPage:
    """One page of a list: the first, the one after/before a cursor, or the last.

    Two queries for the rows (``rows_by_id``, or ``rows`` given the page's
    ids in order; one more id than the page tells whether there is more),
    one per ``prefetch``, and with ``count`` one or two for how many match.
    With ``text`` (a search; ``queryset`` holds the other filters) the page
    is found by ``TextSearch``. Rows of either kind carry the sort keys'
    values under their names (the cursors are made of them).
    """
    keys = keys_of(queryset)
    reverse = False
    values = None
    if before_cursor:
        values = decode(before_cursor, keys, queryset.model)
        reverse = values is not None
    elif after_cursor:
        values = decode(after_cursor, keys, queryset.model)
    if last and values is None:
        reverse = True
    ordered = queryset.order_by(*(key.order(reverse=reverse) for key in keys))
    if values is not None:
        ordered = ordered.filter(after(keys, values, reverse=reverse))
    found: ResultCount | None = None
    finder = None
    if text is None:
        ids = list(ordered.values_list("pk", flat=True)[: per_page + 1])
    else:
        finder = TextSearch(queryset, text, keys)
        ids, found = finder.page_ids(ordered, values, reverse, per_page + 1)
    more = len(ids) > per_page
    ids = ids[:per_page]
    if reverse:
        ids.reverse()
    found_rows = rows_by_id(queryset, ids) if rows is None else rows(ids)
    if prefetch:
        prefetch_related_objects(found_rows, *prefetch)
    # Going forwards, "more" means a next page; backwards, a previous one.
    # A page reached through a cursor always has a page on the side it
    # came from.
    if reverse:
        has_previous, has_next = more, before_cursor != "" and values is not None
    else:
        has_previous, has_next = values is not None, more
    first = found_rows[0] if found_rows else None
    last_row = found_rows[-1] if found_rows else None
    if count and found is None:
        found = result_count(queryset) if finder is None else finder.count()
    return KeysetPage(
        object_list=found_rows,
        per_page=per_page,
        next_cursor=encode([k.value(last_row) for k in keys])
        if has_next and last_row is not None
        else None,
        previous_cursor=encode([k.value(first) for k in keys])
        if has_previous and first is not None
        else None,
        is_first=not has_previous,
        is_last=not has_next,
        count=found if count else None,
    )


class TextSearch:
    """A page of a search, found whichever way costs least.

    PostgreSQL cannot estimate how many rows hold all the character pairs of
    a term (it takes the pairs for independent and guesses a handful), so it
    would read every match of a common term through the index before
    sorting, or walk the list's order through a million rows for a rare one.
    Instead:

    0. a list of at most ``TEXT_INDEX_FROM`` rows (the planner's estimate)
       is tested whole: all its matches, unordered, up to ``GATHER_ROWS``,
       sorted here, and their number is the exact count;
    1. *probe*: the next ``PROBE_ROWS`` rows of the list in order are tested
       for the term; if a page of them match, that is the page (an earlier
       match would be among them). A common term ends here in milliseconds;
    2. *probe deeper*: the share of the probed rows that matched tells how
       far down a page of matches lies, and (times the list's size) how many
       matches filtering first would fetch and sort. Where the first is
       fewer than half as many, and at most ``DEEP_PROBE_ROWS``, that many
       rows of the list are tested in order (a row tested costs about twice
       a match fetched). At ten million records a term in one row of a
       hundred has a hundred thousand matches, and a page of them lies two
       or three thousand rows down (issue 22);
    3. *filter first*: the matches are found through the term's index and
       sorted (an order the planner cannot take from an index,
       ``opaque_order``), for a term rare near the cursor; all of them are
       read to be sorted, so the first page counts them as it goes.

    The index (``TextFilter.indexed``) is used only for a large list.
    """

    PROBE_ROWS = 2000
    DEEP_PROBE_ROWS = 50_000
    GATHER_ROWS = 2000
    TEXT_INDEX_FROM = 50_000
    # How many rows the list holds, roughly (None: unknown, as on SQLite).
    # A test gives another estimate, to take every path on any database.
    estimate_rows = staticmethod(planner_estimate)

    def __init__(self, queryset: QuerySet, text: TextFilter, keys: list[Key]):
        self.queryset = queryset
        self.keys = keys
        self.base_rows = self.estimate_rows(queryset)
        self.broad = self.base_rows is None or self.base_rows > self.TEXT_INDEX_FROM
        self.condition = text.full() if self.broad else text.exact
        self.exact = text.exact
        self.sample: tuple[int, int] | None = None

    def page_ids(self, ordered, values, reverse: bool, limit: int):
        if not self.broad:
            gathered = self._gather()
            if gathered is not None:
                exact = ResultCount(len(gathered), exact=True, estimated=False)
                return self._page_of(gathered, values, reverse, limit), exact
        ids = self._probe(ordered, limit, self.PROBE_ROWS)
        if len(ids) >= limit:
            return ids, self._estimate_from_sample()
        deeper = self._deeper(limit)
        if deeper is not None:
            # On from where the first probe stopped: its rows are tested.
            first, _looked = self.sample
            ids += self._probe(ordered, limit - len(ids), deeper, skip=self.PROBE_ROWS)
            self.sample = (first + self.sample[0], deeper)
            if len(ids) >= limit:
                return ids, self._estimate_from_sample()
        matches = self.queryset.filter(self.condition)
        if values is not None:
            matches = matches.filter(after(self.keys, values, reverse=reverse))
        matches = matches.order_by(*opaque_order(self.keys, reverse))
        if values is not None:
            return list(matches.values_list("pk", flat=True)[:limit]), None
        # Every match is read to be sorted: on the first (or last) page,
        # counting them in the same query costs nothing more, where a count
        # of its own would find them all again (issue 22: 3 ms of a search
        # for '王' at a million records).
        found = list(
            matches.annotate(in_list=Window(Count("pk"))).values_list("pk", "in_list")[
                :limit
            ]
        )
        total = found[0][1] if found else 0
        return [pk for pk, _n in found], ResultCount(total, exact=True, estimated=False)

    def _deeper(self, limit: int) -> int | None:
        """How many rows a second probe tests, or None to filter first."""
        matched, looked_at = self.sample
        if not matched or self.base_rows is None:
            return None  # rarer than the first probe can tell: filter first
        # Half as many again as should hold a page, by the first probe's share.
        rows = -(-3 * limit * looked_at // (2 * matched))
        matches = self.base_rows * matched // looked_at
        # A row tested in order costs about twice a match found through the
        # index (bench, a million records: 4–10 µs against 3–7 µs).
        if rows > self.DEEP_PROBE_ROWS or 2 * rows >= matches:
            return None
        return rows

    def _probe(self, ordered: QuerySet, limit: int, rows: int, skip: int = 0) -> list:
        window = ordered.values("pk")[skip:rows]
        found = list(
            ordered.model._default_manager.filter(pk__in=window)
            .filter(self.exact)
            .order_by(*ordered.query.order_by)
            .annotate(in_window=Window(Count("pk")))
            .values_list("pk", "in_window")[:limit]
        )
        self.sample = (found[0][1] if found else 0, rows - skip)
        return [pk for pk, _n in found]

    def _estimate_from_sample(self) -> ResultCount | None:
        """The share of the probed rows that matched, times the list's size;
        None (count exactly) when that is near the exact-count limit."""
        matched, looked_at = self.sample
        if self.base_rows is None or not matched:
            return None
        estimate = self.base_rows * matched // looked_at
        if estimate <= 2 * settings.ARCHIVE_EXACT_COUNT_LIMIT:
            return None
        return ResultCount(_round(estimate), exact=False, estimated=True)

    def _gather(self) -> list | None:
        paths = [key.path for key in self.keys]
        rows = list(
            self.queryset.order_by()
            .filter(self.condition)
            .values_list(*paths)[: self.GATHER_ROWS + 1]
        )
        return None if len(rows) > self.GATHER_ROWS else rows

    def _page_of(self, rows: list, values, reverse: bool, limit: int) -> list:
        # Stable sorts, the last key first; nulls sort as the greatest.
        for index in reversed(range(len(self.keys))):
            rows.sort(
                key=lambda row, i=index: (1, 0) if row[i] is None else (0, row[i]),
                reverse=self.keys[index].descending != reverse,
            )
        if values is not None:
            sign = -1 if reverse else 1
            rows = [r for r in rows if sign * _compare(self.keys, r, values) > 0]
        pk = [key.path for key in self.keys].index("pk")
        return [row[pk] for row in rows[:limit]]

    def count(self) -> ResultCount:
        return result_count(
            self.queryset.filter(self.condition),
            estimate=self._estimate_from_sample,
        )


def opaque_order(keys: list[Key], reverse: bool = False) -> list:
    """The list's order through expressions no index matches (COALESCE(x, x)
    is x): the database then finds the rows by their filters and sorts them."""
    order = []
    for key in keys:
        expression = Func(F(key.path), F(key.path), function="COALESCE")
        if key.descending != reverse:
            order.append(expression.desc(nulls_first=True))
        else:
            order.append(expression.asc(nulls_last=True))
    return order


def _compare(keys: list[Key], a, b) -> int:
    """The lists' order on two rows' key values (nulls as the greatest)."""
    for key, x, y in zip(keys, a, b, strict=True):
        c = (x is None) - (y is None) if x is None or y is None else (x > y) - (x < y)
        if c:
            return -c if key.descending else c
    return 0
