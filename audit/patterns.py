"""Unusual patterns in the audit log (SPEC §13, S3 §6.2 異常審計).

Read by the daily check over the last day: a person refused many times, a
person downloading, printing or exporting much within one hour, and records
opened at odd hours. Each becomes a finding of the check and a message to
the heads of archives.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractHour
from django.db.models.functions import TruncHour
from django.utils import timezone

from audit.models import AuditEntry

Action = AuditEntry.Action
TAKING = (Action.FILE_DOWNLOADED, Action.PRINTED, Action.EXPORTED)
READING = (Action.RECORD_VIEWED, Action.FILE_DOWNLOADED, Action.PRINTED)


@dataclass(frozen=True)
class Pattern:
    code: str  # a key of retention.findings.MESSAGES
    person: str
    count: int
    when: str


def unusual(*, since: datetime.datetime, until: datetime.datetime) -> list[Pattern]:
    entries = AuditEntry.objects.filter(at__gte=since, at__lt=until).exclude(
        actor_name=""
    )
    found = []
    denials = (
        entries.filter(outcome=AuditEntry.Outcome.DENIED)
        .values("actor_name")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.ARCHIVE_ALERT_DENIALS)
        .order_by("actor_name")
    )
    found += [Pattern("many_denials", d["actor_name"], d["n"], "") for d in denials]
    bursts = (
        entries.filter(action__in=TAKING)
        .annotate(hour=TruncHour("at"))
        .values("actor_name", "hour")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.ARCHIVE_ALERT_DOWNLOADS_PER_HOUR)
        .order_by("actor_name", "hour")
    )
    found += [
        Pattern(
            "many_downloads",
            b["actor_name"],
            b["n"],
            timezone.localtime(b["hour"]).strftime("%Y-%m-%d %H:00"),
        )
        for b in bursts
    ]
    start, end = settings.ARCHIVE_WORKING_HOURS
    odd = (
        entries.filter(action__in=READING)
        .annotate(hour=ExtractHour("at", tzinfo=timezone.get_current_timezone()))
        .exclude(hour__gte=start, hour__lt=end)
        .values("actor_name")
        .annotate(n=Count("pk"))
        .order_by("actor_name")
    )
    found += [Pattern("odd_hours", o["actor_name"], o["n"], "") for o in odd]
    return found
