from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EuropassConfig(AppConfig):
    name = "microcred.europass"
    verbose_name = "Europass (European Learning Model)"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(
            label=_("Import from Europass (ELM)"),
            url_name="europass:studio-import",
            roles=("designer",),
        )
