"""The daily check: reminders, grant expiry, late submissions, disposal dates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives.models import ArchiveRecord
from audit.patterns import unusual
from core.diskspace import stores_space
from retention import hooks
from retention.models import Finding
from retention.selectors import records_due_for_disposal
from retention.services import dbbackup


def _late_submissions(writer, progress) -> int:
    now = timezone.now()
    late = (
        ArchiveRecord.objects.filter(
            status__in=[ArchiveRecord.Status.DRAFT, ArchiveRecord.Status.RETURNED],
            submission_due_at__lt=now,
        )
        .select_related("created_by")
        .order_by("pk")
    )
    count = 0
    for record in late.iterator(chunk_size=1000):
        count += 1
        due = timezone.localtime(record.submission_due_at).strftime("%Y-%m-%d %H:%M")
        params = {
            "number": f"#{record.pk}",
            "title": record.title,
            "person": str(record.created_by),
            "due": due,
        }
        writer.add(
            "late_submission",
            params,
            severity=Finding.Severity.WARNING,
            record_id=record.pk,
        )
        notify(
            user=record.created_by,
            key="submission_late",
            params={"title": record.title, "due": due},
            url=reverse("archives:record-detail", args=[record.pk]),
            once_key=f"late-submission:{record.pk}",
        )
    progress.advance(1)
    return count


def run(check, writer, progress) -> dict:
    """Everything the day needs, each step safe to repeat."""
    progress.total(3)
    summary: dict = {}
    for step in hooks.DAILY_STEPS:
        summary.update(step(writer))
    progress.advance(1)
    summary["late_submissions"] = _late_submissions(writer, progress)
    today = timezone.localdate()
    due = records_due_for_disposal(today=today).count()
    summary["disposal_due"] = due
    if due:
        writer.add("disposal_due", {"count": due}, severity=Finding.Severity.INFO)
        for head in people_with_roles(Role.ARCHIVE_HEAD):
            notify(
                user=head,
                key="disposal_due",
                params={"count": due},
                url=reverse("retention:due-list"),
                once_key=f"disposal-due:{today.isoformat()}",
            )
    summary["unusual_patterns"] = _unusual_patterns(writer)
    summary["stores_low_on_space"] = _free_space(writer)
    summary["database_backup_late"] = _database_backup_late(writer)
    progress.advance(1)
    return summary


def _database_backup_late(writer) -> bool:
    """No scheduled database backup, or none for ARCHIVE_DB_BACKUP_MAX_AGE_HOURS:
    the nightly backup has stopped, a warning of the day."""
    latest, late = dbbackup.scheduled_backup_late()
    if latest is None:
        writer.add("db_backup_none", {}, severity=Finding.Severity.WARNING)
    elif late:
        writer.add(
            "db_backup_stale",
            dbbackup.stale_params(latest),
            severity=Finding.Severity.WARNING,
        )
    return late


def _free_space(writer) -> int:
    """A file store whose disk is nearly full (below ARCHIVE_FREE_SPACE_MIN_GB
    or ARCHIVE_FREE_SPACE_MIN_PERCENT free) is a warning of the day."""
    low = 0
    for space in stores_space():
        if (
            space.free < settings.ARCHIVE_FREE_SPACE_MIN_GB * 1024**3
            or space.free_percent < settings.ARCHIVE_FREE_SPACE_MIN_PERCENT
        ):
            low += 1
            writer.add(
                "low_free_space",
                {
                    "store": space.store,
                    "free": filesizeformat(space.free),
                    "percent": f"{space.free_percent:.1f}",
                },
                severity=Finding.Severity.WARNING,
            )
    return low


def _unusual_patterns(writer) -> int:
    """The last day's audit log read for what a head of archives should see."""
    until = timezone.now()
    found = unusual(since=until - datetime.timedelta(days=1), until=until)
    for pattern in found:
        writer.add(
            pattern.code,
            {"person": pattern.person, "count": pattern.count, "when": pattern.when},
            severity=Finding.Severity.WARNING,
        )
    if found:
        day = timezone.localdate().isoformat()
        for head in people_with_roles(Role.ARCHIVE_HEAD):
            notify(
                user=head,
                key="unusual_patterns",
                params={"count": len(found)},
                url=reverse("audit:log"),
                once_key=f"unusual-patterns:{day}",
            )
    return len(found)
