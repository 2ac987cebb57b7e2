"""Deliveries of awards into wallets: VC API exchanges and OpenID for VC Issuance offers.

Secrets a wallet presents (the pre-authorized code, the access token, the
transaction code) are kept only as SHA-256 digests: a copy of the database
cannot be used to collect credentials. Each delivery keeps the credential
exactly as signed for the wallet (``delivered_credential``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class ExchangeState(models.TextChoices):
    """The states the VC API names for an exchange.

    The labels have their own context: "Complete" or "Invalid" elsewhere may be a verb or
    say something else, and every app's catalogue answers for all of them.
    """

    PENDING = "pending", pgettext_lazy("wallet exchange state", "Pending")
    ACTIVE = "active", pgettext_lazy("wallet exchange state", "Active")
    COMPLETE = "complete", pgettext_lazy("wallet exchange state", "Complete")
    INVALID = "invalid", pgettext_lazy("wallet exchange state", "Invalid")


class Exchange(models.Model):
    """A VC API (VCALM) exchange that delivers one award to a wallet that authenticates a DID.

    Single use: once ``complete`` (or ``invalid``) it answers nothing more. The
    ``challenge`` goes into the Verifiable Presentation Request and must come
    back in the wallet's DID Authentication proof.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=ExchangeState.choices, default=ExchangeState.PENDING
    )
    sequence = models.PositiveIntegerField(default=0)
    challenge = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    holder = models.CharField(max_length=500, blank=True)
    delivered_credential = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Exchange {self.uuid} ({self.state})"


class CredentialOffer(models.Model):
    """An OpenID for VC Issuance credential offer of one award, pre-authorized code flow.

    The code is exchanged once for an access token; the token is used once at
    the credential endpoint. Both are short-lived and stored as digests.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_digest = models.CharField(max_length=64, unique=True)
    tx_code_digest = models.CharField(max_length=64, blank=True)
    tx_code_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    code_used_at = models.DateTimeField(null=True, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    holder = models.CharField(max_length=500, blank=True)
    credential_configuration_id = models.CharField(max_length=100, blank=True)
    delivered_credential = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Credential offer {self.uuid}"


class Nonce(models.Model):
    """A spent ``c_nonce``, kept until it would have expired so that it is accepted once.

    Nonces are handed out signed and stored only when spent (see ``services.issue_nonce``).
    """

    value = models.CharField(max_length=200, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Nonce until {self.expires_at:%H:%M:%S}"
