from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "microcred.verification"
    verbose_name = "Verification"
