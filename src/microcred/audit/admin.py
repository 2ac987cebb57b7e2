from django.contrib import admin

from microcred.audit.models import AuditEvent
from microcred.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "created_at", "actor_label", "action", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "target_id", "actor_label")
