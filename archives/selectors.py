"""Reads of the archive: who sees which records, the catalogue, the queues."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from typing import cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from archives import permissions
from archives import search
from archives.models import RECORD_INPUT_FIELDS
from archives.models import SEARCH_FIELDS
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import Customer
from archives.models import HandoverBatch
from archives.models import NumberSequence
from archives.models import RecordFile
from archives.models import RecordLink
from archives.models import RecordUserObjectPermission
from archives.models import SavedSearch
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import Subcode
from archives.numbering import MissingSubcode
from archives.numbering import example_number
from archives.numbering import format_number
from archives.numbering import parse_pattern
from archives.numbering import seq_width
from archives.periods import PERMANENT
from archives.periods import period_key
from archives.periods import period_order
from archives.personal import id_digest
from core import version
from core.chinese import contains_any
from core.history import reason_text
from core.joins import joins_as_written
from core.names import name_in
from core.paging import TextFilter
from core.permissions import holds_perm
from core.prepared import prepared

Status = ArchiveRecord.Status
Level = ArchiveRecord.Confidentiality

# A department's own people see its archived records up to "internal";
# confidential and secret ones need a request (S3 §5.1.2).
DEPARTMENT_LEVELS = (Level.PUBLIC, Level.INTERNAL)

# Each sort ends in the primary key and has an index of its own, so a page
# is found by key at any depth (``core.paging``).
SORTS = {
    "number": ("number_prefix", "sequence_number", "pk"),
    "-number": ("-number_prefix", "-sequence_number", "-pk"),
    "date": ("date_formed", "pk"),
    "-date": ("-date_formed", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "accepted": ("accepted_at", "pk"),
    "-accepted": ("-accepted_at", "-pk"),
}


def record_visibility_q(*, user) -> Q:
    """The rule of SPEC §6 as a filter: what this person may see without asking."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if holds_perm(user, permissions.VIEW_ALL_RECORDS):
        return Q()
    # Indexed conditions only, so that PostgreSQL estimates them well and
    # can OR their indexes: the grants (a handful) are read first and named
    # by id. A correlated EXISTS among them looked like half the table and
    # sent the planner through every row for the few a person files.
    rule = _own_q(user.pk)
    granted = list(live_grants(user=user).values_list("content_object_id", flat=True))
    if granted:
        rule |= Q(pk__in=granted)
    department = _department_seen(user)
    if department:
        rule |= _department_q(department)
    return rule


def _own_q(user_id: int) -> Q:
    """The records a person filed or is responsible for."""
    return Q(created_by_id=user_id) | Q(responsible_person_id=user_id)


def _department_q(department_id: int) -> Q:
    """A department's archived records up to "internal", for its own people."""
    return (
        Q(source_department_id=department_id)
        & Q(confidentiality__in=DEPARTMENT_LEVELS)
        & ~Q(status=Status.DRAFT)
    )


def _department_seen(user) -> int | None:
    """The department whose records this person sees by their role, if any."""
    if user.department_id and holds_perm(user, permissions.VIEW_DEPARTMENT_RECORDS):
        return user.department_id
    return None


def live_grants(*, user) -> QuerySet[RecordUserObjectPermission]:
    """This person's view grants that hold now: inside their window, if any."""
    now = timezone.now()
    return RecordUserObjectPermission.objects.filter(
        user=user,
        permission__codename=permissions.VIEW_RECORD_OBJECT,
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=now),
        Q(valid_until__isnull=True) | Q(valid_until__gt=now),
    )


def record_list_visible_to(*, user) -> QuerySet[ArchiveRecord]:
    """Every record the person may see, with what list pages show."""
    return ArchiveRecord.objects.filter(record_visibility_q(user=user)).select_related(
        "category", "customer", "source_department", "box__shelf__storeroom"
    )


def record_get_visible(*, user, pk: int) -> ArchiveRecord:
    """One record, or DoesNotExist alike for missing and not allowed.

    By statements written once (``core.prepared``), each of one shape
    whoever asks: the record by key for those who see every record, else
    the record by key if it is the person's own or their department's
    (``record_visibility_q``'s parts), else by key if a grant of it holds
    now. Its box with shelf and storeroom come in the same query, by key,
    joined as written (``core.joins``): ten tables in one join took
    PostgreSQL longer to plan (3 ms) than a second query took to run, but
    on PostgreSQL the statement is planned once per connection now
    (``core.prepared``), and one round trip fewer is what is left.
    """
    with joins_as_written():
        return _record_seen_by(user, pk)


def _record_seen_by(user, pk: int) -> ArchiveRecord:
    if user.is_authenticated and user.is_active:
        if holds_perm(user, permissions.VIEW_ALL_RECORDS):
            return _record_by_key.one(pk=pk)
        department = _department_seen(user)
        found = (
            _record_own_or_department(pk=pk, user_id=user.pk, department_id=department)
            if department
            else _record_own(pk=pk, user_id=user.pk)
        )
        if found:
            return found[0]
        if live_grants(user=user).filter(content_object_id=pk).exists():
            return _record_by_key.one(pk=pk)
    raise ArchiveRecord.DoesNotExist("ArchiveRecord matching query does not exist.")


def _record_shown(records: QuerySet[ArchiveRecord]) -> QuerySet[ArchiveRecord]:
    """What a record's page shows of it: the people and places it names,
    never the text inside its files."""
    return records.select_related(
        "category",
        "customer",
        "source_department",
        "responsible_person",
        "created_by",
        "accepted_by",
        "box__shelf__storeroom",
    ).defer(*SEARCH_FIELDS)


@prepared
def _record_by_key(pk: int):
    return _record_shown(ArchiveRecord.objects.filter(pk=pk))


