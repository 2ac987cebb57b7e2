"""People who sign in, and the API tokens they create."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person: learner, issuer staff, reviewer or platform admin.

    Platform admins are ``is_staff`` users; what a user may do for an
    organisation comes from their :class:`~microcred.organisations.models.Membership`.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=200, blank=True)
    did = models.CharField("DID", max_length=500, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


TOKEN_NAME_MAX_LENGTH = 100


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=TOKEN_NAME_MAX_LENGTH)
    prefix = models.CharField(
        max_length=12, help_text="The token's first characters, to recognise it."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
