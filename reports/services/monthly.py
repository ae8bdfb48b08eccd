"""The monthly usage report (S4 檔案利用記錄與統計): computed on the first of
each month by Celery beat, or on demand, and kept as it was computed."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from reports.models import MonthlyReport
from reports.selectors import Period
from reports.selectors import month_start
from reports.selectors import statistics_for

READERS = (Role.ARCHIVE_HEAD, Role.ARCHIVIST)


def previous_month(today: datetime.date | None = None) -> datetime.date:
    return month_start(today or timezone.localdate(), 1)


@transaction.atomic
def monthly_report_generate(
    *, month: datetime.date, actor: User | None = None
) -> MonthlyReport:
    """Compute (again) the report of the month that holds ``month``."""
    period = Period.month(month)
    report, _ = MonthlyReport.objects.update_or_create(
        month=period.start,
        defaults={
            "figures": statistics_for(period),
            "generated_at": timezone.now(),
            "generated_by": actor,
        },
    )
    return report


def monthly_report_scheduled(today: datetime.date | None = None) -> MonthlyReport:
    """Beat's run on the first: last month's report, announced once."""
    report = monthly_report_generate(month=previous_month(today))
    label = report.month.strftime("%Y-%m")
    url = reverse("reports:monthly-detail", args=[label])
    for person in people_with_roles(*READERS):
        notify(
            user=person,
            key="monthly_report",
            params={"month": label},
            url=url,
            once_key=f"monthly-report:{label}",
        )
    return report
