from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialEngineConfig(AppConfig):
    name = "microcred.credentialengine"
    verbose_name = "Credential Engine"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(
            label=_("Credential Engine"), url_name="credentialengine:studio", roles=("designer",)
        )
