"""Holds (凍結): records tied to a dispute, an audit or a legal matter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archives.models import ArchiveRecord
from archives.services.storage import record_lock
from core.errors import ArchiveError
from core.history import changed_by
from core.permissions import require_perm
from retention import permissions
from retention.models import Hold


def hold_place(*, actor: User, record: ArchiveRecord, reason: str) -> Hold:
    """Freeze a record: it cannot be listed for destruction or destroyed."""
    require_perm(actor, permissions.PLACE_HOLD, _("You may not place holds."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is held.")})
    with transaction.atomic():
        record = record_lock(record)
        if record.status == ArchiveRecord.Status.DESTROYED:
            raise ArchiveError(
                _("%(number)s has been destroyed.") % {"number": record.number}
            )
        hold = Hold(record=record, reason=reason[:255], placed_by=actor)
        changed_by(hold, actor)
        try:
            with transaction.atomic():
                hold.save()
        except IntegrityError:
            raise ArchiveError(
                _("%(number)s is already held.") % {"number": record.number}
            ) from None
    return hold


@transaction.atomic
def hold_release(*, actor: User, hold: Hold, reason: str) -> Hold:
    """Lift a hold; the record may be appraised again."""
    require_perm(actor, permissions.RELEASE_HOLD, _("You may not release holds."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"release_reason": _("Say why the hold ends.")})
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at:
        raise ArchiveError(_("This hold was already released."))
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.release_reason = reason[:255]
    changed_by(hold, actor)
    hold.save()
    return hold


def held_record_ids(record_ids) -> set[int]:
    return set(
        Hold.objects.filter(
            record_id__in=list(record_ids), released_at__isnull=True
        ).values_list("record_id", flat=True)
    )
