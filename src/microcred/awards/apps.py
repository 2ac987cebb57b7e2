from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "microcred.awards"
    verbose_name = "Awards"

    def ready(self) -> None:
        from microcred.awards import services
        from microcred.organisations.services import register_local_document
        from microcred.studio.pages import register_area

        register_local_document("/status/", services.local_status_list)
        register_area(label="Awards", url_name="awards:studio-list")
