from django.contrib import admin

from microcred.catalogue.models import MicroCredential, MicroCredentialVersion
from microcred.core.admin import ReadOnlyAdmin


@admin.register(MicroCredential)
class MicroCredentialAdmin(ReadOnlyAdmin):
    list_display = ("slug", "organisation", "created_at")
    search_fields = ("slug",)


@admin.register(MicroCredentialVersion)
class MicroCredentialVersionAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "status", "eqf_level", "published_at")
    list_filter = ("status", "eqf_level")
    search_fields = ("title",)
