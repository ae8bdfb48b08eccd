"""Reads for viewing and lending: queues, registers, holdings."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Exists
from django.db.models import F
from django.db.models import Func
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.utils import timezone

from accounts.roles import Role
from archives import search
from archives.models import SEARCH_FIELDS
from archives.models import ArchiveRecord
from archives.selectors import record_visibility_q
from core.chinese import contains_any
from core.joins import joins_as_written
from core.paging import TextFilter
from core.permissions import user_roles
from core.prepared import prefetched
from core.prepared import prepared
from lending import permissions
from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.models import Extension
from lending.models import Kind
from lending.models import OwnerRequest
from lending.models import Partner
from lending.models import PartnerAgreement

Status = AccessRequest.Status
Level = ArchiveRecord.Confidentiality
# The records a request can be for (``lending.services.requests.REQUESTABLE``).
REQUESTABLE_STATUSES = (
    ArchiveRecord.Status.ARCHIVED,
    ArchiveRecord.Status.IN_VIEWING,
    ArchiveRecord.Status.ON_LOAN,
)

Decision = ApprovalStep.Decision


def _with_items(requests: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    return requests.select_related("requester", "department").prefetch_related(
        # Who handed over, went along and took back are named on the form
        # and the request page: in the same query, not one each.
        # In each request's own order: the models' ordering starts with the
        # request, which joined every item and step to its request to sort
        # them by the request's date (issue 22).
        Prefetch("items", queryset=_items_shown()),
        Prefetch("steps", queryset=_steps_shown()),
    )


def _items_shown() -> QuerySet[AccessItem]:
    return (
        AccessItem.objects.select_related(
            "record", "handed_over_by", "accompanied_by", "received_by"
        )
        .defer(*(f"record__{name}" for name in SEARCH_FIELDS))
        .order_by("request_id", "pk")
    )


def _steps_shown() -> QuerySet[ApprovalStep]:
    return ApprovalStep.objects.select_related("decided_by", "department").order_by(
        "request_id", "position"
    )


@prepared
def _request_by_key(pk: int):
    return AccessRequest.objects.filter(pk=pk).select_related("requester", "department")


@prepared
def _items_of(request_id: int):
    return _items_shown().filter(request_id=request_id)


@prepared
def _steps_of(request_id: int):
    return _steps_shown().filter(request_id=request_id)


@dataclass
class RequestRow:
    """One number of a request as a given person may see it."""

    number: str
    # The item (hand-over, return) when the person is told what was found.
    item: AccessItem | None
    # The record's title and level are shown only to someone who may see it.
    record: ArchiveRecord | None
    # True/False when told; None when the person is not told (the requester
    # before approval: a hidden record and a missing number look alike).
    available: bool | None


@dataclass
class RequestDisclosure:
    rows: list[RequestRow]
    # Whether the person is told the approval chain and what was found.
    told: bool


def request_disclosures(*, user, access_requests) -> dict[int, RequestDisclosure]:
    """What a person may learn of each request's records and its chain.

    The archive and the approvers are told everything; the requester learns
    which numbers name records they can have, and who signs, only once the
    request is approved (security issue, item 1), unless they may see every
    record asked for anyway. Titles and levels are shown only of records the
    person may see in the catalogue. One query for any number of requests.
    """
    requests = list(access_requests)
    record_ids = {item.record_id for r in requests for item in r.items.all()}
    rule = record_visibility_q(user=user)
    if not record_ids:
        known: set[int] = set()
    elif rule == Q():  # they see every record: nothing to ask
        known = record_ids
    else:
        known = set(
            ArchiveRecord.objects.filter(rule, pk__in=record_ids).values_list(
                "pk", flat=True
            )
        )
    return {r.pk: _disclose(user, r, known) for r in requests}


def request_disclosure(*, user, access_request: AccessRequest) -> RequestDisclosure:
    return request_disclosures(user=user, access_requests=[access_request])[
        access_request.pk
    ]


def _disclose(user, access_request: AccessRequest, known: set[int]):
    items = {item.record.number: item for item in access_request.items.all()}
    numbers = access_request.numbers
    knows_all = all(n in items and items[n].record_id in known for n in numbers)
    told = (
        user.pk != access_request.requester_id
        or access_request.status in AccessRequest.APPROVED_STATUSES
        or knows_all
    )
    rows = []
    for number in numbers:
        item = items.get(number)
        record = item.record if item is not None and item.record_id in known else None
        rows.append(
            RequestRow(
                number=number,
                item=item if told else None,
                record=record,
                available=(item is not None) if told else None,
            )
        )
    return RequestDisclosure(rows=rows, told=told)


def requests_of(*, user) -> QuerySet[AccessRequest]:
    return _with_items(AccessRequest.objects.filter(requester=user))


def request_get_for(*, user, pk: int) -> AccessRequest:
    """A request its requester, an approver of it or the archive may open.
    The archive's by statements written once (``core.prepared``): the
    request, its items and its steps, each by key."""
    if user.has_perm(permissions.VIEW_ALL_REQUESTS):
        with joins_as_written():
            found = _request_by_key.one(pk=pk)
            prefetched(found, "items", _items_of(request_id=pk))
            prefetched(found, "steps", _steps_of(request_id=pk))
        return found
    roles = Group.objects.filter(user=user).values("name")
    signer = ApprovalStep.objects.filter(request=OuterRef("pk"), role__in=roles).filter(
        Q(department__isnull=True) | Q(department_id=user.department_id)
    )
    requests = _with_items(AccessRequest.objects.all()).filter(
        Q(requester=user) | Q(Exists(signer))
    )
    # By key, and its items with their records and people by key: joined
    # as written (core.joins; the items' query planned in half the time).
    with joins_as_written():
        return requests.get(pk=pk)


def _steps_open_to(user) -> QuerySet[ApprovalStep]:
    if not user.has_perm(permissions.SIGN):
        return ApprovalStep.objects.none()
    # The person's roles as a subquery: the header counts stay one query.
    roles = Group.objects.filter(user=user).values("name")
    earlier = ApprovalStep.objects.filter(
        request=OuterRef("request"),
        position__lt=OuterRef("position"),
        decision=Decision.PENDING,
    )
    signed = ApprovalStep.objects.filter(request=OuterRef("request"), decided_by=user)
    return (
        ApprovalStep.objects.filter(
            decision=Decision.PENDING,
            request__status=Status.PENDING,
            role__in=roles,
        )
        .filter(Q(department__isnull=True) | Q(department_id=user.department_id))
        .exclude(request__requester=user)
        .exclude(Exists(signed))
        .exclude(Exists(earlier))
    )


def steps_waiting_for(*, user) -> QuerySet[ApprovalStep]:
    """Steps this person can sign now: the first open step of a pending request."""
    return (
        _steps_open_to(user)
        .select_related("request__requester", "request__department")
        .prefetch_related(
            Prefetch(
                "request__items",
                queryset=AccessItem.objects.select_related("record__category"),
            )
        )
        .order_by("request__created_at", "pk")
    )


@dataclass(frozen=True)
class ApprovalRow:
    """A record an approver is asked about: its number, category and level
    (what the decision needs); its title and a link only when the approver
    may see the record in the catalogue."""

    number: str
    record: ArchiveRecord
    visible: bool


def approvals_waiting_for(*, user) -> list[tuple[ApprovalStep, list[ApprovalRow]]]:
    """The steps this person can sign now, each with what it is about."""
    steps = list(steps_waiting_for(user=user))
    ids = {item.record_id for s in steps for item in s.request.items.all()}
    visible = (
        set(
            ArchiveRecord.objects.filter(
                record_visibility_q(user=user), pk__in=ids
            ).values_list("pk", flat=True)
        )
        if ids
        else set()
    )
    return [
        (
            step,
            [
                ApprovalRow(
                    number=item.record.number or "",
                    record=item.record,
                    visible=item.record_id in visible,
                )
                for item in step.request.items.all()
            ],
        )
        for step in steps
    ]


def extensions_waiting_for(*, user) -> QuerySet[Extension]:
    if not user.has_perm(permissions.DECIDE_EXTENSIONS):
        return Extension.objects.none()
    return (
        Extension.objects.filter(decision=Extension.Decision.PENDING)
        .exclude(request__requester=user)
        .select_related("request__requester")
        .order_by("requested_at")
    )


def owner_requests_waiting_for(*, user) -> QuerySet[OwnerRequest]:
    if not user.has_perm(permissions.APPROVE_OWNERS):
        return OwnerRequest.objects.none()
    return (
        OwnerRequest.objects.filter(status=OwnerRequest.Status.PENDING)
        .exclude(registered_by=user)
        .select_related("registered_by")
        .order_by("registered_at")
    )


def to_hand_over() -> QuerySet[AccessRequest]:
    return _with_items(
        AccessRequest.objects.filter(status=Status.APPROVED, ends_at__gt=timezone.now())
    ).order_by("starts_at", "pk")


def pull_list(*, day: datetime.date) -> QuerySet[AccessItem]:
    """The records to fetch for the desk by the end of ``day`` (approved
    requests whose time has begun or begins that day), in the order an
    archivist walks the stacks: storeroom, shelf, box, number."""
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )
    return (
        AccessItem.objects.filter(
            request__status=Status.APPROVED,
            request__starts_at__lt=end,
            request__ends_at__gt=timezone.now(),
            is_out=False,
            handed_over_at__isnull=True,
        )
        .select_related(
            "record__box__shelf__storeroom", "request__requester", "request"
        )
        .order_by(
            "record__box__shelf__storeroom__code",
            "record__box__shelf__code",
            "record__box__code",
            "record__number",
        )
    )


def out_now() -> QuerySet[AccessRequest]:
    return _with_items(AccessRequest.objects.filter(status=Status.OUT)).order_by(
        "ends_at", "pk"
    )


def holdings_of(*, person) -> QuerySet[AccessItem]:
    """Every record a person still has out (viewing or loan)."""
    return (
        AccessItem.objects.filter(request__requester=person, is_out=True)
        .select_related("record", "request")
        .order_by("handed_over_at")
    )


def register_items(
    *, kind: str, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[AccessItem]:
    """The viewing or loan register: records handed over in the period."""
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min
        )
    )
    return (
        AccessItem.objects.filter(
            request__kind=kind, handed_over_at__gte=start, handed_over_at__lt=end
        )
        .select_related(
            "record",
            "request__requester",
            "request__department",
            "handed_over_by",
            "received_by",
            "accompanied_by",
        )
        .order_by("handed_over_at", "pk")
    )


def can_see_owner_requests(user) -> bool:
    return user.has_perm(permissions.VIEW_OWNERS) or user.has_perm(
        permissions.REGISTER_OWNERS
    )


def owner_requests_for(*, user) -> QuerySet[OwnerRequest]:
    """Owner requests the front desk, supervisors and archivists work with."""
    if not can_see_owner_requests(user):
        return OwnerRequest.objects.none()
    return OwnerRequest.objects.select_related(
        "registered_by", "decided_by", "served_by"
    ).order_by("-registered_at", "-pk")


def _count(queryset) -> Subquery:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT"))
    return Subquery(counted.values("n")[:1])


def owners_to_serve() -> QuerySet[OwnerRequest]:
    """Owners approved by the supervisor, waiting for an archivist."""
    return OwnerRequest.objects.filter(status=OwnerRequest.Status.APPROVED).order_by(
        "decided_at", "pk"
    )


def pending_counts(*, user) -> dict[str, int]:
    """Every badge of the page header, what waits for this person, in one query."""
    now = timezone.now()
    from accounts.models import Notification
    from archives import permissions as archive_permissions
    from archives.models import ArchiveRecord

    counts = {
        "unread": _count(Notification.objects.filter(user=user, read_at__isnull=True)),
        "returned": _count(
            ArchiveRecord.objects.filter(
                created_by=user, status=ArchiveRecord.Status.RETURNED
            )
        ),
        "steps": _count(_steps_open_to(user)),
        "extensions": _count(extensions_waiting_for(user=user)),
        "owners": _count(owner_requests_waiting_for(user=user)),
    }
    if user.has_perm(archive_permissions.REVIEW_RECORDS):
        from archives.models import HandoverBatch

        # Not the records still in a department's hand-over batch.
        counts["queue"] = _count(
            ArchiveRecord.objects.filter(status=ArchiveRecord.Status.SUBMITTED).exclude(
                handover_item__batch__status__in=[
                    HandoverBatch.Status.OPEN,
                    HandoverBatch.Status.HANDED_OVER,
                ]
            )
        )
    if user.has_perm(permissions.HANDLE):
        counts["desk"] = _count(
            AccessRequest.objects.filter(
                Q(status=Status.APPROVED, ends_at__gt=now)
                | Q(status=Status.OUT, ends_at__lt=now)
            )
        )
        counts["desk_owners"] = _count(owners_to_serve())
    row = (
        user.__class__.objects.filter(pk=user.pk)
        .annotate(**counts)
        .values(*counts)
        .first()
        or {}
    )
    return {
        "unread": row.get("unread") or 0,
        "returned": row.get("returned") or 0,
        "queue": row.get("queue") or 0,
        "approvals": sum(row.get(k) or 0 for k in ("steps", "extensions", "owners")),
        "desk": sum(row.get(k) or 0 for k in ("desk", "desk_owners")),
    }


REFERENCE_RE = re.compile(r"^(CY|JY)0*(\d{1,9})$")


@dataclass
class ScanFound:
    """What a scanned code is: a request, a person (with the requests the
    desk can act on for them), a record of the request at hand, or nothing."""

    kind: str  # "request", "person", "item", "stranger", "unknown"
    request: AccessRequest | None = None
    requests: list[AccessRequest] | None = None
    item: AccessItem | None = None
    person: object | None = None


def desk_requests() -> QuerySet[AccessRequest]:
    """The requests the desk acts on: approved and in time, or out."""
    return _with_items(
        AccessRequest.objects.filter(
            Q(status=Status.APPROVED, ends_at__gt=timezone.now()) | Q(status=Status.OUT)
        )
    ).order_by("starts_at", "pk")


def scan_items(access_request: AccessRequest) -> list[AccessItem]:
    """The records a scan at the desk is about: all of an approved request
    (to hand over), the ones still out of a request that is out."""
    items = sorted(access_request.items.all(), key=lambda i: i.record.number or "")
    if access_request.status == Status.OUT:
        return [i for i in items if i.is_out]
    return items


def scan_lookup(code: str, current: AccessRequest | None) -> ScanFound:
    """What a code typed by the desk's scanner names (issue 19, item 5)."""
    text = code.strip()
    reference = REFERENCE_RE.match(text.upper())
    if reference:
        kind = Kind.VIEWING if reference.group(1) == "CY" else Kind.LENDING
        found = desk_requests().filter(pk=int(reference.group(2)), kind=kind).first()
        return ScanFound("request", request=found) if found else ScanFound("unknown")
    if current is not None:
        for item in scan_items(current):
            if item.record.number == text.upper():
                return ScanFound("item", item=item)
        if ArchiveRecord.objects.filter(number=text.upper()).exists():
            return ScanFound("stranger")
    User = get_user_model()
    person = User.objects.filter(username__iexact=text, is_active=True).first()
    if person is not None:
        return ScanFound(
            "person",
            person=person,
            requests=list(desk_requests().filter(requester=person)),
        )
    if ArchiveRecord.objects.filter(number=text.upper()).exists():
        return ScanFound("stranger")
    return ScanFound("unknown")


