from django.contrib import admin

from microcred.core.admin import ReadOnlyAdmin
from microcred.wallets.models import CredentialOffer, Exchange


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "award", "state", "holder", "created_at", "expires_at")
    list_filter = ("state",)
    search_fields = ("uuid", "holder")
    exclude = ("challenge",)


@admin.register(CredentialOffer)
class CredentialOfferAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "award", "credential_configuration_id", "holder", "created_at")
    search_fields = ("uuid", "holder")
    exclude = ("code_digest", "tx_code_digest", "token_digest")
