from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "microcred.studio"
    verbose_name = "Studio (staff pages)"
