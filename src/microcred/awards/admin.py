from django.contrib import admin

from microcred.awards.models import Award, StatusList
from microcred.core.admin import ReadOnlyAdmin


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "organisation", "version", "status", "issued_at")
    list_filter = ("status", "format")
    search_fields = ("uuid", "learner_name", "learner_email")


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "slug", "purpose", "next_index", "updated_at")
