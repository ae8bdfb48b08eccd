"""View grants that follow the approved requests (SPEC §6).

A person holds a grant on a record exactly while one of their approved or
handed-over requests for it is open and inside its window; the grant row's
window is the union of those requests' windows.
"""

from __future__ import annotations

from django.db.models import Max
from django.db.models import Min
from django.utils import timezone

from archives import permissions
from archives.models import RecordUserObjectPermission
from lending.models import AccessItem
from lending.models import AccessRequest

LIVE = (AccessRequest.Status.APPROVED, AccessRequest.Status.OUT)


def record_grant_sync(*, user, record) -> None:
    window = AccessItem.objects.filter(
        request__requester=user,
        request__status__in=LIVE,
        record=record,
        returned_at__isnull=True,
    ).aggregate(start=Min("request__starts_at"), end=Max("request__ends_at"))
    if window["end"] is None or window["end"] <= timezone.now():
        permissions.record_revoke_view(record=record, user=user)
        return
    permissions.record_grant_view(
        record=record, user=user, valid_from=window["start"], valid_until=window["end"]
    )


def request_grants_sync(access_request: AccessRequest) -> None:
    for item in access_request.items.select_related("record"):
        record_grant_sync(user=access_request.requester, record=item.record)


def expired_grants_remove(*, now=None) -> int:
    """Delete the grant rows whose window has ended; reads ignore them anyway."""
    now = now or timezone.now()
    deleted, _ = RecordUserObjectPermission.objects.filter(
        valid_until__isnull=False, valid_until__lte=now
    ).delete()
    return deleted
