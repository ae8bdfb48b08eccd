"""Form fields and widgets every app's forms share: dates an archive can mean,
periods that run forwards."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


def plausible_date(value) -> None:
    """A date an archive can mean: no year 1 or 9999 (which date sums overflow)."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
        )


class DateField(forms.DateField):
    default_validators = [plausible_date]


class DateTimeField(forms.DateTimeField):
    default_validators = [plausible_date]


class PeriodMixin:
    """A form with ``date_from`` and ``date_to`` refuses a reversed period."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        return cleaned


def plausible_dates(form) -> None:
    """Give a model form's date fields the same range."""
    for field in form.fields.values():
        dated = isinstance(field, forms.DateField | forms.DateTimeField)
        if dated and plausible_date not in field.validators:
            field.validators.append(plausible_date)