def request_catalogue_levels() -> tuple[list[str], list[str]]:
    """The levels of records the request catalogue lists, and those of them
    it shows the titles of (settings; confidential and secret never)."""
    closed = {Level.CONFIDENTIAL, Level.SECRET}
    listed = [
        level
        for level in settings.ARCHIVE_REQUEST_CATALOGUE_LEVELS
        if level in Level.values and level not in closed
    ]
    titled = [
        level
        for level in settings.ARCHIVE_REQUEST_CATALOGUE_TITLE_LEVELS
        if level in listed
    ]
    return listed, titled


def request_catalogue(
    *,
    category: int | None = None,
    department: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    text: str = "",
    within: Q | None = None,
) -> tuple[QuerySet[ArchiveRecord], TextFilter | None]:
    """What a requester may know of the archive to ask for (issue 19, item 1):
    records in the archive of the listed levels, by number, category, date and
    department; words are looked for only in the titles shown. The same for
    everyone, so it tells nobody more than the catalogue page shows."""
    listed, titled = request_catalogue_levels()
    records = ArchiveRecord.objects.filter(
        status__in=REQUESTABLE_STATUSES, confidentiality__in=listed
    )
    if within is not None:  # a partner: what its live agreements cover
        records = records.filter(within)
    if category:
        records = records.filter(category_id=category)
    if department:
        records = records.filter(source_department_id=department)
    if date_from:
        records = records.filter(date_formed__gte=date_from)
    if date_to:
        records = records.filter(date_formed__lte=date_to)
    found = search.matches(text, vendor=connection.vendor) if text.strip() else None
    if found is not None and not search.NUMBER_RE.match(
        "".join(text.split()).replace("-", "")
    ):
        # Words: only in the titles the catalogue shows, and in the title only.
        title = Q(confidentiality__in=titled)
        for word in text.split()[:5]:
            title &= contains_any("title", word)
        found = TextFilter(found.exact & title, found.indexed)
    records = records.select_related("category", "source_department").only(
        "pk",
        "number",
        "number_prefix",
        "sequence_number",
        "title",
        "confidentiality",
        "date_formed",
        "status",
        "category__code",
        "category__name",
        "category__names",
        "source_department__name",
        "source_department__names",
    )
    return records.order_by("-number_prefix", "-sequence_number", "-pk"), found


