"""Recognition of prior learning and credit transfer.

A :class:`RecognitionRequest` is a learner's application to an organisation to have
learning done elsewhere recognised as one of its published versions; the credentials it
brings are kept as submitted (:class:`SubmittedCredential`), each with the report of its
verification on submission, and the files it attaches as :class:`EvidenceFile`. A
:class:`TransferValue` is an organisation's standing rule that
an external achievement (or a version of this platform) counts for credits or for a
component toward one of its versions. A :class:`GradingTable` is the distribution of an
organisation's passing grades in one field, used to convert grades (EGRACONS).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microcred import text
from microcred.assessment.uploads import evidence_storage


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for an evaluator")
    PROPOSED = "proposed", _("Proposed, waiting for a second evaluator")
    DECIDED = "decided", _("Decided")


class Decision(models.TextChoices):
    FULL = "full", _("Full recognition")
    PARTIAL = "partial", _("Partial recognition (credits)")
    REFUSED = "refused", _("Refused")


class LearningSetting(models.TextChoices):
    NON_FORMAL = "non-formal", _("Non-formal learning")
    INFORMAL = "informal", _("Informal learning")


class RecognitionRequest(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognition_requests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="recognition_requests"
    )
    version = models.ForeignKey(
        "catalogue.MicroCredentialVersion",
        on_delete=models.PROTECT,
        related_name="recognition_requests",
    )
    statement = models.TextField(help_text="The learner's account of what they learned, and how.")
    learning_setting = models.CharField(max_length=20, choices=LearningSetting.choices)
    evidence = models.JSONField(
        default=list, blank=True, help_text="Other evidence: [{'url': ..., 'text': ...}]."
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField()
    # The first evaluator's proposal.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    reasons = models.TextField(blank=True)
    credit_value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    credit_system = models.CharField(max_length=20, blank=True)
    # The second evaluator's confirmation, or the note with which they returned the proposal.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    award = models.ForeignKey(
        "awards.Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.learner} → {self.version} ({self.status})"


class SubmittedCredential(models.Model):
    """A credential as the learner gave it, and what verifying it on submission found."""

    request = models.ForeignKey(
        RecognitionRequest, on_delete=models.CASCADE, related_name="credentials"
    )
    position = models.PositiveSmallIntegerField()
    data = models.BinaryField(help_text="The bytes as submitted: JSON, a JWT or a baked image.")
    source = models.CharField(max_length=300, help_text="A file name, or 'pasted text'.")
    verified = models.BooleanField(default=False)
    summary = models.CharField(max_length=500)
    reports = models.JSONField(default=list, help_text="The verification reports, as dicts.")
    credential_id = models.CharField(max_length=500, blank=True)
    issuer_id = models.CharField(max_length=500, blank=True)
    issuer_name = models.CharField(max_length=300, blank=True)
    name = models.CharField(max_length=300, blank=True)
    achievement = models.JSONField(
        default=dict, blank=True, help_text="The credential's achievement, for comparison."
    )
    results = models.JSONField(default=list, blank=True)
    valid_from = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.name or self.source} ({'verified' if self.verified else 'not verified'})"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> SubmittedCredential:
        """The summary and reports are kept in English; loaded back, their sentences show in
        the reader's language on a page (``microcred.text``)."""
        credential = super().from_db(db, field_names, values)
        if "summary" in credential.__dict__:  # not deferred
            credential.summary = text.recognise(credential.summary)
        if "reports" in credential.__dict__:
            credential.reports = [text.recognise_report(report) for report in credential.reports]
        return credential


class EvidenceFile(models.Model):
    """A file the learner attached to a request (a certificate, a portfolio page, a photo of
    work): kept in the evidence storage of ADR 0004, under a random name, and served only
    to the learner and the organisation's evaluators."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(RecognitionRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="recognition/%Y/%m/", storage=evidence_storage)
    filename = models.CharField(max_length=200, help_text="The name the learner gave it.")
    content_type = models.CharField(max_length=100, help_text="The type its content is.")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class TransferValue(models.Model):
    """This external achievement (or platform version) counts toward that version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="transfer_values"
    )
    source_version = models.ForeignKey(
        "catalogue.MicroCredentialVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer_values_from",
    )
    source_achievement = models.CharField(max_length=500, help_text="The achievement's id.")
    source_issuer = models.CharField(max_length=500, blank=True)
    source_type = models.CharField(max_length=100, blank=True)
    source_name = models.CharField(max_length=300)
    target_version = models.ForeignKey(
        "catalogue.MicroCredentialVersion",
        on_delete=models.PROTECT,
        related_name="transfer_values_for",
    )
    credits = models.JSONField(default=dict, blank=True, help_text="{system: value}")
    component = models.CharField(
        max_length=100, blank=True, help_text="Key of the pathway component it counts as."
    )
    description = models.TextField(blank=True)
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["source_name", "pk"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target_version}"


class GradingTable(models.Model):
    """The distribution of an organisation's passing grades in one field (EGRACONS)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="grading_tables"
    )
    field_of_study = models.CharField(max_length=200)
    grading_system = models.CharField(max_length=200)
    grades = models.JSONField(help_text="[[grade, percentage of passing grades], ...] best first")
    published = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation__name", "field_of_study", "grading_system"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "field_of_study", "grading_system"],
                name="one_grading_table_per_field_and_system",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.field_of_study} ({self.grading_system})"
