from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "microcred.core"
    verbose_name = "Shared layer"

    def ready(self) -> None:
        # The engine's sentences (microcred.text) stay English in the engine, the API and
        # storage; a page that shows one translates it into the visitor's language.
        from django.utils.translation import gettext, ngettext

        from microcred import text

        text.install(gettext, ngettext)
