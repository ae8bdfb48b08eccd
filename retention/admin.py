from django.contrib import admin
from django.contrib import messages
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from retention.models import Complaint
from retention.models import FacilityItem
from retention.models import Hold
from retention.models import Incident
from retention.models import RetentionRule
from retention.services.rules import retention_rule_update


@admin.register(RetentionRule)
class RetentionRuleAdmin(SimpleHistoryAdmin):
    """SPEC §5 as data: saving a rule recomputes its records' disposal dates."""

    list_display = [
        "code",
        "name",
        "retention_kind",
        "retention_years",
        "retention_start",
    ]
    fields = ["code", "name", "retention_kind", "retention_years", "retention_start"]
    readonly_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changed = retention_rule_update(
            actor=request.user,
            category=obj,
            kind=obj.retention_kind,
            years=obj.retention_years,
            start=obj.retention_start,
        )
        messages.info(
            request,
            _("Disposal dates recomputed: %(count)d record(s) changed.")
            % {"count": changed},
        )


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["summary", "kind", "status", "person", "opened_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["records", "person", "told"]
    # An incident is opened and closed by its services (the incident pages),
    # which tell the heads and keep the closing record; never by a field here.
    readonly_fields = ["status", "opened_by", "opened_at", "closed_by", "closed_at"]


@admin.register(Hold)
class HoldAdmin(SimpleHistoryAdmin):
    list_display = ["record", "reason", "placed_by", "placed_at", "released_at"]
    raw_id_fields = ["record"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FacilityItem)
class FacilityItemAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "sort_order"]
    list_editable = ["active", "sort_order"]


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    """Read here; reported, taken and answered on the complaint pages, whose
    services tell the heads and the reporter."""

    list_display = ["summary", "topic", "source", "status", "reported_at"]
    list_filter = ["topic", "source", "status"]
    search_fields = ["summary"]
    exclude = ["owner_contact_cipher"]
    readonly_fields = [
        "source",
        "topic",
        "status",
        "summary",
        "description",
        "record",
        "owner_name",
        "owner_contact_masked",
        "reported_by",
        "reported_at",
        "handled_by",
        "findings",
        "answer",
        "closed_at",
    ]

    def has_add_permission(self, request):
        return False
