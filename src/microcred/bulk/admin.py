from django.contrib import admin

from microcred.bulk.models import BulkItem, BulkJob
from microcred.core.admin import ReadOnlyAdmin


@admin.register(BulkJob)
class BulkJobAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "organisation", "name", "status", "total", "created_at")
    list_filter = ("status",)
    search_fields = ("uuid", "name")


@admin.register(BulkItem)
class BulkItemAdmin(ReadOnlyAdmin):
    list_display = ("job", "line", "status", "award_uuid", "processed_at", "emailed_at")
    list_filter = ("status",)
    search_fields = ("job__uuid", "award_uuid")
