"""The Open Badges 3.0 API's own records: what a client registered, and the learner's profile.

The OAuth 2.0 application, grants and tokens are django-oauth-toolkit's
(``oauth2_provider``); a :class:`ClientRegistration` keeps the rest of the client's RFC 7591
registration, which the consent page shows and the scopes backend reads. A learner's
credentials are the platform's awards and the credentials other platforms sent
(``pathways.ExternalCredential``); only the profile the API reads and updates lives here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ClientRegistration(models.Model):
    """The metadata of a client that registered itself (RFC 7591 section 2)."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="registration"
    )
    client_uri = models.URLField(max_length=500)
    logo_uri = models.URLField(max_length=500, blank=True)
    tos_uri = models.URLField(max_length=500, blank=True)
    policy_uri = models.URLField(max_length=500, blank=True)
    software_id = models.CharField(max_length=200)
    software_version = models.CharField(max_length=100)
    scope = models.TextField(help_text="The scopes the client may ask for, space-separated.")
    contacts = models.JSONField(default=list, blank=True)
    registered_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.application.name


class LearnerProfile(models.Model):
    """What the API's ``/profile`` says of a learner beyond their account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ob_profile"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    image = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name or str(self.user)
