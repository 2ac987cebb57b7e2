from django.apps import AppConfig


class ObapiConfig(AppConfig):
    name = "microcred.obapi"
    verbose_name = "Open Badges API"