@prepared
def _record_own(pk: int, user_id: int):
    return _record_shown(ArchiveRecord.objects.filter(_own_q(user_id), pk=pk))


@prepared
def _record_own_or_department(pk: int, user_id: int, department_id: int):
    return _record_shown(
        ArchiveRecord.objects.filter(
            _own_q(user_id) | _department_q(department_id), pk=pk
        )
    )


# The catalogue's filters by their names in the query string (besides the
# words, ``q``): the filter form's fields, what a saved search keeps.
CATALOGUE_FILTERS = (
    "category",
    "subcode",
    "status",
    "date_from",
    "date_to",
    "department",
    "storeroom",
    "box",
    "sort",
)


@dataclass
class CatalogueQuery:
    q: str = ""
    category: int | None = None
    subcode: int | None = None
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    department: int | None = None
    storeroom: int | None = None
    box_code: str = ""
    sort: str = "-date"
    # A selection of the catalogue (its rows ticked): only these.
    ids: tuple[int, ...] = ()


def catalogue_search(*, user, query: CatalogueQuery) -> QuerySet[ArchiveRecord]:
    """The catalogue: visible records matching the search, filters and sort."""
    records, text = catalogue_parts(user=user, query=query)
    return records if text is None else records.filter(text.full())


def catalogue_parts(
    *, user, query: CatalogueQuery
) -> tuple[QuerySet[ArchiveRecord], TextFilter | None]:
    """The catalogue's records filtered by all but the search text, and the
    search text's filter: a page tries the text on the newest rows first."""
    records = record_list_visible_to(user=user).exclude(
        status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED]
    )
    text = search.matches(query.q, vendor=connection.vendor)
    if query.category:
        records = records.filter(category_id=query.category)
    if query.subcode:
        records = records.filter(subcodes__id=query.subcode)
    if query.status:
        records = records.filter(status=query.status)
    if query.date_from:
        records = records.filter(date_formed__gte=query.date_from)
    if query.date_to:
        records = records.filter(date_formed__lte=query.date_to)
    if query.department:
        records = records.filter(source_department_id=query.department)
    if query.storeroom:
        records = records.filter(box__shelf__storeroom_id=query.storeroom)
    if query.box_code:
        records = records.filter(box__code=query.box_code.strip())
    if query.ids:
        records = records.filter(pk__in=query.ids)
    # What an export's rows show but the box's place (the catalogue's page
    # reads its rows by id: ``catalogue_rows_by_id``).
    records = records.select_related(None).select_related(
        "category", "customer", "source_department"
    )
    # The search columns hold the text inside the files too: a list never
    # reads them back.
    records = records.defer(*SEARCH_FIELDS)
    return records.order_by(*SORTS.get(query.sort, SORTS["-date"])), text


@dataclass(slots=True)
class CatalogueRow:
    """A row of the catalogue: what it shows, what its snippet looks in and
    what its sort keys read (``SORTS``), as plain values."""

    pk: int
    number: str | None
    number_prefix: str
    sequence_number: int | None
    title: str
    keywords: str
    description: str
    date_formed: datetime.date | None
    accepted_at: datetime.datetime | None
    disposal_due_on: datetime.date | None
    status: str
    box_id: int | None
    customer_id: int | None
    customer_name: str
    department: str
    place: str  # storeroom-shelf-box; "" when not in a box


# The record's own columns of a ``CatalogueRow``; then those it is shown
# with: its customer's and department's names, its box's place.
CATALOGUE_OWN = (
    "pk",
    "number",
    "number_prefix",
    "sequence_number",
    "title",
    "keywords",
    "description",
    "date_formed",
    "accepted_at",
    "disposal_due_on",
    "status",
    "box_id",
    "customer_id",
)
CATALOGUE_COLUMNS = (
    *CATALOGUE_OWN,
    "customer__name",
    "source_department__name",
    "source_department__names",
    "box__shelf__storeroom__code",
    "box__shelf__code",
    "box__code",
)


def catalogue_rows_by_id(ids: list[int]) -> list[CatalogueRow]:
    """The catalogue's rows with these ids, in this order, in one query.

    Plain values, not records: a page of model objects (a record, its
    customer and its department for each row, and the boxes with their
    shelves and storerooms in a query of their own) took twice as long to
    make as the query took to run. Six tables joined by key, planned as
    written (``core.joins``).
    """
    language = translation.get_language()
    rows = []
    for row in _record_values_by_id(ids, CATALOGUE_COLUMNS):
        box = row["box__code"]
        place = (
            f"{row['box__shelf__storeroom__code']}-{row['box__shelf__code']}-{box}"
            if box
            else ""
        )
        rows.append(
            CatalogueRow(
                **{name: row[name] for name in CATALOGUE_OWN},
                customer_name=row["customer__name"] or "",
                department=name_in(
                    row["source_department__name"],
                    row["source_department__names"],
                    language,
                ),
                place=place,
            )
        )
    return rows


# What the API's record list gives of each row (api.RecordSerializer), by
# the names ``values()`` gives them.
API_COLUMNS = (
    "pk",
    "number",
    "number_prefix",
    "sequence_number",
    "status",
    *(
        name
        for name in RECORD_INPUT_FIELDS
        if name not in ("customer", "source_department", "responsible_person")
    ),
    "disposal_due_on",
    "created_at",
    "submitted_at",
    "accepted_at",
    "updated_at",  # the order of one's own drafts (``mine``)
    "category__code",
    "customer__code",
    "source_department__code",
    "responsible_person__username",
    "box__code",
)


