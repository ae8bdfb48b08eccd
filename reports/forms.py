"""Forms of the statistics pages, exports and imports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.forms import DateField
from core.forms import DateInput
from reports.models import ImportJob
from reports.selectors import Period

DEFAULT_MONTHS = 12


class StatisticsForm(forms.Form):
    start = DateField(label=_("From"), required=False, widget=DateInput())
    end = DateField(label=_("To"), required=False, widget=DateInput())
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned

    def period(self) -> Period:
        """The period asked for; the last twelve months when none is."""
        default = Period.last_months(DEFAULT_MONTHS)
        if not self.is_bound or not self.is_valid():
            return default
        data = self.cleaned_data
        return Period(
            data["start"] or default.start,
            data["end"] or default.end,
            data["department"].pk if data["department"] else None,
        )


class MonthForm(forms.Form):
    month = DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    submit = forms.BooleanField(
        label=_("Submit the records to the archive at once"),
        required=False,
        help_text=_(
            "Otherwise they become your drafts. Numbers are given when the "
            "archivist accepts them."
        ),
    )
