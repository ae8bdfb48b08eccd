"""Related records (issue 20, item 4): the archive links two accepted
records — a TS complaint, its GT calls, the customer's KH record — and each
shows the other, to those who may see it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from archives import permissions
from archives.models import ArchiveRecord
from archives.models import RecordLink
from core.history import changed_by
from core.permissions import require_perm


def record_link(
    *, actor: User, record: ArchiveRecord, number: str, note: str = ""
) -> RecordLink:
    """Link ``record`` to the accepted record numbered ``number``."""
    require_perm(actor, permissions.LINK_RECORDS, _("You may not link records."))
    number = (number or "").strip()
    other = ArchiveRecord.objects.filter(number=number).first() if number else None
    if other is None or record.number is None:
        raise ValidationError(
            {
                "number": _("There is no accepted record %(number)s.")
                % {"number": number}
            }
        )
    if other.pk == record.pk:
        raise ValidationError({"number": _("A record is not related to itself.")})
    if RecordLink.objects.filter(
        Q(from_record=record, to_record=other) | Q(from_record=other, to_record=record)
    ).exists():
        raise ValidationError(
            {"number": _("%(number)s is linked already.") % {"number": other.number}}
        )
    link = RecordLink(
        from_record=record,
        to_record=other,
        note=(note or "").strip()[:200],
        created_by=actor,
    )
    changed_by(link, actor)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:  # linked at the same moment by another
        raise ValidationError(
            {"number": _("%(number)s is linked already.") % {"number": other.number}}
        ) from error
    return link


@transaction.atomic
def record_unlink(*, actor: User, link: RecordLink) -> None:
    require_perm(actor, permissions.UNLINK_RECORDS, _("You may not unlink records."))
    changed_by(link, actor)
    link.delete()
