"""Django admin for the archive's configuration and records."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archives import permissions
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import CustodyEvent
from archives.models import Customer
from archives.models import HandoverBatch
from archives.models import HandoverItem
from archives.models import Mailbox
from archives.models import MailMessage
from archives.models import MailRule
from archives.models import NumberSequence
from archives.models import RecordFile
from archives.models import RecordReview
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import StoreroomEntry
from archives.models import Subcode
from archives.models import SubcodeDimension
from archives.numbering import validate_pattern
from archives.services.customers import customer_save
from core.permissions import holds_perm


class DimensionFormSet(forms.BaseInlineFormSet):
    """Checks the category's pattern against the dimensions as they will be."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        keys = {
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        try:
            validate_pattern(self.instance.number_pattern, dimension_keys=keys)
        except ValidationError as error:
            raise ValidationError(
                _("Number pattern: %(message)s") % {"message": error.messages[0]}
            ) from error


class DimensionInline(admin.TabularInline):
    model = SubcodeDimension
    formset = DimensionFormSet
    extra = 0
    fields = ["key", "name", "required", "sort_order"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "number_pattern",
        "retention_kind",
        "retention_years",
        "submission_deadline_hours",
        "lendable",
        "active",
    ]
    list_filter = ["active", "scheme", "retention_kind", "lendable"]
    search_fields = ["code", "name"]
    inlines = [DimensionInline]


class SubcodeInline(admin.TabularInline):
    model = Subcode
    extra = 0
    fields = ["code", "name", "active", "sort_order"]


@admin.register(SubcodeDimension)
class SubcodeDimensionAdmin(admin.ModelAdmin):
    list_display = ["category", "key", "name", "required"]
    list_filter = ["category"]
    search_fields = ["key", "name"]
    inlines = [SubcodeInline]


@admin.register(Subcode)
class SubcodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "dimension", "active"]
    list_filter = ["dimension__category", "dimension", "active"]
    search_fields = ["code", "name"]


class CustomerAdminForm(forms.ModelForm):
    """The contact details are typed in full and stored encrypted; the form
    never shows the stored value, only its masked copy beside it."""

    new_contact = forms.CharField(
        label=_("New contact details"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to keep the present ones."),
    )

    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "industry",
            "region",
            "scale",
            "responsible_staff",
            "department",
            "new_contact",
        ]


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    form = CustomerAdminForm
    list_display = [
        "code",
        "name",
        "industry",
        "region",
        "scale",
        "responsible_staff",
        "department",
        "contact_masked",
    ]
    list_filter = ["region", "scale", "industry", "department"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["responsible_staff"]
    readonly_fields = ["contact_masked"]

    def save_model(self, request, obj, form, change):
        customer_save(
            actor=request.user,
            customer=obj,
            contact=form.cleaned_data.get("new_contact"),
        )


class ShelfInline(admin.TabularInline):
    model = Shelf
    extra = 0


@admin.register(Storeroom)
class StoreroomAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "location"]
    search_fields = ["code", "name"]
    filter_horizontal = ["authorised"]
    inlines = [ShelfInline]


@admin.register(Shelf)
class ShelfAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "storeroom", "category"]
    list_filter = ["storeroom", "category"]
    search_fields = ["code"]


@admin.register(Box)
class BoxAdmin(SimpleHistoryAdmin):
    list_display = ["code", "category", "year", "shelf", "capacity"]
    list_filter = ["category", "year", "shelf__storeroom"]
    search_fields = ["code"]


class RoleReadAdmin(admin.ModelAdmin):
    """Shown only to roles that may read these rows; a superuser is no role.

    Administrators manage configuration; records and requests are read by
    archive roles (SPEC §13).
    """

    read_perm = ""

    def has_view_permission(self, request, obj=None):
        return holds_perm(request.user, self.read_perm)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and registers: written by services, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordFileInline(admin.TabularInline):
    model = RecordFile
    extra = 0
    fields = ["file", "original_name", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(SimpleHistoryAdmin, RoleReadAdmin, ReadOnlyAdmin):
    """Records change only through their services; admin shows them."""

    read_perm = permissions.VIEW_ALL_RECORDS

    list_display = [
        "number",
        "title",
        "category",
        "status",
        "customer",
        "source_department",
        "date_formed",
        "box",
    ]
    list_filter = [
        "category",
        "status",
        "confidentiality",
        "carrier",
        "source_department",
    ]
    search_fields = ["number", "title", "keywords", "customer__name"]
    date_hierarchy = "date_formed"
    list_select_related = ["category", "customer", "source_department", "box"]
    inlines = [RecordFileInline]


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    """Numbers are given by acceptance, never typed."""

    list_display = ["prefix", "last_value"]
    search_fields = ["prefix"]


@admin.register(RecordReview)
class RecordReviewAdmin(RoleReadAdmin, ReadOnlyAdmin):
    read_perm = permissions.VIEW_ALL_RECORDS
    list_display = ["record", "decision", "actor", "at"]
    list_filter = ["decision"]
    search_fields = ["record__number", "record__title"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(RoleReadAdmin, ReadOnlyAdmin):
    read_perm = permissions.VIEW_ALL_RECORDS
    list_display = ["record", "kind", "from_box", "to_box", "holder", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["record__number"]


@admin.register(StoreroomEntry)
class StoreroomEntryAdmin(ReadOnlyAdmin):
    list_display = ["storeroom", "person", "entered_at", "left_at", "reason"]
    list_filter = ["storeroom"]
    search_fields = ["person__username", "reason"]


class MailboxAdminForm(forms.ModelForm):
    """The password is typed, stored encrypted, and never shown again."""

    new_password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the present one."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "host",
            "port",
            "security",
            "username",
            "new_password",
            "folder",
            "move_to",
            "category",
            "assignee",
            "active",
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.password_cipher and not cleaned.get("new_password"):
            self.add_error("new_password", _("Give the mailbox's password."))
        return cleaned


class MailRuleInline(admin.TabularInline):
    model = MailRule
    extra = 1
    fields = ["order", "field", "contains", "category"]


@admin.register(Mailbox)
class MailboxAdmin(SimpleHistoryAdmin):
    form = MailboxAdminForm
    list_display = [
        "name",
        "host",
        "username",
        "folder",
        "category",
        "assignee",
        "active",
        "last_read_at",
        "last_error",
    ]
    readonly_fields = ["last_read_at", "last_error"]
    autocomplete_fields = ["assignee"]
    inlines = [MailRuleInline]

    def save_model(self, request, obj, form, change):
        password = form.cleaned_data.get("new_password")
        if password:
            obj.set_password(password)
        super().save_model(request, obj, form, change)


@admin.register(MailMessage)
class MailMessageAdmin(ReadOnlyAdmin):
    list_display = ["taken_at", "mailbox", "sender", "subject", "state", "record"]
    list_filter = ["state", "mailbox"]
    search_fields = ["subject"]
    list_select_related = ["mailbox", "record"]


class HandoverItemInline(admin.TabularInline):
    model = HandoverItem
    extra = 0
    fields = ["record", "checked_by", "checked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HandoverBatch)
class HandoverBatchAdmin(SimpleHistoryAdmin, RoleReadAdmin, ReadOnlyAdmin):
    """Read-only: batches move through the hand-over pages and services."""

    read_perm = permissions.VIEW_BATCHES
    list_display = ["reference", "department", "month", "status", "received_at"]
    list_filter = ["status", "department"]
    inlines = [HandoverItemInline]
