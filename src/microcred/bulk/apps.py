from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "microcred.bulk"
    verbose_name = "Bulk issuing"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(label="Bulk issuing", url_name="bulk:studio-list", roles=("registrar",))
