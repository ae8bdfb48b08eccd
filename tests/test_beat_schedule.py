"""Beat's schedule in the database (issue 21, item 4): seeded from
CELERY_BEAT_SCHEDULE once; the administrator's change of a check's time
holds when beat starts again."""

import pytest
from django.conf import settings
from django_celery_beat.models import CrontabSchedule
from django_celery_beat.models import PeriodicTask

from core.beat import ArchiveScheduler
from core.celery import app

# django-celery-beat closes the connection between its steps, as beat does.
pytestmark = pytest.mark.django_db(transaction=True)


def _start_beat():
    return ArchiveScheduler(app=app, lazy=False)


def test_the_schedule_is_seeded_and_the_administrators_times_hold():
    _start_beat()
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(settings.CELERY_BEAT_SCHEDULE) <= names
    daily = PeriodicTask.objects.get(name="daily-check")
    assert (daily.crontab.hour, daily.crontab.minute) == ("7", "0")
    assert daily.expire_seconds == 23 * 3600  # the settings' expiry, kept
    assert daily.task == "retention.tasks.scheduled_check"
    # The administrator moves the daily check to 06:30 in admin.
    daily.crontab = CrontabSchedule.objects.create(
        minute="30", hour="6", timezone=settings.TIME_ZONE
    )
    daily.save()
    _start_beat()  # beat restarts (a deploy, a reboot)
    daily.refresh_from_db()
    assert (daily.crontab.hour, daily.crontab.minute) == ("6", "30")
    # Seeded once: no second row for an entry already there.
    assert PeriodicTask.objects.filter(name="mailboxes-read").count() == 1


@pytest.mark.usefixtures("reference_data")
def test_the_administrator_reaches_the_schedule_in_admin(client, world):
    world.admin.is_staff = True
    world.admin.save()
    _start_beat()
    client.force_login(world.admin)
    page = client.get("/admin/django_celery_beat/periodictask/")
    assert page.status_code == 200 and "daily-check" in page.content.decode()
    client.force_login(world.archivist)
    assert client.get("/admin/django_celery_beat/periodictask/").status_code != 200


def test_two_beats_send_from_one_and_the_other_takes_over(settings):
    """Beat enabled on two machines: one sends, the other stands by and takes
    over when the first stops (real Redis, the broker)."""
    import redis

    from core.beat import lock_key

    settings.ARCHIVE_BEAT_LOCK_SECONDS = 30
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(lock_key())
    first, second = _start_beat(), _start_beat()
    assert first.tick() > 0  # sends the schedule
    assert first.leadership.held and first.leadership.leads()
    assert second.leadership.leads() is False
    assert second.tick() == 10  # stands by, asks again in a third of the lock
    first.close()  # the first machine's beat stops
    assert second.leadership.leads() is True
    assert first.leadership.leads() is False  # back, it now stands by
    second.close()
    client.delete(lock_key())
