from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "microcred.recognition"
    verbose_name = "Recognition and credit transfer"

    def ready(self) -> None:
        # The labels stay lazy: each page shows them in its visitor's language.
        from microcred.core.pages import register_area

        register_area(
            label=cast(str, _("Recognition")),
            url_name="recognition:studio-queue",
            roles=("evaluator",),
        )
