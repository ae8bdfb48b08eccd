"""Forms: field validation only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.models import User
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives.models import RECORD_INPUT_FIELDS
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import Customer
from archives.models import OwnerFamilyMember
from archives.models import Shelf
from archives.models import Storeroom
from archives.periods import period_label
from archives.selectors import CatalogueQuery
from archives.selectors import boxes_with_room
from archives.selectors import catalogue_filter_options
from archives.selectors import shelves_for
from archives.services.files import check_upload
from core.errors import ArchiveError
from core.forms import DateField
from core.forms import DateInput
from core.forms import DateTimeField
from core.forms import DateTimeInput
from core.forms import picker
from core.forms import plausible_dates


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the archive's rules."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files = [item for item in items if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ArchiveError as error:
                errors.append(error.message)
        if errors:
            raise ValidationError(errors)
        return files


class MailDropForm(forms.Form):
    """E-mails saved from a mail program (.eml, Outlook .msg), each filed as
    a draft with its attachments (archives.services.mailin)."""

    messages = MultipleFileField(
        label=_("E-mails (.eml or .msg)"),
        help_text=_(
            "Drop saved e-mails here: each becomes a draft with its subject, "
            "sender, date, text and attachments, for you to complete."
        ),
        widget=MultipleFileInput(attrs={"accept": ".eml,.msg"}),
    )

    def clean_messages(self):
        uploads = self.cleaned_data["messages"]
        wrong = [
            u.name for u in uploads if not u.name.lower().endswith((".eml", ".msg"))
        ]
        if wrong:
            raise ValidationError(
                _("%(names)s: only e-mails (.eml or .msg) are filed here.")
                % {"names": "、".join(wrong)}
            )
        return uploads


class RecordForm(forms.ModelForm):
    """A record's fields plus one choice per sub-code dimension of its category."""

    files = MultipleFileField(
        label=_("Electronic files"),
        required=False,
        help_text=_("You may choose several files at once."),
    )

    class Meta:
        model = ArchiveRecord
        fields = list(RECORD_INPUT_FIELDS)
        widgets = {
            "date_formed": DateInput(),
            "handled_on": DateInput(),
            "contract_ends_on": DateInput(),
            "received_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, category: Category, user, **kwargs):
        super().__init__(*args, **kwargs)
        plausible_dates(self)
        self.category = category
        self.dimension_keys = []
        for dimension in category.dimensions.all():
            field_name = f"subcode_{dimension.key}"
            self.fields[field_name] = forms.ModelChoiceField(
                label=dimension.local_name,
                queryset=dimension.subcodes.filter(active=True),
                required=dimension.required,
            )
            self.dimension_keys.append(dimension.key)
            if self.instance.pk:
                current = self.instance.subcodes.filter(dimension=dimension).first()
                self.initial[field_name] = current.pk if current else None
        self.fields["customer"].required = category.requires_customer
        self.fields["customer"].queryset = self.fields["customer"].queryset.order_by(
            "code"
        )
        self.fields["source_department"].queryset = Department.objects.all()
        self.fields["responsible_person"].queryset = User.objects.filter(
            is_active=True, is_system=False
        ).order_by("username")
        if not self.instance.pk:
            self.initial["source_department"] = user.department_id
            self.initial["responsible_person"] = user.pk
        # Thousands of customers and people: a search box, not a long list.
        for name, url, label in (
            ("customer", "archives:pick-customers", _("Search customers")),
            ("responsible_person", "accounts:pick-people", _("Search people")),
        ):
            picker(
                self.fields[name],
                url=reverse(url),
                search_label=label,
                selected=self[name].value(),
            )
        if category.retention_start != Category.RetentionStart.HANDLED:
            del self.fields["handling_status"]
            del self.fields["handled_on"]
        if category.retention_start != Category.RetentionStart.CONTRACT_END:
            del self.fields["contract_ends_on"]
        if category.deadline_anchor != Category.DeadlineAnchor.RECEIVED:
            del self.fields["received_at"]
        if category.retention_kind != Category.RetentionKind.YEARS:
            del self.fields["involves_major_decision"]
        if not category.requires_customer:
            del self.fields["customer"]
        self.order_fields(["title", *[f"subcode_{k}" for k in self.dimension_keys]])

    def record_data(self) -> dict:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key in RECORD_INPUT_FIELDS
        }

    def subcode_choices(self) -> dict:
        return {
            key: self.cleaned_data.get(f"subcode_{key}") for key in self.dimension_keys
        }


