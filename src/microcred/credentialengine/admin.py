from django.contrib import admin

from microcred.core.admin import ReadOnlyAdmin
from microcred.credentialengine.models import Publication


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "created_at", "published_by", "successful", "http_status")
    list_filter = ("successful",)
    search_fields = ("organisation__slug", "envelope", "registry_ctid")
