from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "microcred.recognition"
    verbose_name = "Recognition and credit transfer"

    def ready(self) -> None:
        from microcred.core.pages import register_area

        register_area(
            label="Recognition", url_name="recognition:studio-queue", roles=("evaluator",)
        )