class RecordCorrectForm(RecordForm):
    """An accepted record's catalogue corrected by the archive, with a reason
    (issue 20, item 4). What its number is made of (category, sub-codes, the
    date formed) and its confidentiality (the head of archives') are not
    here: a number never changes."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        help_text=_("Kept in the record's history with the old values."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [
            "files",
            "confidentiality",
            "date_formed",
            *(f"subcode_{k}" for k in self.dimension_keys),
        ]:
            self.fields.pop(name, None)
        self.dimension_keys = []


class RecordReclassifyForm(forms.Form):
    """The head of archives changes a record's confidentiality (密级变更, or 解密
    when it is lowered), with a reason (issue 20, item 4)."""

    level = forms.ChoiceField(
        label=_("New confidentiality"),
        choices=ArchiveRecord.Confidentiality.choices,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        help_text=_(
            "Kept in the record's history and the audit log, and given to a "
            "requester whose request is refused by the change."
        ),
    )


class BoxChoiceField(forms.ModelChoiceField):
    """A box by code, with where it stands and how full it is."""

    def label_from_instance(self, obj: Box) -> str:
        held = getattr(obj, "held", None)
        fill = f" · {held}/{obj.capacity}" if held is not None else ""
        return f"{obj.code} · {obj.category.code} {obj.year} · {obj.shelf}{fill}"


class ShelfChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Shelf) -> str:
        kept = f" · {obj.category.code}" if obj.category_id else ""
        return f"{obj} · {obj.storeroom.local_name}{kept}"


class AcceptForm(forms.Form):
    """Where accepted paper goes: a box with room, or a new box on a shelf.

    With a ``record``, the boxes and shelves are those of its category and a
    box of its year is chosen; without (the queue's bulk accept), any.
    """

    box = BoxChoiceField(
        label=_("Box"),
        queryset=Box.objects.none(),
        required=False,
        empty_label=_("— choose a box —"),
    )
    new_box_shelf = ShelfChoiceField(
        label=_("Or a new box on shelf"),
        queryset=Shelf.objects.none(),
        required=False,
        empty_label=_("— no new box —"),
        help_text=_("The new box gets the next code of its category and year."),
    )

    def __init__(self, *args, record: ArchiveRecord | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        category = record.category if record is not None else None
        self.fields["box"].queryset = boxes_with_room(category=category)
        self.fields["new_box_shelf"].queryset = shelves_for(category=category)
        self.no_box_fits = False
        if record is None:
            return
        latest = record.file_checks.first()
        if latest is not None and latest.outcome in ("failed", "pending"):
            # The four checks found problems: accepted only with a reason.
            self.fields["override_reason"] = forms.CharField(
                label=_("Accept despite the failed checks, because"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Say why the record is accepted although a check failed or "
                    "is pending; the reason is kept with the report and in the "
                    "audit log. Malware is never accepted."
                ),
            )
        if not record.is_paper:
            del self.fields["box"]
            del self.fields["new_box_shelf"]
            return
        year = record.date_formed.year
        fitting = self.fields["box"].queryset.filter(year=year)
        first = fitting.values_list("pk", flat=True).first()
        if first is not None:
            self.initial.setdefault("box", first)
        else:
            # Offer the new box in place, on the category's own shelf.
            self.no_box_fits = True
            shelf = self.fields["new_box_shelf"].queryset.first()
            self.initial.setdefault("new_box_shelf", shelf.pk if shelf else None)

    def clean(self):
        data = super().clean()
        if self.record is None or not self.record.is_paper or self.errors:
            return data
        box, shelf = data.get("box"), data.get("new_box_shelf")
        if box and shelf:
            raise ValidationError(_("Choose a box or a new box, not both."))
        if not box and not shelf:
            if self.no_box_fits:
                raise ValidationError(
                    _(
                        "No %(category)s box for %(year)s has room: "
                        "choose the shelf for a new box."
                    )
                    % {
                        "category": self.record.category.code,
                        "year": self.record.date_formed.year,
                    }
                )
            raise ValidationError(
                _("Choose the box for the paper record, or a shelf for a new box.")
            )
        return data


class BulkAcceptForm(AcceptForm):
    """The queue's selection: electronic records need no box. Any box with
    room may be chosen, so the box is a picker (an archive has thousands)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        picker(
            self.fields["box"],
            url=reverse("archives:pick-boxes"),
            search_label=_("Search boxes by code"),
            selected=self["box"].value(),
        )

    def clean(self):
        data = super().clean()
        if data.get("box") and data.get("new_box_shelf"):
            raise ValidationError(_("Choose a box or a new box, not both."))
        return data


class BoxCodeField(forms.CharField):
    """A box named by its code (an archive has thousands of boxes); cleans
    to the Box, or says no box has the code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value) -> Box:
        code = super().clean(value).strip()
        box = Box.objects.select_related("category").filter(code=code).first()
        if box is None:
            raise ValidationError(_("No box has the code %(code)s.") % {"code": code})
        return box


class MoveForm(forms.Form):
    """The box to move to, by its code: an archive has thousands of boxes.

    The boxes on the same shelf are suggested (``selectors.boxes_near``) as
    the browser's completions of the field.
    """

    box = BoxCodeField(
        label=_("Move to box (code)"),
        widget=forms.TextInput(attrs={"list": "nearby-boxes", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, record: ArchiveRecord, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        # The completions come when the field is first focused.
        self.fields["box"].widget.attrs.update(
            {
                "hx-get": reverse("archives:record-nearby-boxes", args=[record.pk]),
                "hx-trigger": "focus once",
                "hx-target": "#nearby-boxes",
            }
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


# The most rows one action on a selection takes (a page holds at most 100).
MAX_SELECTION = 100


class CatalogueForm(forms.Form):
    """The catalogue's search box and filters; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int)
    subcode = forms.TypedChoiceField(label=_("Sub-code"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = DateField(label=_("Formed from"), required=False, widget=DateInput())
    date_to = DateField(label=_("Formed until"), required=False, widget=DateInput())
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int
    )
    storeroom = forms.TypedChoiceField(label=_("Storeroom"), required=False, coerce=int)
    box = forms.CharField(label=_("Box code"), required=False, max_length=30)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-date", _("Date formed, newest first")),
            ("-number", _("Number, newest first")),
            ("number", _("Number, oldest first")),
            ("date", _("Date formed, oldest first")),
            ("title", _("Title")),
            ("-accepted", _("Recently accepted")),
        ],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        in_archive = [
            (value, label)
            for value, label in ArchiveRecord.Status.choices
            if value in ArchiveRecord.IN_ARCHIVE_STATUSES
        ]
        self.fields["status"].choices = [("", _("Any status")), *in_archive]
        options = catalogue_filter_options()
        self.fields["category"].choices = [
            ("", _("All categories")),
            *options.categories,
        ]
        self.fields["subcode"].choices = [("", _("All sub-codes")), *options.subcodes]
        self.fields["department"].choices = [
            ("", _("All departments")),
            *options.departments,
        ]
        self.fields["storeroom"].choices = [
            ("", _("All storerooms")),
            *options.storerooms,
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def selected_ids(self) -> tuple[int, ...]:
        """The rows ticked (``record``), for an action on a selection."""
        values = self.data.getlist("record") if hasattr(self.data, "getlist") else []
        return tuple(int(v) for v in values[:MAX_SELECTION] if str(v).isdigit())

    def to_query(self) -> CatalogueQuery:
        """The search asked for; the unfiltered catalogue when nothing is asked."""
        if not self.is_bound or not self.is_valid():
            return CatalogueQuery()
        data = self.cleaned_data
        return CatalogueQuery(
            q=data["q"] or "",
            category=data["category"] or None,
            subcode=data["subcode"] or None,
            status=data["status"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
            department=data["department"] or None,
            storeroom=data["storeroom"] or None,
            box_code=data["box"] or "",
            sort=data["sort"] or "-date",
            ids=tuple(
                int(v)
                for v in self.data.getlist("record")[:MAX_SELECTION]
                if v.isdigit()
            )
            if hasattr(self.data, "getlist")
            else (),
        )


class SelectionMoveForm(forms.Form):
    """Move the catalogue's selection of shelved records into one box."""

    to_box = BoxCodeField(label=_("Move to box (code)"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class StoreroomEntryForm(forms.Form):
    storeroom = forms.ModelChoiceField(
        label=_("Storeroom"), queryset=Storeroom.objects.all()
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True, is_system=False)
    )
    entered_at = DateTimeField(
        label=_("Entered at"), required=False, widget=DateTimeInput()
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)


class ReviewQueueFilterForm(forms.Form):
    """Narrow the review queue (GET)."""

    q = forms.CharField(label=_("Title or filer"), max_length=100, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("code"),
        required=False,
        empty_label=_("All"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    carrier = forms.ChoiceField(
        label=_("Carrier"),
        choices=[("", _("All")), *ArchiveRecord.Carrier.choices],
        required=False,
    )
    late = forms.BooleanField(label=_("Submitted late only"), required=False)

    def to_filters(self) -> dict:
        data = self.cleaned_data
        return {
            "category": data.get("category"),
            "department": data.get("department"),
            "carrier": data.get("carrier") or "",
            "late": bool(data.get("late")),
            "text": data.get("q") or "",
        }


class StoreroomForm(forms.Form):
    """A storeroom's code (fixed once given), name and where it is."""

    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def __init__(self, *args, storeroom: Storeroom | None = None, **kwargs):
        if storeroom is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": storeroom.code,
                    "name": storeroom.local_name,
                    "location": storeroom.location,
                },
            )
        super().__init__(*args, **kwargs)
        if storeroom is not None:
            self.fields["code"].disabled = True


class ShelfForm(forms.Form):
    """A shelf's code in its storeroom and the category it is kept for."""

    code = forms.CharField(label=_("Code"), max_length=20)
    category = forms.ModelChoiceField(
        label=_("Category kept here"),
        queryset=Category.objects.order_by("code"),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, shelf: Shelf | None = None, **kwargs):
        if shelf is not None:
            kwargs.setdefault(
                "initial", {"code": shelf.code, "category": shelf.category_id}
            )
        super().__init__(*args, **kwargs)
        if shelf is not None:
            self.fields["code"].disabled = True


class BoxForm(forms.Form):
    """A new box on a shelf; the code is made when left empty."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.order_by("code")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999)
    capacity = forms.IntegerField(
        label=_("Capacity (records)"), min_value=1, max_value=10_000
    )
    code = forms.CharField(
        label=_("Box code"),
        max_length=30,
        required=False,
        help_text=_("Left empty, the box gets the next code of its category and year."),
    )

    def __init__(self, *args, shelf: Shelf, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("category", shelf.category_id)
        self.initial.setdefault("year", timezone.localdate().year)
        self.initial.setdefault("capacity", settings.ARCHIVE_BOX_CAPACITY)
        if shelf.category_id is not None:
            self.fields["category"].queryset = Category.objects.filter(
                pk=shelf.category_id
            )


class BoxEditForm(forms.Form):
    """Move a box to another shelf or change its capacity."""

    shelf = ShelfChoiceField(label=_("Shelf"), queryset=Shelf.objects.none())
    capacity = forms.IntegerField(
        label=_("Capacity (records)"), min_value=1, max_value=10_000
    )

    def __init__(self, *args, box: Box, **kwargs):
        kwargs.setdefault("initial", {"shelf": box.shelf_id, "capacity": box.capacity})
        super().__init__(*args, **kwargs)
        self.fields["shelf"].queryset = shelves_for(category=box.category)


class BoxNoteForm(forms.Form):
    """The box's note sheet (备考表, DA/T 22): notes, who arranged the
    records and who checked them, and when."""

    note = forms.CharField(
        label=_("Notes on the records of this box"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_(
            "Missing pages, damage, records moved elsewhere: anything a reader "
            "should know."
        ),
    )
    arranged_by = forms.ModelChoiceField(
        label=_("Arranged by"), queryset=User.objects.none(), required=False
    )
    arranged_on = DateField(label=_("Arranged on"), required=False, widget=DateInput())
    checked_by = forms.ModelChoiceField(
        label=_("Checked by"), queryset=User.objects.none(), required=False
    )
    checked_on = DateField(label=_("Checked on"), required=False, widget=DateInput())

    def __init__(self, *args, box: Box, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "note": box.note,
                "arranged_by": box.arranged_by_id,
                "arranged_on": box.arranged_on,
                "checked_by": box.checked_by_id,
                "checked_on": box.checked_on,
            },
        )
        super().__init__(*args, **kwargs)
        staff = people_with_roles(Role.ARCHIVIST, Role.ARCHIVE_HEAD).order_by(
            "username"
        )
        self.fields["arranged_by"].queryset = staff
        self.fields["checked_by"].queryset = staff


class OwnerForm(forms.Form):
    """An owner's dossier (业主信息, S4): who, which property; the ID number and
    the contact are typed in full and kept encrypted and masked."""

    code = forms.CharField(label=_("Owner code"), max_length=30)
    name = forms.CharField(label=_("Owner's name"), max_length=200)
    room = forms.CharField(label=_("Room number"), max_length=40)
    floor_area = forms.DecimalField(
        label=_("Floor area (m²)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    layout = forms.CharField(label=_("Layout"), max_length=40, required=False)
    purchased_on = DateField(label=_("Bought on"), required=False, widget=DateInput())
    id_type = forms.ChoiceField(
        label=_("ID type"),
        choices=[("id_card", _("Resident identity card")), ("other", _("Other"))],
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        help_text=_("Kept encrypted and shown masked; leave empty to keep it."),
    )
    contact = forms.CharField(
        label=_("Contact details"),
        max_length=200,
        required=False,
        help_text=_("Kept encrypted and shown masked; leave empty to keep it."),
    )

    def __init__(self, *args, owner: Customer | None = None, **kwargs):
        if owner is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": owner.name,
                    "room": owner.room,
                    "floor_area": owner.floor_area,
                    "layout": owner.layout,
                    "purchased_on": owner.purchased_on,
                },
            )
        super().__init__(*args, **kwargs)
        if owner is not None:
            del self.fields["code"]
            for name in ("id_number", "contact"):
                masked = (
                    owner.id_number_masked
                    if name == "id_number"
                    else owner.contact_masked
                )
                if masked:
                    self.fields[name].help_text = _(
                        "Now %(masked)s. Type a new one to change it."
                    ) % {"masked": masked}


class FamilyMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    relation = forms.ChoiceField(
        label=_("Relation"), choices=OwnerFamilyMember.Relation.choices
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class DirectoryForm(forms.Form):
    """Which filing directory (归档文件目录): a year and a category, and a
    retention period when the year's records have more than one."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=None
    )
    period = forms.ChoiceField(label=_("Retention"), required=False, choices=[])

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            ("", _("All periods")),
            *((key, period_label(key)) for key in periods),
        ]


class BoxEmptyForm(forms.Form):
    """Move every record of a box into another box, named by its code."""

    into = BoxCodeField(
        label=_("Move all its records to box (code)"),
        widget=forms.TextInput(
            attrs={"list": "boxes-with-room", "autocomplete": "off"}
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Save this search as"), max_length=100)
    shared = forms.BooleanField(label=_("Share with everyone"), required=False)
    query = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)


class RecordLinkForm(forms.Form):
    """On the record's page beside the move form: its own prefix, so no id
    is on the page twice."""

    prefix = "link"
    number = forms.CharField(label=_("Related record (archive number)"), max_length=40)
    note = forms.CharField(label=_("How they relate"), max_length=200, required=False)
