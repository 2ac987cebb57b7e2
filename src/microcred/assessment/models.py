"""Assessment: how a learner earns an award on evidence judged against the rubric.

A version's :class:`AssessmentPlan` says what a submission holds (its
components), how many peers review it and how many attempts a learner has;
it is part of the specification and frozen with the version. A learner's
:class:`Enrolment` in a published version holds their :class:`Submission`
attempts; each attempt gathers :class:`EvidenceItem` files and links and is
judged in :class:`Review` rows (assessor, peers, second marker, moderator),
each scoring the rubric's criteria in :class:`CriterionScore` rows. A pass
leads to the award, through the awards service.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from microcred.assessment.uploads import evidence_storage


class AssessmentSettings(models.Model):
    """An organisation's assessment policy: moderation sample, borderline margin, sign-off."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="assessment"
    )
    moderation_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0.1,
        help_text="Share of decided submissions a second assessor marks (0 to 1).",
    )
    borderline_margin = models.PositiveIntegerField(
        default=1,
        help_text="A total within this many points of the pass mark is borderline "
        "and always second-marked.",
    )
    registrar_signoff = models.BooleanField(
        default=False, help_text="A registrar signs off each pass before the award is issued."
    )

    def __str__(self) -> str:
        return f"Assessment settings of {self.organisation}"


class ComponentKind(models.TextChoices):
    GOAL = "goal", _("Goal statement")
    ARTEFACT = "artefact", _("Artefact with a description")
    LINK = "link", _("Link")
    REFLECTION = "reflection", _("Reflective writing")
    RESULT = "result", _("Exam or coursework result (entered by an instructor)")


class AssessmentPlan(models.Model):
    """What a version asks learners to submit and how it is reviewed; frozen with the version.

    ``components`` is a list of ``{"key", "kind", "label", "instructions",
    "required", "prompts": [...] (reflection), "minimum", "maximum",
    "pass_mark" (result)}``; ``key`` is unique in the plan.
    """

    version = models.OneToOneField(
        "catalogue.MicroCredentialVersion", on_delete=models.CASCADE, related_name="assessment_plan"
    )
    components = models.JSONField(default=list)
    peer_reviews = models.PositiveSmallIntegerField(
        default=0, help_text="How many peers give feedback before the assessor decides."
    )
    max_attempts = models.PositiveSmallIntegerField(default=3)
    file_types = models.JSONField(
        default=list, blank=True, help_text="Accepted media types; empty for the platform default."
    )
    max_file_mb = models.PositiveIntegerField(default=10)
    decision_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days an assessor has to decide after submission."
    )
    prerequisite_achievements = models.JSONField(
        default=list,
        blank=True,
        help_text="Achievement ids (UUIDs) of versions whose award a learner must hold, active.",
    )

    def __str__(self) -> str:
        return f"Assessment plan of {self.version}"


class IdentityVerification(models.TextChoices):
    NONE = "none", pgettext_lazy("identity verification", "None")
    DOCUMENT = "document", _("Document check")
    SUPERVISED = "supervised", _("Supervised")
    INSTITUTIONAL = "institutional", _("Institutional login")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        "catalogue.MicroCredentialVersion", on_delete=models.PROTECT, related_name="enrolments"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    identity_verification = models.CharField(
        max_length=20, choices=IdentityVerification.choices, default=IdentityVerification.NONE
    )
    participation_form = models.CharField(max_length=20, blank=True)
    prerequisites_met = models.JSONField(
        default=list, blank=True, help_text="How each prerequisite was shown to be met."
    )
    enrolled_at = models.DateTimeField()
    award = models.ForeignKey(
        "awards.Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "learner"], name="unique_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.version}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PEER_REVIEW = "peer_review", _("In peer review")
    ASSESSMENT = "assessment", _("With the assessor")
    MODERATION = "moderation", _("In moderation")
    SIGNOFF = "signoff", _("Awaiting the registrar's sign-off")
    DECIDED = "decided", _("Decided")


class Outcome(models.TextChoices):
    PASS = "pass", pgettext_lazy("assessment outcome", "Pass")
    FAIL = "fail", pgettext_lazy("assessment outcome", "Fail")
    RESUBMIT = "resubmit", pgettext_lazy("assessment outcome", "Resubmit")


class Submission(models.Model):
    """One attempt: the learner's texts, evidence and results, then the decision."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="submissions")
    attempt = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    texts = models.JSONField(
        default=dict, blank=True, help_text="Component key (or key.prompt number) to text."
    )
    results = models.JSONField(
        default=dict,
        blank=True,
        help_text='Component key to {"value", "entered_by", "entered_at"} for instructor results.',
    )
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the decision is due.")
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    total_points = models.PositiveIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True, help_text="The deciding review's overall feedback.")
    second_marking = models.BooleanField(
        default=False, help_text="Chosen for second marking (sample or borderline)."
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "attempt"], name="unique_attempt")
        ]
        ordering = ["enrolment", "attempt"]

    def __str__(self) -> str:
        return f"Attempt {self.attempt} of {self.enrolment}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


class EvidenceItem(models.Model):
    """A file or link the learner gives for a component; files live outside the web root."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    component = models.CharField(max_length=50)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to="%Y/%m/", storage=evidence_storage, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(max_length=2000, blank=True)
    public = models.BooleanField(
        default=False, help_text="The learner chose to show it on the credential."
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.filename or self.url


class AssessorQualification(models.Model):
    """A user trained to assess an organisation's micro-credentials (all, or one), until when."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="assessors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    microcredential = models.ForeignKey(
        "catalogue.MicroCredential",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: qualified for all the organisation's micro-credentials.",
    )
    trained_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} assesses for {self.organisation}"


class ReviewRole(models.TextChoices):
    ASSESSOR = "assessor", _("Assessor")
    PEER = "peer", _("Peer")
    SECOND = "second", _("Second marker")
    MODERATOR = "moderator", _("Moderator")


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Review(models.Model):
    """One person's judgement of a submission against the rubric."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessment_reviews"
    )
    role = models.CharField(max_length=20, choices=ReviewRole.choices)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    total_points = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer", "role"], name="unique_review_per_role"
            )
        ]
        ordering = ["submission", "assigned_at"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} review of {self.submission}"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "catalogue.RubricCriterion", on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("catalogue.RubricLevel", on_delete=models.PROTECT, related_name="+")
    feedback = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_criterion_score")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"
