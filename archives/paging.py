"""Pages found by key, not by offset, and counts that never count a million.

A list is ordered by a few fields ending in the primary key. A page link
carries the sort key of the row it continues from (``after``/``before``),
so every page costs the same whatever its depth: the database walks the
matching index from that key and stops after one page.

How many rows match is counted exactly up to ``ARCHIVE_EXACT_COUNT_LIMIT``
(default 1,000) by counting a subquery limited to one row more; past that
the page says "about N", N being PostgreSQL's own estimate of the query
(``EXPLAIN``), or "more than 1,000" where there is no estimate.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import prefetch_related_objects


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


def result_count(queryset: QuerySet) -> ResultCount:
    """How many rows match: exact up to the limit, an estimate past it."""
    limit = settings.ARCHIVE_EXACT_COUNT_LIMIT
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    if counted <= limit:
        return ResultCount(counted, exact=True, estimated=False)
    estimate = planner_estimate(queryset)
    if estimate is None:
        return ResultCount(limit, exact=False, estimated=False)
    return ResultCount(_round(max(estimate, limit + 1)), exact=False, estimated=True)


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows a query returns; None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
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
) -> KeysetPage:
    """One page of a list: the first, the one after/before a cursor, or the last.

    One query for the rows (one more row than the page tells whether there
    is more), one per ``prefetch``, and with ``count`` one or two for how
    many match.
    """
    keys = keys_of(queryset)
    ordered = queryset.order_by(*(key.order() for key in keys))
    reverse = False
    values = None
    if before_cursor:
        values = decode(before_cursor, keys, queryset.model)
        reverse = values is not None
    elif after_cursor:
        values = decode(after_cursor, keys, queryset.model)
    if last and values is None:
        reverse = True
    if reverse:
        ordered = queryset.order_by(*(key.order(reverse=True) for key in keys))
    if values is not None:
        ordered = ordered.filter(after(keys, values, reverse=reverse))
    rows = list(ordered[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if reverse:
        rows.reverse()
    if prefetch:
        prefetch_related_objects(rows, *prefetch)
    # Going forwards, "more" means a next page; backwards, a previous one.
    # A page reached through a cursor always has a page on the side it
    # came from.
    if reverse:
        has_previous, has_next = more, before_cursor != "" and values is not None
    else:
        has_previous, has_next = values is not None, more
    first = rows[0] if rows else None
    last_row = rows[-1] if rows else None
    return KeysetPage(
        object_list=rows,
        per_page=per_page,
        next_cursor=encode([k.value(last_row) for k in keys])
        if has_next and last_row is not None
        else None,
        previous_cursor=encode([k.value(first) for k in keys])
        if has_previous and first is not None
        else None,
        is_first=not has_previous,
        is_last=not has_next,
        count=result_count(queryset) if count else None,
    )
