from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "microcred.audit"
    verbose_name = "Audit log"