def overdue_loans_of(*, person, day: datetime.date) -> list[AccessRequest]:
    """A borrower's loans out past their return date, oldest due first."""
    return list(
        _with_items(
            AccessRequest.objects.filter(
                requester=person,
                kind=Kind.LENDING,
                status=Status.OUT,
                due_on__lt=day,
            )
        ).order_by("due_on", "pk")
    )


def dossier_owner(value: str):
    """The owner (业主) whose dossier id is ``value``, or None."""
    from archives.models import Customer

    if not str(value).isdigit():
        return None
    return Customer.objects.filter(pk=int(value), is_owner=True).first()


def owner_dossier_of(owner_request):
    """The dossier of the owner who asked, found by the ID number given at
    the desk (a keyed digest; the number is never searched in clear)."""
    from archives.models import Customer
    from archives.personal import id_digest
    from lending.identity import decrypt_id

    number = decrypt_id(owner_request.id_number_cipher)
    if not number:
        return None
    return Customer.objects.filter(is_owner=True, id_digest=id_digest(number)).first()


def partners_list():
    from django.db.models import Count

    today = timezone.localdate()
    return (
        Partner.objects.select_related("department")
        .annotate(
            live=Count(
                "agreements",
                filter=Q(
                    agreements__ended_at__isnull=True,
                    agreements__valid_from__lte=today,
                    agreements__valid_until__gte=today,
                ),
                distinct=True,
            ),
            people=Count("members", distinct=True),
        )
        .order_by("code")
    )


