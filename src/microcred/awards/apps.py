from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "microcred.awards"
    verbose_name = "Awards"
