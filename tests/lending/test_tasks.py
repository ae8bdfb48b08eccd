"""The daily lending run is on Celery beat's schedule and does its work."""

import datetime

import time_machine
from django.conf import settings

from config.celery import app
from lending.tasks import daily_lending_run
from tests.lending.test_viewing import ask
from tests.lending.test_viewing import sign_all


def test_beat_schedules_the_daily_run():
    entry = settings.CELERY_BEAT_SCHEDULE["lending-daily"]
    assert entry["task"] == daily_lending_run.name
    assert daily_lending_run.name in app.tasks
    assert entry["schedule"].hour == {7}


def test_the_task_expires_what_has_ended_and_twice_is_harmless(world, window):
    request = sign_all(
        ask(world.finance_clerk, [world.own], window),
        world.finance_head,
        world.archive_head,
    )
    with time_machine.travel(window[1] + datetime.timedelta(hours=1)):
        first = daily_lending_run.apply().get()
        second = daily_lending_run.apply().get()
    assert first["requests_expired"] == 1
    assert second == {"requests_expired": 0, "grants_removed": 0, "reminders_sent": 0}
    request.refresh_from_db()
    assert request.status == "expired"
