"""Micro-credential specifications and their versions.

A :class:`MicroCredential` is the stable identity of a learning offer; what it
certifies lives in :class:`MicroCredentialVersion`. A version is edited while
a draft and frozen once published: changes make a new version, so every award
points at exactly what the learner achieved. Field names follow the EU Council
Recommendation on micro-credentials (2022/C 243/02, Annex I) and Open Badges 3.0.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class MicroCredential(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="microcredentials"
    )
    slug = models.SlugField(max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="unique_microcredential_slug"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}/{self.slug}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AchievementType(models.TextChoices):
    """The Open Badges 3.0 AchievementType vocabulary (the ones a micro-credential uses)."""

    MICRO_CREDENTIAL = "MicroCredential", _("Micro-credential")
    COURSE = "Course", _("Course")
    CERTIFICATE = "Certificate", _("Certificate")
    BADGE = "Badge", _("Badge")
    CERTIFICATION = "Certification", _("Certification")
    COMPETENCY = "Competency", _("Competency")
    LEARNING_PROGRAM = "LearningProgram", _("Learning programme")
    MODULE = "Module", _("Module")
    ASSESSMENT_RESULT = "AssessmentResult", _("Assessment result")


class ParticipationForm(models.TextChoices):
    ONLINE = "online", _("Online")
    ONSITE = "onsite", _("On site")
    BLENDED = "blended", _("Blended")


def content_language(languages: list[str]) -> str:
    """Return the language of a version's texts: the first it teaches in, English if none."""
    return languages[0] if languages else "en"


class MicroCredentialVersion(models.Model):
    """Everything a version of a micro-credential states; frozen once published."""

    microcredential = models.ForeignKey(
        MicroCredential, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    achievement_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # Annex I, mandatory
    title = models.CharField(max_length=300)
    awarding_body = models.CharField(
        max_length=300, blank=True, help_text="Defaults to the organisation."
    )
    country = models.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 code of the awarding body."
    )
    description = models.TextField(blank=True)
    # Empty while a draft is being written; publishing requires it.
    workload_hours = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Notional hours of learning.",
    )
    eqf_level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="EQF 1-8, if applicable."
    )
    assessment_type = models.TextField(help_text="How learners are assessed.")
    participation_form = models.CharField(max_length=20, choices=ParticipationForm.choices)
    supervised = models.BooleanField(default=False, help_text="Whether assessment is supervised.")
    enrolment = models.BooleanField(
        default=False,
        help_text="Whether learners enrol on this platform (then publishing needs an "
        "assessment plan).",
    )
    identity_verification = models.CharField(max_length=200, blank=True)
    quality_assurance = models.TextField(help_text="Type of quality assurance used.")

    # Annex I, optional
    prerequisites = models.TextField(blank=True)
    stackability = models.TextField(blank=True, help_text="Integration and stackability options.")
    further_information = models.TextField(blank=True)

    # Other frameworks and Open Badges 3.0
    statement_of_purpose = models.TextField(blank=True)
    evidence_of_need = models.TextField(blank=True)
    achievement_type = models.CharField(
        max_length=40, choices=AchievementType.choices, default=AchievementType.MICRO_CREDENTIAL
    )
    criteria = models.TextField(
        help_text="What a learner must do to earn it (OB 3.0 Criteria narrative)."
    )
    languages = models.JSONField(default=list, blank=True, help_text="BCP 47 language codes.")
    delivery_mode = models.CharField(max_length=200, blank=True)
    duration = models.CharField(max_length=100, blank=True, help_text="For example: 6 weeks.")
    price_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    price_currency = models.CharField(max_length=3, blank=True)
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long an award stays valid; empty for no expiry."
    )
    image = models.FileField(upload_to="badges/", blank=True)
    tags = models.JSONField(default=list, blank=True)
    field_of_study = models.CharField(max_length=200, blank=True, help_text="ISCED-F 2013 field.")
    review_date = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the catalogue searches besides the title, written when the version is published
    # (a published version no longer changes).
    search_document = models.TextField(blank=True, editable=False)
    # On PostgreSQL, the weighted tsvector of the title and the search document, kept so that
    # searches and their ranking read it instead of computing it row by row; the catalogue
    # searches its copy in the version's SearchEntry. Other databases leave it empty.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["microcredential", "number"], name="unique_version_number"
            )
        ]
        ordering = ["microcredential", "number"]
        indexes = [
            # The catalogue in title order, and a broad search's first matches in that order
            # (catalogue.services.SEARCH_RANKED_AT_MOST), read without sorting every match.
            models.Index(
                fields=["title", "id"],
                condition=models.Q(status="published"),
                name="catalogue_published_by_title",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def content_language(self) -> str:
        """The language its designers wrote it in, for the ``lang`` of the pages that show it.

        The interface is translated, the content is not: a German page shows an English
        title as English, so screen readers and translators know it.
        """
        return content_language(self.languages)


class LearningOutcome(models.Model):
    version = models.ForeignKey(
        MicroCredentialVersion, on_delete=models.CASCADE, related_name="outcomes"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


class SkillAlignment(models.Model):
    """An outcome's alignment to a skill in a framework (ESCO by default)."""

    outcome = models.ForeignKey(
        LearningOutcome, on_delete=models.CASCADE, related_name="alignments"
    )
    framework = models.CharField(max_length=100, default="ESCO")
    uri = models.URLField(max_length=500)
    label = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.label


class CreditSystem(models.TextChoices):
    ECTS = "ECTS", "ECTS"
    UK = "UK", "UK credits"
    NZQCF = "NZQCF", "NZQCF credits"
    US_SEMESTER = "US_SEMESTER", "US semester credit hours"
    CEU = "CEU", "Continuing education units"
    HOURS = "HOURS", "Study hours"


class CreditValue(models.Model):
    version = models.ForeignKey(
        MicroCredentialVersion, on_delete=models.CASCADE, related_name="credits"
    )
    system = models.CharField(max_length=20, choices=CreditSystem.choices)
    value = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "system"], name="unique_credit_system")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.system}"


