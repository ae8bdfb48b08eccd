"""Departure clearance (S2): everything borrowed comes back first."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ArchiveError
from core.permissions import require_perm
from lending import permissions
from lending.models import AccessRequest
from lending.models import Clearance
from lending.selectors import holdings_of
from lending.services.requests import access_request_withdraw


@transaction.atomic
def clearance_complete(*, person, actor: User, note: str = "") -> Clearance:
    require_perm(
        actor, permissions.CLEAR_DEPARTURE, _("You may not complete clearances.")
    )
    if actor.pk == person.pk:
        raise ArchiveError(_("Someone else completes your clearance."))
    if Clearance.objects.filter(person=person).exists():
        raise ArchiveError(_("This clearance is already complete."))
    held = list(holdings_of(person=person))
    if held:
        raise ArchiveError(
            _(
                "%(person)s still holds %(numbers)s; "
                "clearance waits until they are back."
            )
            % {
                "person": person,
                "numbers": "、".join(str(i.record.number) for i in held),
            }
        )
    waiting = AccessRequest.objects.filter(
        requester=person,
        status__in=[AccessRequest.Status.PENDING, AccessRequest.Status.APPROVED],
    )
    for access_request in waiting:
        # The one way a request is withdrawn: closed, logged, grants ended.
        access_request_withdraw(
            access_request=access_request,
            actor=actor,
            reason=_("Departure clearance"),
        )
    return Clearance.objects.create(
        person=person, completed_by=actor, note=note.strip()
    )
