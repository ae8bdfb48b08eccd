"""The one way a workflow's status changes (issue 16, item 1).

Each stateful model names its allowed moves in ``TRANSITIONS`` (from status
to the set of statuses it may become) and tells its lifecycle in its
docstring. ``transition`` checks the move, records who made it and why for
the model's history, and saves the status with the fields the caller set
alongside; the named service around it keeps its own guards (who may, in
which order) and its side effects (notices, the audit log). The caller holds
the row lock in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.errors import ArchiveError
from core.history import changed_by


def transition(
    obj, to_status: str, *, actor=None, reason: str = "", fields: Iterable[str] = ()
):
    """Move ``obj`` to ``to_status`` if its model allows it from where it is."""
    model = type(obj)
    allowed = model.TRANSITIONS.get(obj.status, frozenset())
    if to_status not in allowed:
        labels = dict(model.Status.choices)
        raise ArchiveError(
            _("It is “%(from)s”: it cannot become “%(to)s”.")
            % {
                "from": labels.get(obj.status, obj.status),
                "to": labels.get(to_status, to_status),
            }
        )
    obj.status = to_status
    changed_by(obj, actor, reason or "")
    obj.save(update_fields=["status", *fields])
    return obj


def transition_row(model, pk, to_status: str, **fields) -> bool:
    """Move one row to ``to_status`` in one conditional UPDATE, without
    loading it: for a worker finishing a job it does not hold locked. The row
    moves only from a status its model allows (a job taken over meanwhile is
    left to its new worker); False if it did not move."""
    sources = [
        status for status, targets in model.TRANSITIONS.items() if to_status in targets
    ]
    moved = model.objects.filter(pk=pk, status__in=sources).update(
        status=to_status, **fields
    )
    return moved == 1
