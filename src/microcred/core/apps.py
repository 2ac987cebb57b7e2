from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "microcred.core"
    verbose_name = "Shared layer"
