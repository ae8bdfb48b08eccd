from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from retention.models import Incident


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["summary", "kind", "status", "person", "opened_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["records", "person"]
    readonly_fields = ["opened_by", "opened_at"]
