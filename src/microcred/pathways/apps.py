from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "microcred.pathways"
    verbose_name = "Pathways"

    def ready(self) -> None:
        from microcred.awards.services import register_clr_associations
        from microcred.catalogue.gates import register_gate
        from microcred.core.pages import register_area
        from microcred.pathways.gate import PathwaysGate
        from microcred.pathways.services import get_clr_associations

        register_gate("pathways", PathwaysGate())
        register_clr_associations("pathways", get_clr_associations)
        register_area(label=_("Pathways"), url_name="pathways:studio-list", roles=("designer",))
        register_area(
            label=_("Pathway progress"), url_name="pathways:studio-learners", roles=("registrar",)
        )
