from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "microcred.catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from microcred.catalogue.services import list_for_profile
        from microcred.core.pages import register_area
        from microcred.organisations.services import register_profile_section

        register_area(label=_("Micro-credentials"), url_name="catalogue:studio-list")
        register_profile_section("Micro-credentials", list_for_profile)
