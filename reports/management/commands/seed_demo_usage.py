"""A year of demo usage (viewings, loans, copies) and last month's report, so
the dashboard has something to draw. Run after ``seed_demo_lending``; running
it again adds nothing."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils import translation

from accounts.models import User
from archives.models import ArchiveRecord
from lending.models import UsageEvent
from reports.models import MonthlyReport
from reports.selectors import month_start
from reports.services.monthly import monthly_report_generate
from reports.services.monthly import previous_month

MARK = "演示：历史利用记录"
KINDS = [
    (UsageEvent.Kind.VIEWING, 50),
    (UsageEvent.Kind.LOAN, 25),
    (UsageEvent.Kind.COPY, 15),
    (UsageEvent.Kind.OWNER_VIEWING, 10),
]


class Command(BaseCommand):
    help = "Load a year of demo usage history and make last month's report."

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if UsageEvent.objects.filter(purpose=MARK).exists():
            self.stdout.write("Demo usage already present; nothing added.")
            return
        rng = random.Random(2026)
        records = list(
            ArchiveRecord.objects.filter(status=ArchiveRecord.Status.ARCHIVED).only(
                "pk"
            )
        )
        people = list(
            User.objects.filter(is_active=True, department__isnull=False).exclude(
                groups__name__in=["admin", "auditor"]
            )
        )
        recorder = User.objects.filter(groups__name="archivist").first()
        if not records or not people or recorder is None:
            self.stdout.write("Run seed_demo first; nothing added.")
            return
        now = timezone.now()
        with transaction.atomic():
            for months_back in range(12):
                first = month_start(timezone.localdate(), months_back)
                for _ in range(rng.randint(12, 36)):
                    moment = timezone.make_aware(
                        datetime.datetime.combine(
                            first + datetime.timedelta(days=rng.randint(0, 27)),
                            datetime.time(rng.randint(9, 16), rng.randint(0, 59)),
                        )
                    )
                    if moment > now:
                        continue
                    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
                    person = rng.choice(people)
                    event = UsageEvent.objects.create(
                        kind=kind,
                        record=rng.choice(records),
                        person=None
                        if kind == UsageEvent.Kind.OWNER_VIEWING
                        else person,
                        department=None
                        if kind == UsageEvent.Kind.OWNER_VIEWING
                        else person.department,
                        purpose=MARK,
                        pages=rng.randint(1, 8)
                        if kind == UsageEvent.Kind.COPY
                        else None,
                        recorded_by=recorder,
                    )
                    UsageEvent.objects.filter(pk=event.pk).update(at=moment)
        month = previous_month()
        if not MonthlyReport.objects.filter(month=month).exists():
            monthly_report_generate(month=month)
        self.stdout.write(self.style.SUCCESS("Demo usage history ready."))
