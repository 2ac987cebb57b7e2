from django.contrib import admin

from microcred.awards.models import Award, LearnerRecord, StatusList
from microcred.core.admin import ReadOnlyAdmin


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "organisation", "version", "status", "issued_at")
    list_filter = ("status", "format")
    search_fields = ("uuid", "learner_name", "learner_email")


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "slug", "purpose", "next_index", "updated_at")


@admin.register(LearnerRecord)
class LearnerRecordAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "organisation", "origin", "partial", "created_at")
    list_filter = ("origin",)
    search_fields = ("uuid", "learner__email")
