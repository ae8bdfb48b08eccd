"""Beat's schedule kept in the database (django-celery-beat), so the
administrator changes when the checks run in admin, without a deploy
(issue 21). ``CELERY_BEAT_SCHEDULE`` seeds it: an entry is written once,
when it is not there yet; afterwards the administrator's times hold across
restarts (django-celery-beat's own scheduler would write the settings' times
back at every start).

One beat sends: every beat holds or waits for a lock in Redis (the
broker), so the unit may run on every machine; the one holding it sends, the
others stand by and take over within ``ARCHIVE_BEAT_LOCK_SECONDS`` when it
stops (issue 21, items 1 and 4)."""

from __future__ import annotations

import contextlib
import logging
import uuid

import redis
from django.conf import settings
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


logger = logging.getLogger(__name__)


def lock_key() -> str:
    """One election per database: two installations sharing a Redis (or
    two test processes) do not stand each other by."""
    from django.db import connection

    return f"archive:beat:leader:{connection.settings_dict['NAME']}"


# Refreshing or releasing the lock only if we still hold it, atomically.
_REFRESH = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class Leadership:
    """Who of the running beats sends: a Redis key with a time to live,
    refreshed by its holder at every tick."""

    def __init__(self, url: str, seconds: int):
        self.client = redis.Redis.from_url(url, socket_timeout=5)
        self.token = uuid.uuid4().hex
        self.milliseconds = seconds * 1000
        self.held = False
        self.key = lock_key()

    def leads(self) -> bool:
        try:
            if self.held and self.client.eval(
                _REFRESH, 1, self.key, self.token, self.milliseconds
            ):
                return True
            self.held = bool(
                self.client.set(self.key, self.token, nx=True, px=self.milliseconds)
            )
        except redis.RedisError as error:
            # Redis is also the broker: nothing could be sent anyway.
            logger.warning("beat: Redis does not answer (%s); not sending", error)
            self.held = False
        return self.held

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(redis.RedisError):
                self.client.eval(_RELEASE, 1, self.key, self.token)
            self.held = False


class ArchiveScheduler(DatabaseScheduler):
    def __init__(self, *args, **kwargs):
        self.leadership = Leadership(
            settings.CELERY_BROKER_URL, settings.ARCHIVE_BEAT_LOCK_SECONDS
        )
        self._was_leading: bool | None = None
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        leading = self.leadership.leads()
        if leading != self._was_leading:
            logger.info(
                "beat: %s",
                "sending the schedule"
                if leading
                else "another beat sends the schedule; standing by",
            )
            self._was_leading = leading
        if not leading:
            # Ask again well before the holder's lock could run out.
            return max(1.0, settings.ARCHIVE_BEAT_LOCK_SECONDS / 3)
        return min(
            super().tick(*args, **kwargs), settings.ARCHIVE_BEAT_LOCK_SECONDS / 3
        )

    def close(self):
        try:
            super().close()
        finally:
            self.leadership.release()

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
