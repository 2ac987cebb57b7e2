"""Pathways: target credentials earned by stacking others, and the requests that issue them.

A :class:`Pathway` is an organisation's rule tree (the format of
:mod:`microcred.frameworks.pathways`) leading to one of its published versions. A
:class:`StackedCredentialRequest` records one request for that target credential: the
component credentials that were verified again, their outcome, and the award or the reason
for refusal. An :class:`ExternalCredential` is a credential from another issuer that a
learner added for a pathway, kept exactly as given with its verification outcome (a wallet
will later hold these; until then they live here).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microcred import text


class PathwayStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Pathway(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pathways"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    target = models.ForeignKey(
        "catalogue.MicroCredentialVersion",
        on_delete=models.PROTECT,
        related_name="pathways",
        help_text="The published version a learner who completes the pathway receives.",
    )
    rules = models.JSONField(help_text="The rule tree, in the pathway engine's JSON format.")
    status = models.CharField(
        max_length=10, choices=PathwayStatus.choices, default=PathwayStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("organisation__name", "name")
        constraints = [
            models.UniqueConstraint(fields=("organisation", "slug"), name="pathway_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class StackedCredentialRequest(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="requests")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stacked_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=RequestStatus.choices)
    components = models.JSONField(
        default=list,
        help_text='Each component credential verified: [{"id", "name", "verified", "problems"}].',
    )
    award = models.OneToOneField(
        "awards.Award",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stacked_request",
    )
    refusal = models.TextField(blank=True)

    class Meta:
        ordering = ("-requested_at",)
        constraints = [
            # One issued stacked credential per learner and pathway; refusals may repeat.
            models.UniqueConstraint(
                fields=("pathway", "learner"),
                condition=models.Q(status="issued"),
                name="stacked_credential_issued_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pathway} for {self.learner} ({self.status})"


class ExternalCredential(models.Model):
    """A credential from another issuer that a learner imported: kept as signed, shown with
    the verification of the moment it was imported, and never as one of this platform's own
    awards, even when it names an issuer of this platform."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_credentials"
    )
    document = models.TextField(
        help_text="The signed credential exactly as the learner gave it (from an image: the "
        "credential baked into it)."
    )
    credential_id = models.CharField(max_length=500)
    name = models.CharField(max_length=300, blank=True)
    issuer = models.CharField(max_length=500, blank=True)
    issuer_name = models.CharField(max_length=300, blank=True)
    format = models.CharField(
        max_length=200,
        blank=True,
        help_text='As the verifier read it: "OpenBadgeCredential '
        '(VC-JWT, baked in PNG)", "Open Badges 2.0 assertion"...',
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="The uploaded file's name, or pasted text."
    )
    names_this_platform = models.BooleanField(
        default=False,
        help_text="It names an issuer or a credential address of this platform; it is still "
        "an import, as the learner gave it.",
    )
    verified = models.BooleanField()
    report = models.JSONField(help_text="The verification report when it was added.")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ("-added_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("learner", "credential_id"), name="external_credential_once"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.credential_id

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> ExternalCredential:
        """The report is kept in English; loaded back, its sentences show in the reader's
        language on a page (``microcred.text``)."""
        credential = super().from_db(db, field_names, values)
        if "report" in credential.__dict__:  # not deferred
            credential.report = text.recognise_report(credential.report)
        return credential
