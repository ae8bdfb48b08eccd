from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archives.admin import RoleReadAdmin
from lending import permissions
from lending.models import AccessItem
from lending.models import AccessRequest
from lending.models import ApprovalRule
from lending.models import ApprovalRuleStep
from lending.models import ApprovalStep
from lending.models import Holiday
from lending.models import OwnerRequest
from lending.models import Partner
from lending.models import PartnerAgreement


class ApprovalRuleStepInline(admin.TabularInline):
    model = ApprovalRuleStep
    extra = 1


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "description",
        "kind",
        "priority",
        "requester_role",
        "relation",
        "min_level",
        "additive",
        "accompanied",
        "refuse",
        "active",
    ]
    list_filter = ["kind", "additive", "active"]
    inlines = [ApprovalRuleStepInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = ApprovalStep


class ItemInline(ReadOnlyInline):
    model = AccessItem


@admin.register(AccessRequest)
class AccessRequestAdmin(SimpleHistoryAdmin, RoleReadAdmin):
    """Read-only: requests change only through their services."""

    read_perm = permissions.VIEW_ALL_REQUESTS

    list_display = ["reference", "kind", "requester", "status", "starts_at", "ends_at"]
    list_filter = ["kind", "status"]
    inlines = [StepInline, ItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OwnerRequest)
class OwnerRequestAdmin(SimpleHistoryAdmin, RoleReadAdmin):
    """Read-only, and the ID numbers only masked (SPEC §8)."""

    read_perm = permissions.VIEW_OWNERS

    list_display = [
        "reference",
        "owner_name",
        "id_number_masked",
        "property_unit",
        "status",
    ]
    list_filter = ["status"]
    exclude = ["id_number_cipher", "proxy_id_cipher", "phone_cipher"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ServicesOnly:
    """Changed only through the archive's own pages and their services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(_ServicesOnly, SimpleHistoryAdmin, RoleReadAdmin):
    """Read-only: partners are kept by the head of archives in the product."""

    read_perm = permissions.VIEW_PARTNERS
    list_display = ["code", "name", "department"]
    search_fields = ["code", "name"]


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(_ServicesOnly, SimpleHistoryAdmin, RoleReadAdmin):
    read_perm = permissions.VIEW_PARTNERS
    list_display = ["number", "partner", "valid_from", "valid_until", "ended_at"]
    list_filter = ["partner"]
