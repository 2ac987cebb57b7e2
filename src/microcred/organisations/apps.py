from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "microcred.organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        # The labels stay lazy: each page shows them in its visitor's language.
        from microcred.core.pages import register_area
        from microcred.organisations import services

        services.register_local_document("/orgs/", services.local_organisation_document)
        register_area(label=cast(str, _("Overview")), url_name="organisations:studio-overview")
        register_area(
            label=cast(str, _("Members and roles")), url_name="organisations:studio-members"
        )
        register_area(label=cast(str, _("Signing keys")), url_name="organisations:studio-keys")
        register_area(
            label=cast(str, _("Public profile")),
            url_name="organisations:studio-profile",
            roles=["owner"],
        )
