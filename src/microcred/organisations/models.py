"""Issuers and the other organisations on the platform, their members and their keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microcred.core.iso_names import country_name


class OrganisationType(models.TextChoices):
    UNIVERSITY = "university", _("University or college")
    VET_PROVIDER = "vet_provider", _("Vocational education and training provider")
    PROFESSIONAL_BODY = "professional_body", _("Professional body")
    PROFESSIONAL_LEARNING = "professional_learning", _("Professional learning provider")
    EMPLOYER = "employer", _("Employer")
    QA_AGENCY = "qa_agency", _("Quality assurance agency")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An organisation: it issues micro-credentials, reviews them, or both.

    Its public identity is the did:web DID ``did:web:<host>:orgs:<slug>``,
    whose document the platform serves at ``/orgs/<slug>/did.json``.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=300, blank=True)
    type = models.CharField(max_length=30, choices=OrganisationType.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    region = models.CharField(max_length=100, blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    description = models.TextField(blank=True)
    accreditations = models.JSONField(
        default=list, blank=True, help_text='[{"name", "body", "url"}]: who accredits it, for what.'
    )
    identifiers = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"identifier", "identifierType"}]: the Profile\'s otherIdentifier.',
    )
    eidas_identifier = models.CharField(
        max_length=200,
        blank=True,
        help_text="eIDAS legal identifier (as on the organisation's qualified seal certificate), "
        "for European Digital Credentials; empty when it has none.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        """The country in words for the pages, in the visitor's language; the stored code itself
        when ISO has no such code (a value from before codes were checked)."""
        return country_name(self.country)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    DESIGNER = "designer", _("Designer")
    QA_REVIEWER = "qa_reviewer", _("QA reviewer")
    ASSESSOR = "assessor", _("Assessor")
    REGISTRAR = "registrar", _("Registrar")
    EVALUATOR = "evaluator", _("Evaluator")


class Membership(models.Model):
    """A user's role in an organisation; a user may hold several roles."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class KeyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")
    COMPROMISED = "compromised", _("Compromised")


class SigningKey(models.Model):
    """An organisation's signing key; the secret is encrypted at rest.

    Retired keys stay in the DID document so that what they signed still
    verifies; compromised keys leave it, so their credentials stop verifying.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="keys")
    key_id = models.CharField(max_length=100, help_text="Fragment of the verification method id.")
    algorithm = models.CharField(max_length=20, default="Ed25519")
    public_key_multibase = models.CharField(max_length=200)
    encrypted_secret = models.BinaryField()
    status = models.CharField(max_length=20, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    compromised_at = models.DateTimeField(null=True, blank=True)
    compromise_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key_id"], name="unique_key_id"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="active"),
                name="one_active_key_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}#{self.key_id} ({self.status})"


class Invitation(models.Model):
    """An owner's invitation of an email address to roles in the organisation.

    The link in the email carries a random token; only its SHA-256 is kept, so the
    database alone cannot be used to accept an invitation. The link works once, until
    ``expires_at``, unless the invitation is withdrawn.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    roles = models.JSONField(help_text="The roles the invited person receives on accepting.")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} · {', '.join(self.roles)} · {self.organisation}"
