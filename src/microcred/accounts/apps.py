from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "microcred.accounts"
    verbose_name = "Accounts"
