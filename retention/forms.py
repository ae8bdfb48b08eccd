"""Forms of retention, destruction, incidents and the checks: field checks only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import Box
from archives.models import Storeroom
from core.forms import DateField
from core.forms import DateInput
from core.forms import DateTimeField
from core.forms import DateTimeInput
from core.forms import picker_multiple
from retention.models import Appraisal
from retention.models import AppraisalItem
from retention.models import Complaint
from retention.models import Incident
from retention.models import IncidentAction
from retention.services.incidents import EFFECTS

User = get_user_model()


def numbers_field(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text or _("One or more numbers, separated by spaces or lines."),
        widget=forms.Textarea(attrs={"rows": 2, "class": "archive-number"}),
    )


def people():
    return User.objects.filter(is_active=True).order_by("username")


class AppraisalOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    members = forms.ModelMultipleChoiceField(
        label=_("Appraisal group"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Archive staff and members of the business departments."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people()
        # Everyone in the company may sit in the group: a search, not a list.
        picker_multiple(
            self.fields["members"],
            url=reverse("accounts:pick-people"),
            search_label=_("Appraisal group"),
            selected=self["members"].value(),
        )


class CandidatesForm(forms.Form):
    numbers = numbers_field(_("Record numbers"))
    ground = forms.ChoiceField(label=_("Ground"), choices=AppraisalItem.Ground.choices)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class ItemDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (AppraisalItem.Decision.DESTROY, _("Destroy")),
            (AppraisalItem.Decision.KEEP, _("Keep")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
    keep_until = DateField(label=_("Keep until"), required=False, widget=DateInput())


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExecuteForm(forms.Form):
    executed_at = DateTimeField(label=_("Destroyed at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    paper_method = forms.ChoiceField(
        label=_("Method for paper"),
        choices=[("", "—"), *Appraisal.PaperMethod.choices],
        required=False,
        help_text=_("Electronic files are erased from the store and the backup."),
    )
    executor = forms.ModelChoiceField(label=_("Executor"), queryset=User.objects.none())
    witnesses = forms.ModelMultipleChoiceField(
        label=_("Witnesses"),
        queryset=User.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor"].queryset = people()
        self.fields["witnesses"].queryset = people()
        self.initial.setdefault(
            "executed_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        )


class HoldForm(forms.Form):
    number = forms.CharField(label=_("Record number"), max_length=70)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("The dispute, audit or legal matter."),
    )


class ReleaseForm(forms.Form):
    release_reason = forms.CharField(label=_("Reason for release"), max_length=255)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    numbers = numbers_field(_("Records affected"), required=False)
    effect = forms.ChoiceField(
        label=_("The records are now"),
        choices=[
            ("lost", _("Lost")),
            ("damaged", _("Damaged")),
            ("none", _("Unchanged (at risk, moved)")),
        ],
    )
    told = forms.ModelMultipleChoiceField(
        label=_("Tell"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    told_outside = forms.CharField(
        label=_("Others told"),
        max_length=255,
        required=False,
        help_text=_("Outside the system: fire brigade, police, insurer…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["told"].queryset = people()

    def clean_effect(self):
        effect = self.cleaned_data["effect"]
        assert effect in EFFECTS
        return effect


class IncidentActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=IncidentAction.Kind.choices)
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    numbers = numbers_field(
        _("Records"),
        required=False,
        help_text=_("Repaired, re-collected or found records go back on the shelf."),
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PatrolForm(forms.Form):
    storeroom = forms.ModelChoiceField(
        queryset=Storeroom.objects.all(), widget=forms.HiddenInput
    )
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        min_value=-30,
        max_value=60,
    )
    humidity = forms.DecimalField(
        label=_("Relative humidity (%)"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=100,
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ScanForm(forms.Form):
    box = forms.ModelChoiceField(queryset=Box.objects.all(), widget=forms.HiddenInput)
    code = forms.CharField(label=_("Record number"), max_length=70)


class ComplaintForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Complaint from"), choices=Complaint.Source.choices
    )
    topic = forms.ChoiceField(label=_("About"), choices=Complaint.Topic.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    record_number = forms.CharField(
        label=_("Record concerned (archive number)"), max_length=40, required=False
    )
    owner_name = forms.CharField(
        label=_("Owner's name"), max_length=100, required=False
    )
    owner_contact = forms.CharField(
        label=_("Owner's phone or e-mail, for the answer"),
        max_length=100,
        required=False,
    )

    def __init__(self, *args, may_take_owners: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_take_owners:
            self.fields["source"].choices = [
                (Complaint.Source.STAFF, Complaint.Source.STAFF.label)
            ]
            self.fields["source"].widget = forms.HiddenInput()
            self.fields["source"].initial = Complaint.Source.STAFF
            del self.fields["owner_name"]
            del self.fields["owner_contact"]


class ComplaintCloseForm(forms.Form):
    findings = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    answer = forms.CharField(
        label=_("Answer to whoever complained"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