class RecordValues(dict):
    """A record's columns by name, as ``values()`` gives them; read as
    attributes too (``row.pk``), as a list's sort keys and the serializer's
    methods read a record."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error


def record_api_rows_by_id(ids: list[int]) -> list[RecordValues]:
    """The API list's rows with these ids, in this order: the columns it
    gives and the codes of what they point to, in one query of plain values
    (a page of records, with their customers, people and boxes as model
    objects, took longer to make than to ask for)."""
    return [RecordValues(row) for row in _record_values_by_id(ids, API_COLUMNS)]


def _record_values_by_id(ids: list[int], columns: tuple[str, ...]) -> list[dict]:
    """The records with these ids as ``values(*columns)``, in this order
    (one query; their related rows joined by key, planned as written, its
    statement written once for each length of page: ``core.prepared``)."""
    with joins_as_written():
        found = {row["pk"]: row for row in _VALUES_BY_ID[columns](ids=tuple(ids))}
    return [found[pk] for pk in ids if pk in found]


def _values_by_id(columns: tuple[str, ...]):
    def build(ids: tuple[int, ...]):
        return ArchiveRecord.objects.filter(pk__in=ids).order_by().values(*columns)

    return prepared(build)


_VALUES_BY_ID = {
    columns: _values_by_id(columns) for columns in (CATALOGUE_COLUMNS, API_COLUMNS)
}


def subcode_codes(records) -> dict[int, dict[str, str]]:
    """Each record's sub-codes as {dimension key: code}, in one query of
    codes for a page of records."""
    found: dict[int, dict[str, str]] = {}
    for record_id, key, code in _codes_of(ids=tuple(r.pk for r in records)):
        found.setdefault(record_id, {})[key] = code
    return found


@prepared
def _codes_of(ids: tuple[int, ...]):
    through = ArchiveRecord.subcodes.through
    return (
        through.objects.filter(archiverecord_id__in=ids)
        .order_by("subcode__dimension", "subcode__sort_order", "subcode__code")
        .values_list("archiverecord_id", "subcode__dimension__key", "subcode__code")
    )


def records_filed_by(*, user) -> QuerySet[ArchiveRecord]:
    """A person's own drafts, submissions and returns, newest first."""
    return (
        ArchiveRecord.objects.filter(
            created_by=user,
            status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED],
        )
        .select_related("category", "customer")
        .order_by("-updated_at")
    )


def review_queue(
    *,
    user,
    category: Category | None = None,
    department: Department | None = None,
    carrier: str = "",
    late: bool = False,
    text: str = "",
) -> QuerySet[ArchiveRecord]:
    """Submissions waiting for the archivist, oldest first, narrowed by
    category, department, carrier, lateness or words of title or filer."""
    if not user.has_perm(permissions.REVIEW_RECORDS):
        return ArchiveRecord.objects.none()
    # Records still in a department's hand-over batch are the supervisor's
    # until the archive receives the batch (S1 §4.1, S4).
    records = ArchiveRecord.objects.filter(status=Status.SUBMITTED).exclude(
        handover_item__batch__status__in=[
            HandoverBatch.Status.OPEN,
            HandoverBatch.Status.HANDED_OVER,
        ]
    )
    if category is not None:
        records = records.filter(category=category)
    if department is not None:
        records = records.filter(source_department=department)
    if carrier:
        records = records.filter(carrier=carrier)
    if late:
        records = records.filter(submitted_late=True)
    for word in text.split()[:5]:
        records = records.filter(
            contains_any("title", word)
            | contains_any("created_by__display_name", word)
            | Q(created_by__username__icontains=word)
        )
    return records.select_related(
        "category", "customer", "created_by", "source_department"
    ).order_by("submitted_at", "pk")


def boxes_with_room(*, category: Category | None = None) -> QuerySet[Box]:
    """Boxes that can take another record, the newest years first."""
    boxes = Box.objects.annotate(held=Count("records")).filter(held__lt=F("capacity"))
    if category is not None:
        boxes = boxes.filter(category=category)
    return boxes.select_related("shelf__storeroom", "category").order_by(
        "-year", "code"
    )


def boxes_near(record: ArchiveRecord) -> list[str]:
    """The codes of the other boxes of the record's category on its box's
    shelf: where a record moved within the storeroom most likely goes."""
    box = record.box  # read with the record (record_get_visible)
    if box is None:
        return []
    return list(
        Box.objects.filter(shelf_id=box.shelf_id, category_id=record.category_id)
        .exclude(pk=box.pk)
        .order_by("code")
        .values_list("code", flat=True)[:100]
    )


def shelves_for(*, category: Category | None = None) -> QuerySet[Shelf]:
    """Shelves a new box can go on: the category's own, then unassigned ones."""
    shelves = Shelf.objects.select_related("storeroom", "category")
    if category is not None:
        shelves = shelves.filter(Q(category=category) | Q(category__isnull=True))
    return shelves.order_by(
        F("category").asc(nulls_last=True), "storeroom__code", "code"
    )


def overdue_drafts(*, user) -> QuerySet[ArchiveRecord]:
    """Drafts or returns of this person whose submission deadline has passed."""
    return records_filed_by(user=user).filter(
        status__in=[Status.DRAFT, Status.RETURNED],
        submission_due_at__lt=timezone.now(),
    )


@dataclass(frozen=True)
class NumberRange:
    first: str | None
    last: str | None
    count: int


