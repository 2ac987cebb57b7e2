from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "microcred.catalogue"
    verbose_name = "Catalogue"
