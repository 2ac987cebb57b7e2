from django.apps import AppConfig


class EuropassConfig(AppConfig):
    name = "microcred.europass"
    verbose_name = "Europass (European Learning Model)"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(
            label="Import from Europass (ELM)",
            url_name="europass:studio-import",
            roles=("designer",),
        )
