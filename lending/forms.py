"""Forms of viewing, lending and the front desk. Rules live in the services."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.models import User
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives.models import ArchiveRecord
from archives.models import Category
from archives.selectors import catalogue_filter_options
from core.forms import DateField
from core.forms import DateInput
from core.forms import DateTimeField
from core.forms import DateTimeInput
from core.forms import PeriodMixin
from lending.models import AccessItem
from lending.models import OwnerRequest
from lending.models import UseEffect

NUMBERS_HELP = _("One number per line, or separated by commas or spaces.")


class _RequestForm(forms.Form):
    """What every request names: the records, why, and which parts."""

    numbers = forms.CharField(
        label=_("Record numbers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=NUMBERS_HELP,
    )
    description = forms.CharField(
        label=_("Or describe the records you look for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_(
            "Without numbers: say what you need (customer, subject, time); the "
            "archive finds the records and fills in their numbers."
        ),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    scope = forms.CharField(
        label=_("Scope"),
        max_length=300,
        required=False,
        help_text=_("Which parts or pages are needed, if not the whole record."),
    )

    @staticmethod
    def tomorrow_at(hour: int) -> datetime.datetime:
        day = timezone.localdate() + datetime.timedelta(days=1)
        return datetime.datetime.combine(
            day, datetime.time(hour), timezone.get_current_timezone()
        )


class ViewingRequestForm(_RequestForm):
    starts_at = DateTimeField(label=_("From"), widget=DateTimeInput())
    ends_at = DateTimeField(label=_("Until"), widget=DateTimeInput())

    @classmethod
    def initial_window(cls) -> dict:
        return {"starts_at": cls.tomorrow_at(9), "ends_at": cls.tomorrow_at(17)}


class LendingRequestForm(_RequestForm):
    starts_at = DateTimeField(label=_("Collect on"), widget=DateTimeInput())
    due_on = DateField(label=_("Expected return date"), widget=DateInput())

    @classmethod
    def initial_window(cls) -> dict:
        return {"starts_at": cls.tomorrow_at(9)}


class FillForm(forms.Form):
    """The numbers an archivist finds for a request by description."""

    numbers = forms.CharField(
        label=_("Record numbers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=NUMBERS_HELP,
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject."),
    )


class HandOverForm(forms.Form):
    receiver_confirmed = forms.BooleanField(
        label=_("The reader has checked the records and confirms receipt"),
        required=False,
    )
    accompanied_by = forms.ModelChoiceField(
        label=_("Accompanying archivist"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args, access_request, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if access_request.accompanied:
            archivists = User.objects.filter(
                is_active=True, groups__name=Role.ARCHIVIST
            ).exclude(pk=access_request.requester_id)
            self.fields["accompanied_by"].queryset = archivists
            self.fields["accompanied_by"].required = True
            # The archivist at the desk usually goes along: named already.
            if actor is not None and archivists.filter(pk=actor.pk).exists():
                self.initial.setdefault("accompanied_by", actor.pk)
        else:
            del self.fields["accompanied_by"]


class ReturnForm(forms.Form):
    """One condition and note per record that is out."""

    partial = forms.BooleanField(
        label=_("Partial return: records left at “—” stay out"),
        required=False,
    )

    def __init__(self, *args, items: list[AccessItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        if len(items) < 2:
            del self.fields["partial"]
        for item in items:
            self.fields[f"condition_{item.pk}"] = forms.ChoiceField(
                label=_("Condition"),
                choices=[("", "—"), *AccessItem.Condition.choices],
                required=False,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"), max_length=300, required=False
            )

    def rows(self):
        return [
            (item, self[f"condition_{item.pk}"], self[f"note_{item.pk}"])
            for item in self.items
        ]

    def conditions(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (
                self.cleaned_data.get(f"condition_{item.pk}") or "",
                self.cleaned_data.get(f"note_{item.pk}") or "",
            )
            for item in self.items
        }


class ExtensionForm(forms.Form):
    new_due_on = DateField(label=_("New return date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PartnerForm(forms.Form):
    code = forms.CharField(label=_("Partner code"), max_length=30)
    name = forms.CharField(label=_("Organisation"), max_length=200)
    contact = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    department = forms.ModelChoiceField(
        label=_("Department in charge"),
        queryset=Department.objects.all(),
        help_text=_("Its head signs the partner's requests first, then an executive."),
    )

    def __init__(self, *args, partner=None, **kwargs):
        if partner is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": partner.name,
                    "contact": partner.contact,
                    "department": partner.department_id,
                },
            )
        super().__init__(*args, **kwargs)
        if partner is not None:
            del self.fields["code"]


class PartnerMemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person (with the partner role)"), queryset=User.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_with_roles(Role.PARTNER).order_by(
            "username"
        )


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Agreement number"), max_length=50)
    valid_from = DateField(label=_("Valid from"), widget=DateInput())
    valid_until = DateField(label=_("Valid until"), widget=DateInput())
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories covered"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    numbers = forms.CharField(
        label=_("Records covered (archive numbers)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NUMBERS_HELP,
    )
    signed_file = forms.FileField(label=_("Signed agreement (PDF)"))

    def clean_numbers(self):
        from archives.selectors import numbers_in

        numbers = numbers_in(self.cleaned_data.get("numbers") or "")
        found = list(ArchiveRecord.objects.filter(number__in=numbers))
        missing = sorted(set(numbers) - {r.number for r in found})
        if missing:
            raise ValidationError(
                _("No record has the number %(numbers)s.")
                % {"numbers": "、".join(missing)}
            )
        return found


class AgreementEndForm(forms.Form):
    reason = forms.CharField(label=_("Why it ends early"), max_length=300)


class UseEffectForm(forms.Form):
    """What a viewing or loan achieved (利用效果), told when it has ended."""

    effect = forms.ChoiceField(
        label=_("What did the use achieve?"),
        choices=[("", "—"), *UseEffect.choices],
    )
    note = forms.CharField(
        label=_("In a few words"),
        max_length=300,
        required=False,
        help_text=_("Needed for “Other”; counted in the archive's statistics."),
    )


class PeriodForm(PeriodMixin, forms.Form):
    date_from = DateField(label=_("From"), widget=DateInput())
    date_to = DateField(label=_("To"), widget=DateInput())

    @classmethod
    def from_query(cls, query) -> PeriodForm:
        """The period of a register page: this month so far unless asked."""
        if "date_from" in query:
            return cls(query)
        today = timezone.localdate()
        return cls(
            {
                "date_from": today.replace(day=1).isoformat(),
                "date_to": today.isoformat(),
            }
        )


class ClearanceForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PersonChoiceForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True)
    )


class OwnerRequestForm(forms.ModelForm):
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    proxy_id_number = forms.CharField(
        label=_("Proxy's ID number"), max_length=30, required=False
    )

    class Meta:
        model = OwnerRequest
        fields = [
            "owner_name",
            "id_type",
            "id_number",
            "phone",
            "property_unit",
            "proof_description",
            "proof_checked",
            "is_proxy",
            "proxy_name",
            "proxy_id_type",
            "proxy_id_number",
            "authorisation_checked",
            "records_wanted",
            "purpose",
        ]
        widgets = {"records_wanted": forms.Textarea(attrs={"rows": 3})}


class OwnerViewingForm(forms.Form):
    numbers = forms.CharField(
        label=_("Records shown"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=NUMBERS_HELP,
    )


class CopyForm(forms.Form):
    record = forms.ChoiceField(label=_("Record"))
    pages = forms.IntegerField(label=_("Pages"), min_value=1, max_value=10000)
    allowed = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Allow the copy")), ("0", _("Refuse the copy"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {str(r.pk): r for r in records}
        self.fields["record"].choices = [
            (str(r.pk), f"{r.number} {r.title}") for r in records
        ]

    def clean_record(self):
        return self.records[self.cleaned_data["record"]]


class ReceiptForm(forms.Form):
    owner_signed = forms.BooleanField(
        label=_("The owner has signed for the copies"), required=False
    )


class ScanForm(forms.Form):
    """What the desk's scanner types: a request, a person or a record."""

    code = forms.CharField(
        label=_("Scan or type a code"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "A request (CY000012), a person's user name, then each record's "
            "archive number."
        ),
    )


class RequestCatalogueForm(PeriodMixin, forms.Form):
    """Narrow the request catalogue (GET)."""

    q = forms.CharField(
        label=_("Number or words of a title"), max_length=100, required=False
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )
    date_from = DateField(label=_("Formed from"), required=False, widget=DateInput())
    date_to = DateField(label=_("Formed until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = catalogue_filter_options()
        self.fields["category"].choices = [("", _("All")), *options.categories]
        self.fields["department"].choices = [("", _("All")), *options.departments]
