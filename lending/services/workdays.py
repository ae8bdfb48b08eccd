"""Working days: the statutory calendar, with the company's own on top.

The national calendar (``chinesecalendar``: weekends, statutory holidays and
the make-up working weekends, 调休) decides a day unless the company's own
calendar (``Holiday`` in admin) says otherwise. For a year the national
calendar does not know yet, weekends are days off. The setting
``ARCHIVE_STATUTORY_CALENDAR`` turns the national calendar off (weekends and
the company's days only).
"""

from __future__ import annotations

import datetime

import chinese_calendar
from django.conf import settings

from lending.models import Holiday


def _own_days(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    return dict(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list(
            "date", "kind"
        )
    )


def _statutory_working(day: datetime.date) -> bool:
    if settings.ARCHIVE_STATUTORY_CALENDAR:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # a year not published yet
            pass
    return day.weekday() < 5


def is_working_day(day: datetime.date, own: dict[datetime.date, str]) -> bool:
    kind = own.get(day)
    if kind is not None:
        return kind == Holiday.Kind.WORKING_DAY
    return _statutory_working(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    # The Spring Festival and National Day weeks are the longest runs of days
    # off; look far enough ahead.
    own = _own_days(start, start + datetime.timedelta(days=days * 3 + 60))
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, own):
            counted += 1
    return day
