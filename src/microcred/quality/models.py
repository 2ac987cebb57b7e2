"""Quality assurance: what an organisation promises, who vetted it, and each version's review.

A :class:`QAReview` is one submission of a draft version: the automatic
findings at submission, then the human review (internal, optionally
external), each step recorded with who and when. A version may be submitted
several times; only an approved review lets it be published.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microcred import text


class QualitySettings(models.Model):
    """An organisation's quality promise and its vetting by the platform."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="quality"
    )
    profiles = models.JSONField(
        default=list, blank=True, help_text="Ids of the quality profiles its versions must meet."
    )
    qa_process = models.TextField(blank=True, help_text="Its QA process, in its own words.")
    accreditations = models.JSONField(
        default=list,
        blank=True,
        help_text='Accreditations it holds: [{"name", "body", "url", "valid_until"}].',
    )
    vetted_at = models.DateTimeField(null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    track_record = models.TextField(blank=True)
    subject_expertise = models.TextField(blank=True)
    audience = models.TextField(blank=True)
    terms_agreed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Quality settings of {self.organisation}"


class ReviewStatus(models.TextChoices):
    RETURNED = "returned", _("Returned with required changes")
    INTERNAL_REVIEW = "internal_review", _("In internal review")
    EXTERNAL_REVIEW = "external_review", _("In external review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# Each status as it reads after "is" in a sentence ("Version 2 is in internal review"): the
# labels above start a line, and lower-casing them would break German nouns.
STATUS_IN_SENTENCE: dict[str, Any] = {
    ReviewStatus.RETURNED: _("returned with required changes"),
    ReviewStatus.INTERNAL_REVIEW: _("in internal review"),
    ReviewStatus.EXTERNAL_REVIEW: _("in external review"),
    ReviewStatus.APPROVED: _("approved"),
    ReviewStatus.PUBLISHED: _("published"),
}


def status_in_sentence(status: str) -> str:
    """Return a review status as it reads inside a sentence, in the active language."""
    return str(STATUS_IN_SENTENCE.get(status, status))


class QAReview(models.Model):
    version = models.ForeignKey(
        "catalogue.MicroCredentialVersion", on_delete=models.CASCADE, related_name="qa_reviews"
    )
    attempt = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    profiles = models.JSONField(default=list)
    findings = models.JSONField(default=list, help_text="The automatic findings at submission.")
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the specification as submitted."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    checklist = models.JSONField(default=list, help_text='[{"id", "text", "met", "note"}]')
    comments = models.JSONField(default=list, help_text='[{"field", "text"}]')
    decision_note = models.TextField(blank=True)

    external_agency = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="external_reviews",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    external_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_reviewed_at = models.DateTimeField(null=True, blank=True)
    external_checklist = models.JSONField(default=list)
    external_comments = models.JSONField(default=list)
    external_note = models.TextField(blank=True)

    decided_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    due_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the organisation was told its re-review is due."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "attempt"], name="unique_review_attempt")
        ]
        ordering = ["version", "attempt"]

    def __str__(self) -> str:
        return f"QA review {self.attempt} of {self.version}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> QAReview:
        """The findings and checklist items are kept in English; loaded back as sentences,
        a page shows them in the reader's language (``microcred.text``)."""
        review = super().from_db(db, field_names, values)
        stored = (("findings", "message"), ("checklist", "text"), ("external_checklist", "text"))
        for name, key in stored:
            if name in review.__dict__:  # not deferred
                review.__dict__[name] = text.recognise_items(review.__dict__[name], (key,))
        return review
