"""The usage ledger's entries for electronic files (issue 18): a reading in
the browser counts once a person, a record and a day (its pages are in the
audit log one by one); each download and print counts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lending.models import AccessRequest
from lending.models import UsageEvent

KINDS = {
    "read": UsageEvent.Kind.ONLINE_READING,
    "download": UsageEvent.Kind.DOWNLOAD,
    "print": UsageEvent.Kind.PRINT,
}


def _purpose(user, record) -> tuple[AccessRequest | None, str]:
    """The approved request the person reads under now, if any."""
    now = timezone.now()
    request = (
        AccessRequest.objects.filter(
            requester=user,
            items__record=record,
            status__in=[AccessRequest.Status.APPROVED, AccessRequest.Status.OUT],
            starts_at__lte=now,
        )
        .order_by("-starts_at")
        .first()
    )
    return request, (request.purpose if request else "")


def file_usage_record(sender, *, user, record, record_file, kind: str, **_kwargs):
    usage = KINDS[kind]
    if usage == UsageEvent.Kind.ONLINE_READING:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        if UsageEvent.objects.filter(
            kind=usage,
            record=record,
            person=user,
            at__gte=today,
            at__lt=today + datetime.timedelta(days=1),
        ).exists():
            return None
    request, purpose = _purpose(user, record)
    return UsageEvent.objects.create(
        kind=usage,
        record=record,
        person=user,
        department_id=user.department_id,
        access_request=request,
        purpose=purpose[:300],
        recorded_by=user,
    )