def boxes_with_ranges(*, boxes) -> list[tuple[Box, NumberRange]]:
    """Each box with its first and last number (numeric order) and count.

    One query: the ends come from correlated subqueries over each box's own
    records, so the cost follows the number of boxes, not of records.
    """
    numbered = ArchiveRecord.objects.filter(box=OuterRef("pk"), number__isnull=False)
    boxes = boxes.select_related("category", "shelf__storeroom").annotate(
        first_number=Subquery(
            numbered.order_by("number_prefix", "sequence_number").values("number")[:1]
        ),
        last_number=Subquery(
            numbered.order_by("-number_prefix", "-sequence_number").values("number")[:1]
        ),
        numbered_count=Count("records", filter=Q(records__number__isnull=False)),
    )
    return [
        (box, NumberRange(box.first_number, box.last_number, box.numbered_count))
        for box in boxes
    ]


def box_number_range(*, box: Box) -> NumberRange:
    """First and last number in one box, by numeric sequence."""
    return boxes_with_ranges(boxes=Box.objects.filter(pk=box.pk))[0][1]


@dataclass(frozen=True)
class SequenceGap:
    prefix: str
    missing: list[int]
    issued: int
    width: int = 0

    @property
    def numbers(self) -> list[str]:
        """The missing archive numbers, written out (GT20190901002)."""
        return [format_number(self.prefix, n, self.width) for n in self.missing]


@dataclass(frozen=True)
class FilingChoice:
    category: Category
    # A number as the archive would give it today (the first current
    # sub-code of each dimension), shown instead of the pattern's tokens.
    example: str


def categories_for_filing() -> list[FilingChoice]:
    """The categories a filer chooses from, each with an example number."""
    categories = Category.objects.filter(active=True).prefetch_related(
        Prefetch(
            "dimensions__subcodes",
            queryset=Subcode.objects.filter(active=True).order_by("sort_order", "code"),
        )
    )
    today = timezone.localdate()
    choices = []
    for category in categories:
        codes = {}
        for dimension in category.dimensions.all():
            first = next(iter(dimension.subcodes.all()), None)
            if first is not None:
                codes[dimension.key] = first.code
        try:
            example = example_number(category.number_pattern, subcodes=codes, day=today)
        except (ValidationError, MissingSubcode):
            example = ""
        choices.append(FilingChoice(category, example))
    return choices


def number_gaps() -> list[SequenceGap]:
    """Per sequence, the numbers issued but absent from the catalogue (漏號).

    Two queries: counts per prefix find the sequences with holes, then only
    those sequences' numbers are read to name the holes.
    """
    present_counts = dict(
        ArchiveRecord.objects.filter(number__isnull=False)
        .values("number_prefix")
        .annotate(n=Count("pk"))
        .values_list("number_prefix", "n")
    )
    issued = {
        prefix: last
        for prefix, last in NumberSequence.objects.filter(last_value__gt=0).values_list(
            "prefix", "last_value"
        )
        if present_counts.get(prefix, 0) < last
    }
    present: dict[str, set[int]] = {prefix: set() for prefix in issued}
    widths: dict[str, int] = {}
    for prefix, sequence, number in (
        ArchiveRecord.objects.filter(number_prefix__in=list(issued))
        .values_list("number_prefix", "sequence_number", "number")
        .iterator()
    ):
        if sequence is not None:
            present[prefix].add(sequence)
        if number:
            # The narrowest number shows the pattern's width (a number
            # widens only past 10**width - 1).
            width = len(number) - len(prefix)
            widths[prefix] = min(widths.get(prefix, width), width)
    # A sequence with no record left to measure takes its pattern's width
    # (one query for all of them).
    patterns = _pattern_widths() if set(issued) - set(widths) else []
    return [
        SequenceGap(
            prefix,
            [n for n in range(1, last + 1) if n not in present[prefix]],
            last,
            widths.get(prefix) or _width_of(prefix, patterns),
        )
        for prefix, last in sorted(issued.items())
    ]


def _pattern_widths() -> list[tuple[str, int]]:
    """Each category pattern's leading text and sequence width."""
    found = []
    for pattern in Category.objects.values_list("number_pattern", flat=True):
        parts = parse_pattern(pattern)
        lead = parts[0].value if parts and parts[0].kind == "literal" else ""
        found.append((lead, seq_width(parts)))
    return found


def _width_of(prefix: str, patterns: list[tuple[str, int]]) -> int:
    """The width of the pattern whose leading text matches most of the prefix."""
    best, width = -1, 0
    for lead, seq in patterns:
        if prefix.startswith(lead) and len(lead) > best:
            best, width = len(lead), seq
    return width


@dataclass
class HistoryChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    kind: str
    reason: str
    changes: list[HistoryChange]


HISTORY_FIELDS = (
    "status",
    "number",
    *RECORD_INPUT_FIELDS,
    "box",
    "disposal_due_on",
)
HISTORY_LIMIT = 50


