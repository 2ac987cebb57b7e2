from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkConfig(AppConfig):
    name = "microcred.bulk"
    verbose_name = "Bulk issuing"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(label=_("Bulk issuing"), url_name="bulk:studio-list", roles=("registrar",))