def partner_register(*, partner: Partner | None = None):
    """What partners used (register of SPEC §6.6): every approved request
    made under an agreement, with its records, newest first."""
    requests = (
        AccessRequest.objects.filter(
            agreement__isnull=False, status__in=AccessRequest.APPROVED_STATUSES
        )
        .select_related("requester", "agreement__partner")
        .prefetch_related("items__record")
        .order_by("-starts_at", "-pk")
    )
    if partner is not None:
        requests = requests.filter(agreement__partner=partner)
    return requests


def partner_scope(user) -> Q | None:
    """For a person of a partner organisation, the records its live
    agreements cover (nothing when none is live); None for everyone else."""
    if Role.PARTNER not in user_roles(user):
        return None
    partner = partner_of(user)
    if partner is None:
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    for agreement in live_agreements(partner):
        scope |= Q(category__in=[c.pk for c in agreement.categories.all()])
        scope |= Q(pk__in=[r.pk for r in agreement.records.all()])
    return scope


def partner_of(user) -> Partner | None:
    """The organisation a person with the partner role works for."""
    if Role.PARTNER not in user_roles(user):
        return None
    return Partner.objects.filter(members=user).select_related("department").first()


def live_agreements(partner: Partner, day=None):
    day = day or timezone.localdate()
    return partner.agreements.filter(
        ended_at__isnull=True, valid_from__lte=day, valid_until__gte=day
    ).prefetch_related("categories", "records")


def agreement_covers(agreement: PartnerAgreement, record: ArchiveRecord) -> bool:
    return any(c.pk == record.category_id for c in agreement.categories.all()) or any(
        r.pk == record.pk for r in agreement.records.all()
    )
