"""The figures managers ask for (SPEC §12; S1 §8, S4 檔案利用記錄與統計).

Every figure is an aggregate the database computes; nothing here loads the
records themselves. The result is plain JSON so a month can be kept as it
was (``MonthlyReport.figures``) and served by the API unchanged.
"""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from archives.models import ArchiveRecord
from lending.models import AccessRequest
from lending.models import Kind
from lending.models import UsageEvent
from lending.models import UseEffect
from retention.models import Complaint

Status = ArchiveRecord.Status
USAGE_KINDS = [k.value for k in UsageEvent.Kind]
# Days to handle a complaint, in the buckets the report shows.
HANDLING_BUCKETS = ((1, "1"), (3, "3"), (7, "7"), (30, "30"))
TOP_PEOPLE = 10


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    """The first day of the month of ``day``, or of ``back`` months before."""
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


@dataclass(frozen=True)
class Period:
    """A span of days (both ends included) and, if chosen, one department."""

    start: datetime.date
    end: datetime.date
    department: int | None = None

    @classmethod
    def month(cls, day: datetime.date, department: int | None = None) -> Period:
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return cls(start, following - datetime.timedelta(days=1), department)

    @classmethod
    def last_months(cls, count: int, department: int | None = None) -> Period:
        today = timezone.localdate()
        return cls(month_start(today, count - 1), today, department)

    @property
    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as a half-open span of aware times."""
        start = timezone.make_aware(
            datetime.datetime.combine(self.start, datetime.time.min)
        )
        end = timezone.make_aware(
            datetime.datetime.combine(
                self.end + datetime.timedelta(days=1), datetime.time.min
            )
        )
        return start, end


def month_of(text: str) -> datetime.date | None:
    """The first day of the month written ``YYYY-MM``; None if it is not one."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        return None
    return datetime.date(int(match[1]), int(match[2]), 1)


def _records_in_archive(period: Period):
    records = ArchiveRecord.objects.filter(status__in=ArchiveRecord.IN_ARCHIVE_STATUSES)
    if period.department:
        records = records.filter(source_department_id=period.department)
    return records


def holdings_of(period: Period) -> dict:
    """What the archive holds now (of the period's department, if one)."""
    records = _records_in_archive(period)
    by_category = [
        [row["category__code"], row["category__name"], row["n"]]
        for row in records.values("category__code", "category__name")
        .annotate(n=Count("pk"))
        .order_by("category__sort_order", "category__code")
    ]
    order = list(Status.values)
    by_status = sorted(
        (
            [row["status"], row["n"]]
            for row in records.values("status").annotate(n=Count("pk")).order_by()
        ),
        key=lambda row: order.index(row[0]) if row[0] in order else len(order),
    )
    retention: dict[str, int] = {}
    for row in records.values(
        "category__retention_kind",
        "category__retention_years",
        "involves_major_decision",
    ).annotate(n=Count("pk")):
        kind = row["category__retention_kind"]
        if row["involves_major_decision"]:
            key = "permanent"
        elif kind == "years":
            key = f"years:{row['category__retention_years']}"
        else:
            key = kind
        retention[key] = retention.get(key, 0) + row["n"]
    by_storeroom = [
        [
            row["box__shelf__storeroom__code"] or "",
            row["box__shelf__storeroom__name"] or "",
            row["n"],
        ]
        for row in records.values(
            "box__shelf__storeroom__code", "box__shelf__storeroom__name"
        )
        .annotate(n=Count("pk"))
        .order_by("box__shelf__storeroom__code")
    ]
    return {
        "total": sum(n for _, _, n in by_category),
        "by_category": by_category,
        "by_status": by_status,
        "by_retention": sorted(retention.items(), key=_retention_order),
        "by_storeroom": by_storeroom,
    }


def _retention_order(item):
    key = item[0]
    if key.startswith("years:"):
        return (0, int(key.split(":")[1]))
    return (1 if key == "long_term" else 2, 0)


