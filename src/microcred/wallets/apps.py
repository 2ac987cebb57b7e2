from django.apps import AppConfig


class WalletsConfig(AppConfig):
    name = "microcred.wallets"
    verbose_name = "Delivery into wallets (VC API exchanges, OpenID for VC Issuance)"