def _display(field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(related.get((field.name, value), value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


# Worded by us: django-simple-history has no Traditional Chinese, and its
# Simplified "Created" reads 建立者 ("the creator").
HISTORY_KINDS = {
    "+": pgettext_lazy("history", "Created"),
    "~": pgettext_lazy("history", "Changed"),
    "-": pgettext_lazy("history", "Deleted"),
}


def record_history(*, record: ArchiveRecord) -> list[HistoryEntry]:
    """What changed, when and by whom, newest first, in a fixed few queries.

    The rows in one; the classification codes of each in one more when there
    are two rows to compare; the names behind a changed reference (a box, a
    person) in one per kind of reference that changed, and none otherwise.
    """
    rows = list(
        record.history.select_related("history_user").order_by("-history_date", "-pk")[
            : HISTORY_LIMIT + 1
        ]
    )
    rows.reverse()
    codes: dict[int, list[str]] = {}
    if len(rows) > 1:
        through = apps.get_model("archives", "HistoricalArchiveRecord_subcodes")
        for history_id, code in through.objects.filter(
            history__in=[r.history_id for r in rows]
        ).values_list("history_id", "subcode__code"):
            codes.setdefault(history_id, []).append(code)
    fields: list[Any] = [ArchiveRecord._meta.get_field(n) for n in HISTORY_FIELDS]
    raw: list[tuple[Any, list[tuple[Any, Any, Any]], list[HistoryChange]]] = []
    wanted: dict[Any, set] = {}
    for previous, row in zip([None, *rows[:-1]], rows, strict=True):
        changed: list[tuple[Any, Any, Any]] = []
        coded: list[HistoryChange] = []
        if previous is not None:
            for field in fields:
                old = getattr(previous, field.attname)
                new = getattr(row, field.attname)
                if old != new:
                    changed.append((field, old, new))
                    if field.is_relation:
                        wanted.setdefault(field, set()).update({old, new} - {None})
            old_codes = sorted(codes.get(previous.history_id, []))
            new_codes = sorted(codes.get(row.history_id, []))
            if old_codes != new_codes:
                coded.append(
                    HistoryChange(
                        str(ArchiveRecord._meta.get_field("subcodes").verbose_name),
                        " ".join(old_codes) or "—",
                        " ".join(new_codes) or "—",
                    )
                )
            if not changed and not coded and not row.history_change_reason:
                continue
        raw.append((row, changed, coded))
    related: dict = {}
    for field, ids in wanted.items():
        for obj in field.related_model._default_manager.filter(pk__in=ids):
            related[(field.name, obj.pk)] = obj
    entries = [
        HistoryEntry(
            at=row.history_date,
            user=row.history_user,
            kind=HISTORY_KINDS.get(row.history_type, row.history_type),
            reason=reason_text(row.history_change_reason),
            changes=[
                HistoryChange(
                    str(field.verbose_name),
                    _display(field, old, related),
                    _display(field, new, related),
                )
                for field, old, new in changed
            ]
            + coded,
        )
        for row, changed, coded in raw
    ]
    entries.reverse()
    return entries[:HISTORY_LIMIT]


@dataclass(frozen=True)
class FilterOptions:
    categories: list
    subcodes: list
    departments: list
    storerooms: list


FILTER_OPTIONS_KEY = "archives:catalogue-filter-options:v2"


def _options_key(language: str) -> str:
    return f"{FILTER_OPTIONS_KEY}:{language}"


def catalogue_filter_options() -> FilterOptions:
    """The catalogue's choices: categories, sub-codes grouped by category,
    departments and storerooms, named in the reader's language.

    Read in three queries and kept in the cache, one copy per language,
    until one of these tables changes (``archives.signals`` drops the
    copies), so a catalogue page asks nothing for its filters.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    return cast(
        FilterOptions,
        cache.get_or_set(_options_key(language), _read_filter_options, 3600),
    )


def _read_filter_options() -> FilterOptions:
    rows = Category.objects.order_by(
        "sort_order",
        "code",
        "dimensions__sort_order",
        "dimensions__subcodes__sort_order",
    ).values_list(
        "pk",
        "code",
        "name",
        "names",
        "dimensions__name",
        "dimensions__names",
        "dimensions__subcodes__pk",
        "dimensions__subcodes__code",
        "dimensions__subcodes__name",
        "dimensions__subcodes__names",
    )
    categories: dict[int, str] = {}
    groups: dict[str, list] = {}
    for row in rows:
        pk, code, name, names, dimension, dimension_names = row[:6]
        sub_pk, sub_code, sub_name, sub_names = row[6:]
        categories.setdefault(pk, f"{code} {name_in(name, names)}")
        if sub_pk is not None:
            groups.setdefault(code, []).append(
                (
                    sub_pk,
                    f"{code} · {name_in(dimension, dimension_names)} · "
                    f"{sub_code} {name_in(sub_name, sub_names)}",
                )
            )
    return FilterOptions(
        categories=list(categories.items()),
        subcodes=list(groups.items()),
        departments=[(d.pk, str(d)) for d in Department.objects.all()],
        storerooms=[(r.pk, str(r)) for r in Storeroom.objects.all()],
    )


NAMES_KEY = "archives:names-by-code:v1"


def names_by_code() -> dict[str, dict[str, dict]]:
    """The other-language names of categories, complaint sub-codes,
    departments and storerooms by code, and their ids (cached like the filter
    options): for figures that keep a code and its Chinese name, as the
    statistics do."""

    def read():
        complaint = Subcode.objects.filter(
            dimension__category__code=settings.ARCHIVE_COMPLAINT_CATEGORY
        )
        return {
            "category": dict(Category.objects.values_list("code", "names")),
            "subcode": dict(complaint.values_list("code", "names")),
            "department": dict(Department.objects.values_list("code", "names")),
            "storeroom": dict(Storeroom.objects.values_list("code", "names")),
            # And their ids, for links to the catalogue filtered by them.
            "category_id": dict(Category.objects.values_list("code", "pk")),
            "nature_id": dict(
                complaint.filter(dimension__key="nature").values_list("code", "pk")
            ),
            "storeroom_id": dict(Storeroom.objects.values_list("code", "pk")),
        }

    return cast(dict, cache.get_or_set(NAMES_KEY, read, 3600))


def filter_fields_key(language: str) -> str:
    """The cache key of the catalogue's filter fields as HTML, unchosen, in
    ``language`` (``archives.views.catalogue.filter_fields``); a release's
    new words make a new key."""
    return f"archives:catalogue-filter-fields:{version.VERSION}:{language}"


def catalogue_cache_keys(language: str) -> list[str]:
    """The shared cache's keys a catalogue page reads, read in one round
    trip (``core.cache.read_ahead``): its filter choices and their HTML in
    ``language``, and the saved searches' version."""
    return [_options_key(language), filter_fields_key(language), SEARCHES_VERSION_KEY]


def filter_options_changed(**kwargs) -> None:
    cache.delete_many(
        [
            NAMES_KEY,
            *(_options_key(code) for code, _name in settings.LANGUAGES),
            *(filter_fields_key(code) for code, _name in settings.LANGUAGES),
        ]
    )


def numbers_in(text: str) -> list[str]:
    """The record numbers in free text (one per line, or separated by commas,
    spaces or 、), each once, in the order given."""
    return list(dict.fromkeys(n for n in re.split(r"[\s,，、;；]+", text or "") if n))


def records_numbered(numbers: list[str]) -> list[ArchiveRecord]:
    """The records with these numbers, in that order; unknown ones named at once."""
    found = {
        r.number: r
        for r in ArchiveRecord.objects.filter(number__in=numbers).select_related(
            "category", "customer"
        )
    }
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError(
            {
                "numbers": gettext("No record has the number %(numbers)s.")
                % {"numbers": "、".join(missing)}
            }
        )
    return [found[n] for n in numbers]


def records_by_numbers(text: str) -> list[ArchiveRecord]:
    """The records named in free text, at least one, whatever their status."""
    numbers = numbers_in(text)
    if not numbers:
        raise ValidationError({"numbers": gettext("Name at least one record number.")})
    return records_numbered(numbers)


def saved_searches_for(*, user) -> list:
    """A person's own saved searches, then those shared by others."""
    version = cache.get_or_set(SEARCHES_VERSION_KEY, 1, None)

    def read():
        searches = SavedSearch.objects.filter(
            Q(owner=user) | Q(shared=True)
        ).select_related("owner")
        return sorted(searches, key=lambda s: (s.owner_id != user.pk, s.name))

    # Kept in the cache (a catalogue page asks no SQL for them) until any
    # search is saved or deleted, shared ones being everyone's.
    key = f"archives:saved-searches:{version}:{user.pk}"
    return cast(list, cache.get_or_set(key, read, 3600))


SEARCHES_VERSION_KEY = "archives:saved-searches:version"


def saved_searches_changed() -> None:
    try:
        cache.incr(SEARCHES_VERSION_KEY)
    except ValueError:
        cache.set(SEARCHES_VERSION_KEY, 2, None)


PICKER_LIMIT = 30


def boxes_with_room_matching(*, text: str) -> QuerySet[Box]:
    """Boxes with room whose code holds ``text`` (a picker's options)."""
    boxes = boxes_with_room()
    if text:
        boxes = boxes.filter(code__icontains=text)
    return boxes[:PICKER_LIMIT]


def customers_matching(*, text: str) -> list[tuple[int, str]]:
    """Customers whose code or name holds ``text`` (either script), at most
    ``PICKER_LIMIT``, by code."""
    customers = Customer.objects.order_by("code")
    if text:
        customers = customers.filter(
            Q(code__icontains=text) | contains_any("name", text)
        )
    return [(c.pk, str(c)) for c in customers[:PICKER_LIMIT]]


def latest_file_checks(record: ArchiveRecord) -> list:
    """The newest four-checks report of each stage (upload, acceptance,
    inspection), with their findings; a record inspected for years has many
    reports, of which only these are read."""
    from archives.models import FileCheck

    reports = {report.stage: report for report in _newest_checks(record_id=record.pk)}
    return [reports[s] for s in FileCheck.Stage.values if s in reports]


@prepared
def _newest_checks(record_id: int):
    from django.db.models import Max

    from archives.models import FileCheck
    from archives.models import FileCheckItem

    newest = (
        FileCheck.objects.filter(record_id=record_id)
        .values("stage")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    return (
        FileCheck.objects.filter(pk__in=Subquery(newest))
        .prefetch_related(
            Prefetch("items", queryset=FileCheckItem.objects.select_related("file"))
        )
        .select_related("checked_by", "overridden_by")
    )


@dataclass(frozen=True)
class Snippet:
    """Where a search word was found when the row does not show it, and the
    text around it with the word marked (HTML, escaped)."""

    where: str
    html: str


def search_snippets(records: list[CatalogueRow], term: str) -> dict[int, Snippet]:
    """For the records of one page found by ``term``: a snippet for each
    whose number, title, customer and keywords do not hold all its words —
    from the description, else from the text inside its files.

    Only the page's rows are read, and only their descriptions and files'
    text; each person sees them only for records they may see anyway.
    """
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    words = search.runs(term)
    if not words or search.number_prefix(term):
        return {}
    wanted = {}
    for record in records:
        shown = search.search_text(
            record.number, record.title, record.customer_name, record.keywords
        )
        if any(word not in shown for word in words):
            wanted[record.pk] = record
    found: dict[int, Snippet] = {}
    for pk, record in wanted.items():
        hit = search.snippet(record.description or "", term)
        if hit is not None:
            found[pk] = Snippet(_("in the description"), mark_safe(hit[1]))  # noqa: S308 - escaped in search.snippet
    files = _texts_of(ids=tuple(pk for pk in wanted if pk not in found))
    for record_file in files:
        if record_file.record_id in found:
            continue
        hit = search.snippet(record_file.content_text, term)
        if hit is None:
            continue
        page, html = hit
        pages = record_file.content_text.count("\f") + 1
        where = (
            _("in “%(file)s”, page %(page)s") if pages > 1 else _("in “%(file)s”")
        ) % {"file": record_file.display_name, "page": page}
        found[record_file.record_id] = Snippet(where, mark_safe(html))  # noqa: S308
    return found


@prepared
def _texts_of(ids: tuple[int, ...]):
    """The text inside these records' live files, for snippets."""
    return (
        RecordFile.objects.filter(record_id__in=ids, erased_at__isnull=True)
        .exclude(content_text="")
        .order_by("pk")
        .only("pk", "record_id", "file", "original_name", "content_text")
    )


def record_files(record: ArchiveRecord) -> list[RecordFile]:
    """A record's files with their long-term copies, without their text."""
    files = _files_of(record_id=record.pk)
    for record_file in files:
        record_file.record = record
    return files


@prepared
def _files_of(record_id: int):
    return (
        RecordFile.objects.filter(record_id=record_id)
        .select_related("preservation", "parent")
        .defer("content_text", "parent__content_text")
    )


def record_subcodes(record: ArchiveRecord) -> list[Subcode]:
    """A record's sub-codes with their dimensions."""
    return _subcodes_of(record_id=record.pk)


@prepared
def _subcodes_of(record_id: int):
    return Subcode.objects.filter(records=record_id).select_related("dimension")


def record_reviews(record: ArchiveRecord) -> list:
    """A record's reviews with who made them, oldest first."""
    return _reviews_of(record_id=record.pk)


@prepared
def _reviews_of(record_id: int):
    from archives.models import RecordReview

    return RecordReview.objects.filter(record_id=record_id).select_related("actor")


def copies_pending(files: list[RecordFile]) -> bool:
    """Whether the worker is still making a copy of one of these files."""
    for record_file in files:
        copy = getattr(record_file, "preservation", None)
        if copy is not None and copy.pending:
            return True
    return False


@dataclass(frozen=True)
class FileRights:
    """What a person who may see a record may do with its files: read them
    in the browser always; download and print by right, never the files of
    an online-only (confidential, secret) record without the right to
    handle those; ``closes_at``: when their viewing window ends, if they
    see the record only by an approved request."""

    download: bool
    print: bool
    closes_at: datetime.datetime | None


def file_rights(*, user, record: ArchiveRecord) -> FileRights:
    online_only = record.confidentiality in settings.ARCHIVE_ONLINE_ONLY_LEVELS and (
        not user.has_perm(permissions.HANDLE_CONFIDENTIAL_FILES)
    )
    return FileRights(
        download=user.has_perm(permissions.DOWNLOAD_FILES) and not online_only,
        print=user.has_perm(permissions.PRINT_FILES) and not online_only,
        closes_at=_window_end(user=user, record=record),
    )


def _window_end(*, user, record: ArchiveRecord) -> datetime.datetime | None:
    """The end of the grant through which alone this person sees the record."""
    if holds_perm(user, permissions.VIEW_ALL_RECORDS):
        return None
    if user.pk in (record.created_by_id, record.responsible_person_id):
        return None
    if (
        user.department_id
        and holds_perm(user, permissions.VIEW_DEPARTMENT_RECORDS)
        and record.source_department_id == user.department_id
        and record.confidentiality in DEPARTMENT_LEVELS
        and record.status != Status.DRAFT
    ):
        return None
    ends = list(
        live_grants(user=user)
        .filter(content_object=record)
        .values_list("valid_until", flat=True)
    )
    if not ends or None in ends:
        return None
    return max(end for end in ends if end is not None)


def record_pdf_sources(record: ArchiveRecord) -> list[str]:
    """The stored PDFs a record's live, clean files are read from (their
    PDF/A copies, or the original PDFs), in file order."""
    from archives import reading

    names = []
    for record_file in record_files(record):
        if record_file.erased_at or record_file.scan == RecordFile.Scan.INFECTED:
            continue
        source = reading.source_of(record_file)
        if source is not None and source.kind == "pdf":
            names.append(source.name)
    return names


def mailboxes() -> QuerySet:
    from archives.models import Mailbox

    return Mailbox.objects.select_related("category", "assignee").prefetch_related(
        "rules__category"
    )


def mail_messages_taken(*, state: str = "") -> QuerySet:
    """Messages taken, newest first: filed (with their draft) and refused."""
    from archives.models import MailMessage

    taken = MailMessage.objects.select_related("mailbox", "record")
    return taken.filter(state=state) if state else taken


@dataclass(frozen=True)
class LinkedRecord:
    """The other end of a link, as the record page names it."""

    pk: int
    number: str | None  # always set: only accepted records are linked
    title: str

    def get_absolute_url(self) -> str:
        return reverse("archives:record-detail", args=[self.pk])


@dataclass(frozen=True)
class LinkShown:
    pk: int
    note: str


def record_links(
    *, record: ArchiveRecord, user
) -> list[tuple[LinkShown, LinkedRecord]]:
    """The records linked to ``record`` either way that this person may see
    (one that is hidden from them is not named), oldest link first; the rule
    of what they may see (``record_visibility_q``) is applied to the other
    end in the same query, and only what the page shows is read."""
    rule = record_visibility_q(user=user)
    rows: Any
    if rule == Q():
        rows = _links_of(record_id=record.pk)
    else:
        rows = _links_shown(
            RecordLink.objects.filter(
                (Q(from_record=record) & _on_related(rule, "to_record"))
                | (Q(to_record=record) & _on_related(rule, "from_record"))
            )
        )
    shown = []
    for pk, note, from_id, to_id, from_number, from_title, to_number, to_title in rows:
        if from_id == record.pk:
            other = LinkedRecord(to_id, to_number, to_title)
        else:
            other = LinkedRecord(from_id, from_number, from_title)
        shown.append((LinkShown(pk, note), other))
    return shown


def _links_shown(links: QuerySet[RecordLink]) -> QuerySet:
    return links.order_by("created_at", "pk").values_list(
        "pk",
        "note",
        "from_record_id",
        "to_record_id",
        "from_record__number",
        "from_record__title",
        "to_record__number",
        "to_record__title",
    )


@prepared
def _links_of(record_id: int):
    """Every link of a record either way (for those who see every record)."""
    return _links_shown(
        RecordLink.objects.filter(Q(from_record=record_id) | Q(to_record=record_id))
    )


def _on_related(rule: Q, relation: str) -> Q:
    """A filter on records, applied to the records at ``relation``."""
    moved = Q()
    moved.connector, moved.negated = rule.connector, rule.negated
    for child in rule.children:
        if isinstance(child, Q):
            moved.children.append(_on_related(child, relation))
        else:
            lookup, value = cast(tuple[str, Any], child)
            moved.children.append((f"{relation}__{lookup}", value))
    return moved


def box_periods(*, boxes) -> dict[int, str]:
    """The retention period of each box's records (one per box, DA/T 22; an
    empty box's is its category's own), for all the boxes in one query."""
    flagged = set(
        ArchiveRecord.objects.filter(
            box__in=[box.pk for box in boxes], involves_major_decision=True
        )
        .values_list("box_id", flat=True)
        .distinct()
    )
    return {box.pk: period_key(box.category, box.pk in flagged) for box in boxes}


def box_pages(*, box: Box) -> int:
    return box.records.aggregate(n=Sum("page_count"))["n"] or 0


def directory_periods(*, category: Category, year: int) -> list[str]:
    """The retention periods found among a year's records of a category."""
    flags = (
        ArchiveRecord.objects.filter(
            category=category, date_formed__year=year, number__isnull=False
        )
        .values_list("involves_major_decision", flat=True)
        .distinct()
    )
    return sorted({period_key(category, flag) for flag in flags}, key=period_order)


def directory_records(*, category: Category, year: int, period: str = ""):
    """The records of a year and category in the order of their numbers,
    for the filing directory (归档文件目录); destroyed ones stay listed."""
    records = (
        ArchiveRecord.objects.filter(
            category=category, date_formed__year=year, number__isnull=False
        )
        .select_related("category", "source_department")
        .order_by("number_prefix", "sequence_number")
    )
    if period:
        own = period_key(category, False)
        if period == own and own != PERMANENT:
            records = records.filter(involves_major_decision=False)
        elif period == PERMANENT and own != PERMANENT:
            records = records.filter(involves_major_decision=True)
        elif period != own:
            records = records.none()
    return records


# An owner's dossier shows to someone who may not see a record only what the
# request catalogue would: its number, category and date (never a title, and
# nothing of a confidential or secret record).
DOSSIER_OPEN_LEVELS = (
    ArchiveRecord.Confidentiality.PUBLIC,
    ArchiveRecord.Confidentiality.INTERNAL,
)


def owner_dossiers(*, text: str = "") -> QuerySet[Customer]:
    """Owners (业主) found by room, name, code, or their whole ID number."""
    owners = Customer.objects.filter(is_owner=True).order_by("room", "name")
    text = (text or "").strip()
    if not text:
        return owners
    compact = "".join(text.split()).upper()
    if len(compact) >= 15 and compact[:-1].isdigit():
        return owners.filter(id_digest=id_digest(compact))
    return owners.filter(
        Q(room__icontains=text) | Q(name__icontains=text) | Q(code__iexact=text)
    )


@dataclass(frozen=True)
class DossierRow:
    record: ArchiveRecord
    # False: the reader may not see the record; only its number, category
    # and date are shown.
    seen: bool


DossierGroup = tuple[Category, list[DossierRow]]


def dossier_records(*, owner: Customer, user) -> list[DossierGroup]:
    """Every accepted record of an owner across categories, grouped by
    category, as far as this reader may know of it."""
    records = (
        ArchiveRecord.objects.filter(customer=owner, number__isnull=False)
        .exclude(status=Status.DESTROYED)
        .select_related("category")
        .order_by(
            "category__sort_order", "category__code", "number_prefix", "sequence_number"
        )
    )
    visible = set(
        records.filter(record_visibility_q(user=user)).values_list("pk", flat=True)
    )
    groups: dict[int, DossierGroup] = {}
    for record in records.filter(
        Q(pk__in=visible) | Q(confidentiality__in=DOSSIER_OPEN_LEVELS)
    ):
        group = groups.setdefault(record.category_id, (record.category, []))
        group[1].append(DossierRow(record=record, seen=record.pk in visible))
    return list(groups.values())


def batches_for(*, user) -> QuerySet[HandoverBatch]:
    """The hand-over batches a person works with: every one for the archive
    and the auditors, their own department's for a supervisor or head."""
    batches = HandoverBatch.objects.select_related(
        "department", "handed_over_by", "received_by"
    ).annotate(
        count=Count("items"),
        checked=Count("items", filter=Q(items__checked_at__isnull=False)),
    )
    if holds_perm(user, permissions.VIEW_ALL_RECORDS):
        return batches.order_by("-month", "department__code", "-pk")
    if holds_perm(user, permissions.SIGN_BATCHES) and user.department_id:
        return batches.filter(department_id=user.department_id).order_by(
            "-month", "-pk"
        )
    return batches.none()


def batch_items(*, batch: HandoverBatch) -> QuerySet:
    return batch.items.select_related(
        "record__category", "record__created_by", "checked_by"
    ).order_by("record__submitted_at", "pk")
