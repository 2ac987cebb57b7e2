"""Operators see the Open Badges API's clients, grants and tokens, read-only like the rest.

django-oauth-toolkit registers editable admin pages of its own; they are replaced here, so that
clients change only through registration and tokens only through the OAuth 2.0 endpoints and
the learner's connected applications page.
"""

# Imported first, so that the toolkit's own pages are registered before they are replaced.
import oauth2_provider.admin  # noqa: F401
from django.contrib import admin

from microcred.core.admin import ReadOnlyAdmin
from microcred.obapi.models import ClientRegistration, LearnerProfile


class ToolkitAdmin(ReadOnlyAdmin):
    # The toolkit's own application pages (its "view on site") are not mounted here.
    view_on_site = False


TOOLKIT_MODELS = [
    model for model in admin.site._registry if model._meta.app_label == "oauth2_provider"
]
for model in TOOLKIT_MODELS:
    admin.site.unregister(model)
    admin.site.register(model, ToolkitAdmin)


@admin.register(ClientRegistration)
class ClientRegistrationAdmin(ReadOnlyAdmin):
    list_display = ("application", "client_uri", "software_id", "software_version", "registered_at")
    search_fields = ("application__name", "client_uri", "software_id")


@admin.register(LearnerProfile)
class LearnerProfileAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "updated_at")
    search_fields = ("user__username", "name")
