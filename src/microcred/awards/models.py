"""Issued credentials and the status lists that can revoke or suspend them.

An :class:`Award` keeps the credential exactly as signed (``signed_credential``):
pages, downloads and the API serve those bytes and never rebuild them from
model fields, so what a verifier checks is what the issuer signed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microcred.core.fields import DocumentField


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class Visibility(models.TextChoices):
    """Who may open an award's page and downloads; the signed credential verifies either way."""

    PUBLIC = "public", _("Public: anyone with its address")
    PRIVATE = "private", _("Private: you, the issuer's staff, and your share links")


class CredentialFormat(models.TextChoices):
    DATA_INTEGRITY = "ldp", _("JSON-LD with a Data Integrity proof")
    VC_JWT = "jwt", _("VC-JWT")


class Award(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="awards"
    )
    version = models.ForeignKey(
        "catalogue.MicroCredentialVersion", on_delete=models.PROTECT, related_name="awards"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    learner_name = models.CharField(max_length=300, blank=True)
    learner_email = models.EmailField(blank=True)
    learner_did = models.CharField(max_length=500, blank=True)
    identity_salt = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=200)
    request_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of what was asked for, so a retry with other data is refused.",
    )
    format = models.CharField(max_length=10, choices=CredentialFormat.choices)
    signed_credential = DocumentField(
        help_text="The credential exactly as signed: JSON or a compact JWS."
    )
    result = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    status_reason = models.TextField(
        blank=True,
        help_text="Why the status last changed, for the issuer's staff only (private).",
    )
    public_reason = models.TextField(
        blank=True,
        help_text="Why the credential is revoked or suspended, as its public page tells anyone "
        "who checks it.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    granted_through = models.CharField(
        max_length=20,
        blank=True,
        help_text="How the award was granted when not by assessment: recognition (of prior "
        "learning).",
    )
    learning_setting = models.CharField(
        max_length=20,
        blank=True,
        help_text="For recognised learning: non-formal or informal, as the credential states.",
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="The revoked or invalidated award this one was issued again for; one "
        "replacement each.",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="unique_award_idempotency_key"
            )
        ]
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.version} → {self.learner_name or self.learner_email or self.learner_did}"


class ShareLink(models.Model):
    """A link by which the learner lets someone open a private award's page; revocable."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True, help_text="Whom it was made for.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Share link of {self.award.uuid}"


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Revocation")
    SUSPENSION = "suspension", _("Suspension")


class StatusList(models.Model):
    """A Bitstring Status List of an organisation; indexes are handed out in order.

    ``next_index`` is taken under a row lock (``select_for_update``) so that
    two issuing processes never share an index.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="status_lists"
    )
    slug = models.SlugField(max_length=60)
    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices)
    size = models.PositiveIntegerField(default=131_072)
    next_index = models.PositiveIntegerField(default=0)
    encoded_list = models.TextField(blank=True, help_text="The current list, as in encodedList.")
    signed_credential = models.TextField(
        blank=True, help_text="The BitstringStatusListCredential as last signed."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_status_list")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}/{self.slug} ({self.purpose})"


class StatusEntry(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="status_entries")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="unique_status_index"),
            models.UniqueConstraint(fields=["award", "status_list"], name="one_entry_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.status_list} #{self.index}"


class RecordOrigin(models.TextChoices):
    ISSUED = "issued", _("Issued by a registrar")
    DOWNLOADED = "downloaded", _("Downloaded by the learner")


class LearnerRecord(models.Model):
    """A signed Comprehensive Learner Record 2.0 (``ClrCredential``) of one learner.

    It nests the learner's signed awards exactly as they were signed, and is
    kept exactly as it was signed (``signed_credential``), like an award: the
    public address ``/records/<uuid>`` serves these bytes.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="learner_records"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="learner_records",
    )
    awards = models.ManyToManyField(Award, related_name="learner_records")
    origin = models.CharField(max_length=20, choices=RecordOrigin.choices)
    format = models.CharField(
        max_length=10, choices=CredentialFormat.choices, default=CredentialFormat.DATA_INTEGRITY
    )
    partial = models.BooleanField(
        help_text="True when it leaves out valid awards the organisation made to the learner."
    )
    signed_credential = models.TextField(help_text="The ClrCredential exactly as signed (JSON).")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Learner record {self.uuid} ({self.organisation.slug})"