def _kind_counts(rows, *keys) -> list:
    """Rows of (key..., kind, n) folded into [key..., {kind: n}] in order."""
    folded: dict[tuple, dict[str, int]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        folded.setdefault(key, {})[row["kind"]] = row["n"]
    return [[*key, counts] for key, counts in folded.items()]


def usage_events(period: Period):
    start, end = period.moments
    events = UsageEvent.objects.filter(at__gte=start, at__lt=end)
    if period.department:
        events = events.filter(department_id=period.department)
    return events


def usage_totals(events) -> dict[str, int]:
    """Uses by kind, every kind named."""
    totals = dict(events.values_list("kind").annotate(n=Count("pk")).order_by())
    return {kind: totals.get(kind, 0) for kind in USAGE_KINDS}


def usage_by_department(events) -> list:
    rows = _kind_counts(
        events.values("department__code", "department__name", "kind")
        .annotate(n=Count("pk"))
        .order_by("department__code"),
        "department__code",
        "department__name",
    )
    return [[code or "", name or "", counts] for code, name, counts in rows]


def usage(period: Period) -> dict:
    """Viewings, loans and copies in the period: by month, category, department
    and person (S4: 檔案利用效果統計)."""
    events = usage_events(period)
    by_month: dict[str, dict[str, int]] = {}
    for row in (
        events.annotate(m=TruncMonth("at"))
        .values("m", "kind")
        .annotate(n=Count("pk"))
        .order_by("m")
    ):
        month = timezone.localtime(row["m"]).strftime("%Y-%m")
        by_month.setdefault(month, {})[row["kind"]] = row["n"]
    by_category = _kind_counts(
        events.values("record__category__code", "record__category__name", "kind")
        .annotate(n=Count("pk"))
        .order_by("record__category__sort_order", "record__category__code"),
        "record__category__code",
        "record__category__name",
    )
    people = (
        events.filter(person__isnull=False)
        .values("person")
        .annotate(n=Count("pk"))
        .order_by("-n", "person")[:TOP_PEOPLE]
    )
    top = [row["person"] for row in people]
    by_person_rows = _kind_counts(
        events.filter(person__in=top)
        .values("person", "person__username", "person__display_name", "kind")
        .annotate(n=Count("pk")),
        "person",
        "person__display_name",
        "person__username",
    )
    by_person_rows.sort(key=lambda row: top.index(row[0]))
    return {
        "kinds": USAGE_KINDS,
        "total": usage_totals(events),
        "by_month": [[month, counts] for month, counts in by_month.items()],
        "by_category": by_category,
        "by_department": usage_by_department(events),
        "by_person": [
            [name or username, counts] for _, name, username, counts in by_person_rows
        ],
    }


def complaints(period: Period) -> dict:
    """Complaints and suggestions formed in the period: nature, handling and
    the days from receipt to handling (S1 §8)."""
    records = _records_in_archive(period).filter(
        category__code=settings.ARCHIVE_COMPLAINT_CATEGORY,
        date_formed__gte=period.start,
        date_formed__lte=period.end,
    )
    by_nature = [
        [row["subcodes__code"], row["subcodes__name"], row["n"]]
        for row in records.filter(subcodes__dimension__key="nature")
        .values("subcodes__code", "subcodes__name")
        .annotate(n=Count("pk"))
        .order_by("subcodes__sort_order", "subcodes__code")
    ]
    by_handling = [
        [row["handling_status"] or "", row["n"]]
        for row in records.values("handling_status")
        .annotate(n=Count("pk"))
        .order_by("handling_status")
    ]
    days = []
    for formed, received, handled in (
        records.filter(handled_on__isnull=False)
        .values_list("date_formed", "received_at", "handled_on")
        .iterator(chunk_size=5000)
    ):
        since = timezone.localdate(received) if received else formed
        days.append(max((handled - since).days, 0))
    buckets = []
    lower = 0
    for upper, key in HANDLING_BUCKETS:
        buckets.append([key, sum(1 for d in days if lower <= d <= upper)])
        lower = upper + 1
    buckets.append(["more", sum(1 for d in days if d >= lower)])
    return {
        "total": sum(n for _, n in by_handling),
        "by_nature": by_nature,
        "by_handling": by_handling,
        "handled": len(days),
        "days_average": round(statistics.fmean(days), 1) if days else None,
        "days_median": statistics.median(days) if days else None,
        "days_buckets": buckets,
    }


def alerts(period: Period) -> dict:
    """What needs doing now, and the late submissions of the period."""
    today = timezone.localdate()
    start, end = period.moments
    loans = AccessRequest.objects.filter(
        kind=Kind.LENDING, status=AccessRequest.Status.OUT, due_on__lt=today
    )
    records = ArchiveRecord.objects.all()
    if period.department:
        loans = loans.filter(department_id=period.department)
        records = records.filter(source_department_id=period.department)
    counts = records.aggregate(
        late_submissions=Count(
            "pk",
            filter=Q(
                submitted_late=True, submitted_at__gte=start, submitted_at__lt=end
            ),
        ),
        overdue_drafts=Count(
            "pk",
            filter=Q(
                status__in=[Status.DRAFT, Status.RETURNED],
                submission_due_at__lt=timezone.now(),
            ),
        ),
        disposal_due=Count(
            "pk", filter=Q(status=Status.ARCHIVED, disposal_due_on__lte=today)
        ),
    )
    return {"overdue_loans": loans.count(), **counts}


def archive_complaints(period: Period) -> dict:
    """Complaints about the archive's own work made in the period, by topic,
    and those still open now (S4 监督与考核)."""
    start, end = period.moments
    made = Complaint.objects.filter(reported_at__gte=start, reported_at__lt=end)
    if period.department:
        made = made.filter(reported_by__department_id=period.department)
    rows = made.values_list("topic", "status").annotate(n=Count("pk"))
    by_topic: dict[str, int] = {}
    closed = 0
    for topic, status, n in rows:
        by_topic[topic] = by_topic.get(topic, 0) + n
        if status == Complaint.Status.CLOSED:
            closed += n
    return {
        "by_topic": sorted(by_topic.items()),
        "made": sum(by_topic.values()),
        "closed": closed,
        "open_now": Complaint.objects.exclude(status=Complaint.Status.CLOSED).count(),
    }


def use_effects(period: Period) -> dict:
    """What the uses that ended in the period achieved (利用效果), as told by
    the requesters or the desk; the uses nobody told about are counted too."""
    start, end = period.moments
    ended = AccessRequest.objects.filter(
        status__in=AccessRequest.ENDED_STATUSES, closed_at__gte=start, closed_at__lt=end
    )
    if period.department:
        ended = ended.filter(department_id=period.department)
    counts = dict(ended.values_list("use_effect").annotate(n=Count("pk")).order_by())
    return {
        "by_effect": [
            [effect, counts[effect]]
            for effect in UseEffect.values
            if counts.get(effect)
        ],
        "not_told": counts.get("", 0),
    }


def statistics_for(period: Period) -> dict:
    """Everything the dashboard and the monthly report show, as JSON."""
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "department": period.department,
        },
        "holdings": holdings_of(period),
        "usage": usage(period),
        "complaints": complaints(period),
        "archive_complaints": archive_complaints(period),
        "use_effects": use_effects(period),
        "alerts": alerts(period),
    }
