"""Form fields and widgets every app's forms share: dates an archive can mean,
periods that run forwards."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
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


class PickerSelect(forms.Select):
    """A select of a long list (customers, people) with a search box above
    it: typing asks ``url`` (htmx) for the matching options, so the page
    carries a few options, not thousands (issue 19, item 20)."""

    def __init__(self, *args, url: str = "", search_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.search_label = search_label

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        target = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        search = format_html(
            '<input type="search" class="form-control form-control-sm mb-1" '
            'name="picker_q" autocomplete="off" placeholder="{}" aria-label="{}" '
            'hx-get="{}" hx-trigger="input changed delay:300ms, search" '
            'hx-target="#{}" hx-swap="innerHTML" data-testid="picker-{}">',
            gettext("Type to search…"),
            self.search_label,
            self.url,
            target,
            name,
        )
        return mark_safe(search + select)  # noqa: S308 - both parts are escaped


def picker(field, *, url: str, search_label: str, selected, limit: int = 30) -> None:
    """Make a ModelChoiceField a picker: the first ``limit`` choices and the
    one chosen are on the page; validation still takes any of the queryset."""
    queryset = field.queryset
    choices = [("", field.empty_label or "---------")]
    shown = list(queryset[:limit])
    chosen = int(selected) if str(selected or "").isdigit() else None
    if chosen is not None and all(obj.pk != chosen for obj in shown):
        shown = [*queryset.filter(pk=chosen), *shown]
    choices += [(obj.pk, field.label_from_instance(obj)) for obj in shown]
    field.widget = PickerSelect(url=url, search_label=search_label)
    field.widget.choices = choices


class PickerCheckboxes(forms.Widget):
    """Several of a long list (the people of an appraisal group): the chosen
    ones ticked, and a search box that asks ``url`` (htmx) for matches. The
    search sends the ticked ones along, and the answer lists them again,
    ticked, above the matches, so searching never loses a choice."""

    allow_multiple_selected = True

    def __init__(self, *args, url: str = "", search_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.search_label = search_label
        self.choices: list[tuple[object, str]] = []

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False  # nothing ticked is a choice too

    def format_value(self, value) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in ("", None)]

    def render(self, name, value, attrs=None, renderer=None):
        from django.template.loader import render_to_string

        target = (attrs or {}).get("id") or f"id_{name}"
        chosen = self.format_value(value)
        options = [(str(pk), label, str(pk) in chosen) for pk, label in self.choices]
        options.sort(key=lambda option: not option[2])
        search = format_html(
            '<input type="search" class="form-control form-control-sm mb-1" '
            'id="{}" name="picker_q" autocomplete="off" placeholder="{}" '
            'hx-get="{}" hx-vals=\'{{"picker_name": "{}"}}\' hx-include="#{}_choices" '
            'hx-trigger="input changed delay:300ms, search" hx-target="#{}_choices" '
            'hx-swap="innerHTML" data-testid="picker-{}">',
            target,
            gettext("Type to search…"),
            self.url,
            name,
            target,
            target,
            name,
        )
        checks = render_to_string(
            "includes/picker_checks.html", {"name": name, "options": options}
        )
        return format_html(
            '{}<div id="{}_choices" class="border rounded p-2 picker-checks" '
            'role="group" aria-label="{}">{}</div>',
            search,
            target,
            self.search_label,
            mark_safe(checks),  # noqa: S308 - rendered by the template, escaped
        )


def picker_multiple(
    field, *, url: str, search_label: str, selected, limit: int = 30
) -> None:
    """Make a ModelMultipleChoiceField a picker of ticked boxes: the first
    ``limit`` choices and the chosen ones are on the page; validation still
    takes any of the queryset."""
    queryset = field.queryset
    chosen = [int(v) for v in (selected or []) if str(v).isdigit()]
    shown = list(queryset.filter(pk__in=chosen)) if chosen else []
    shown += [obj for obj in queryset[:limit] if obj.pk not in chosen]
    field.widget = PickerCheckboxes(url=url, search_label=search_label)
    field.widget.choices = [(obj.pk, field.label_from_instance(obj)) for obj in shown]
