from django.contrib import admin

from microcred.core.admin import ReadOnlyAdmin
from microcred.recognition.models import GradingTable, RecognitionRequest, TransferValue


@admin.register(RecognitionRequest)
class RecognitionRequestAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "organisation", "version", "status", "decision", "submitted_at")
    list_filter = ("status", "decision")
    search_fields = ("uuid", "learner__username")


@admin.register(TransferValue)
class TransferValueAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "source_name", "target_version", "component", "published")


@admin.register(GradingTable)
class GradingTableAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "field_of_study", "grading_system", "published")
