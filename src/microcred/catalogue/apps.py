from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "microcred.catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(label="Micro-credentials", url_name="catalogue:studio-list")
