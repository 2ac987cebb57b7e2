from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "microcred.quality"
    verbose_name = "Quality assurance"

    def ready(self) -> None:
        from microcred.catalogue.gates import register_gate
        from microcred.core.pages import register_area
        from microcred.quality.gate import QualityGate

        register_gate("quality", QualityGate())

        register_area(
            label="Quality reviews", url_name="quality:studio-queue", roles=("qa_reviewer",)
        )
        register_area(
            label="Credential inflation watch", url_name="quality:watch", roles=("qa_reviewer",)
        )
