from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "microcred.quality"
    verbose_name = _("Quality assurance")

    def ready(self) -> None:
        from microcred.catalogue.gates import register_gate
        from microcred.core.pages import register_area
        from microcred.quality.gate import QualityGate

        register_gate("quality", QualityGate())

        # Lazy labels: registered once at start-up, each read in the language of the page that
        # shows the dashboard.
        register_area(
            label=cast(str, _("Quality reviews")),
            url_name="quality:studio-queue",
            roles=("qa_reviewer",),
        )
        register_area(
            label=cast(str, _("Credential inflation watch")),
            url_name="quality:watch",
            roles=("qa_reviewer",),
        )
