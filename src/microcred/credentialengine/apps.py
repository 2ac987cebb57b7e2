from django.apps import AppConfig


class CredentialEngineConfig(AppConfig):
    name = "microcred.credentialengine"
    verbose_name = "Credential Engine"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(
            label="Credential Engine", url_name="credentialengine:studio", roles=("designer",)
        )
