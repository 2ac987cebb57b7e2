from django.apps import AppConfig


class LearnersConfig(AppConfig):
    name = "microcred.learners"
    verbose_name = "Learners"
