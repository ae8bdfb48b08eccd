"""What retention's work needs to know about viewing and lending
(registered in ``LendingConfig.ready`` through ``retention.hooks``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import Kind


def destruction_blockers(ids: list[int]) -> Iterable[tuple[int, str]]:
    """Records out on loan or in viewing, or that an approved request will use."""
    for pk in AccessItem.objects.filter(record_id__in=ids, is_out=True).values_list(
        "record_id", flat=True
    ):
        yield pk, _("it is out on loan or in viewing")
    for pk in AccessItem.objects.filter(
        record_id__in=ids,
        request__status=AccessRequest.Status.APPROVED,
    ).values_list("record_id", flat=True):
        yield pk, _("an approved request will use it")


def daily(writer) -> dict:
    """Viewing and lending's part of the daily check: due reminders, expired
    grants, and the loans past their due date."""
    from lending.services.circulation import daily_run
    from retention.models import Finding

    summary = dict(daily_run())
    overdue = AccessRequest.objects.filter(
        kind=Kind.LENDING,
        status=AccessRequest.Status.OUT,
        due_on__lt=timezone.localdate(),
    ).count()
    summary["loans_overdue"] = overdue
    if overdue:
        writer.add(
            "loans_overdue", {"count": overdue}, severity=Finding.Severity.WARNING
        )
    return summary
