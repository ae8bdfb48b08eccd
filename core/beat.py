"""Beat's schedule kept in the database (django-celery-beat), so the
administrator changes when the checks run in admin, without a deploy
(issue 21). ``CELERY_BEAT_SCHEDULE`` seeds it: an entry is written once,
when it is not there yet; afterwards the administrator's times hold across
restarts (django-celery-beat's own scheduler would write the settings' times
back at every start). Run one beat only."""

from __future__ import annotations

from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler


def _entry(fields: dict) -> dict:
    """Celery's ``options={"expires": s}`` as django-celery-beat keeps it."""
    fields = dict(fields)
    options = dict(fields.pop("options", None) or {})
    if "expires" in options:
        options["expire_seconds"] = int(options.pop("expires"))
    fields["options"] = options
    return fields


class ArchiveScheduler(DatabaseScheduler):
    def update_from_dict(self, mapping):
        kept = set(
            PeriodicTask.objects.filter(name__in=list(mapping)).values_list(
                "name", flat=True
            )
        )
        super().update_from_dict(
            {
                name: _entry(fields)
                for name, fields in mapping.items()
                if name not in kept
            }
        )
