"""Working days: weekends and the holidays in admin do not count."""

from __future__ import annotations

import datetime

from lending.models import Holiday


def _holidays(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    # Holidays never span more than a few weeks; look far enough ahead.
    holidays = _holidays(start, start + datetime.timedelta(days=days * 3 + 60))
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day