class Rubric(models.Model):
    """How evidence is judged: criteria aligned to outcomes, levels with points, a pass rule."""

    version = models.OneToOneField(
        MicroCredentialVersion, on_delete=models.CASCADE, related_name="rubric"
    )
    pass_rule = models.TextField(
        help_text="In words, for example: every criterion at 'Proficient' or above."
    )
    pass_points = models.PositiveIntegerField(
        null=True, blank=True, help_text="Minimum total points to pass, if the rule is a total."
    )

    def __str__(self) -> str:
        return f"Rubric of {self.version}"


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    outcomes = models.ManyToManyField(LearningOutcome, related_name="criteria", blank=True)
    minimum_level = models.ForeignKey(
        "RubricLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class RubricLevel(models.Model):
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    points = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.name} ({self.points} points)"


class SearchEntry(models.Model):
    """A listed version in the catalogue search: only what a search reads, so it reads little.

    One row per micro-credential in the catalogue (its latest published version),
    kept in step by the services that publish and withdraw versions. A search
    tests its words against these narrow rows (on PostgreSQL through a GIN index
    of ``vector``) and reads the wide versions only for the results it shows.
    """

    version = models.OneToOneField(
        MicroCredentialVersion,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    # The catalogue's filters applied by the database, and its order.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    eqf_level = models.PositiveSmallIntegerField(null=True)
    title = models.CharField(max_length=300)
    # The version's search_vector (PostgreSQL); empty elsewhere.
    vector = SearchVectorField(null=True)
    # Its language codes and its tags, lower-cased, each on a line of its own ("\nde\nen-ie\n"):
    # a filter finds one whole with a LIKE, on every database (see catalogue.services.word_lines).
    languages = models.TextField(default="\n")
    tags = models.TextField(default="\n")
    # Its ECTS credits: stated, or its workload converted (catalogue.services.ects_of).
    ects = models.FloatField(null=True)

    class Meta:
        indexes = [
            # A broad search's first matches in title order, read without sorting every match.
            models.Index(fields=["title", "version"], name="catalogue_search_by_title")
        ]

    def __str__(self) -> str:
        return self.title
