from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import AuditEntry
from core.forms import DateField
from core.forms import DateInput
from core.forms import PeriodMixin


class AuditFilterForm(PeriodMixin, forms.Form):
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("To"), required=False, widget=DateInput())
    person = forms.CharField(label=_("User name"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit log", "Action"),
        choices=[("", _("All")), *AuditEntry.Action.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All")), *AuditEntry.Outcome.choices],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=AuditEntry.department.field.related_model.objects.all(),
        required=False,
    )
    target = forms.CharField(label=_("Object"), max_length=100, required=False)

    def to_filters(self) -> dict:
        """The selector's keyword arguments; the end date counts whole."""
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        return {
            "start": _midnight(start) if start else None,
            "end": _midnight(end + datetime.timedelta(days=1)) if end else None,
            "person": data.get("person", "").strip(),
            "action": data.get("action", ""),
            "outcome": data.get("outcome", ""),
            "department": data.get("department"),
            "target": data.get("target", "").strip(),
        }


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
