from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "microcred.quality"
    verbose_name = "Quality assurance"

    def ready(self) -> None:
        from microcred.studio.pages import register_area

        register_area(
            label="Quality reviews", url_name="quality:studio-queue", roles=("qa_reviewer",)
        )
        register_area(
            label="Credential inflation watch", url_name="quality:watch", roles=("qa_reviewer",)
        )
