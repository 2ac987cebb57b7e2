from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "microcred.organisations"
    verbose_name = "Organisations"
