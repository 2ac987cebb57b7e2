from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "microcred.studio"
    verbose_name = "Studio (staff pages)"

    def ready(self) -> None:
        from microcred.organisations.signals import counting_signed_credentials
        from microcred.studio import services

        counting_signed_credentials.connect(
            services.count_credentials_signed_by, dispatch_uid="studio-count-signed"
        )
