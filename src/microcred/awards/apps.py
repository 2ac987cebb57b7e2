from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "microcred.awards"
    verbose_name = "Awards"

    def ready(self) -> None:
        from microcred.awards import services
        from microcred.core.pages import register_area
        from microcred.organisations.services import register_local_document
        from microcred.organisations.signals import signing_key_replaced

        register_local_document("/status/", services.local_status_list)
        signing_key_replaced.connect(services.resign_status_lists, dispatch_uid="awards-resign")
        register_area(label=_("Awards"), url_name="awards:studio-list")
