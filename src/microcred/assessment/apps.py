from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "microcred.assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from microcred.assessment.gate import AssessmentGate
        from microcred.catalogue.gates import register_gate
        from microcred.core.pages import register_area
        from microcred.organisations.services import Role

        register_gate("assessment", AssessmentGate())

        register_area(
            label=_("Assessors and assignment"),
            url_name="assessment:assessors",
            roles=(Role.OWNER,),
        )
        register_area(label=_("Assessment"), url_name="assessment:queue", roles=(Role.ASSESSOR,))
        register_area(label=_("Sign-off"), url_name="assessment:signoff", roles=(Role.REGISTRAR,))
