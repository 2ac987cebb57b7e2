from django.contrib import admin

from microcred.core.admin import ReadOnlyAdmin
from microcred.organisations.models import Invitation, Membership, Organisation, SigningKey


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "type", "country", "created_at")
    search_fields = ("name", "slug")
    list_filter = ("type", "country")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "key_id", "algorithm", "status", "created_at")
    list_filter = ("status",)
    # The encrypted secret is never shown, not even encrypted.
    exclude = ("encrypted_secret",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organisation", "created_at", "expires_at", "accepted_at")
    search_fields = ("email",)
    # Only a hash is stored, but it opens nothing by itself: no need to show it.
    exclude = ("token_hash",)
