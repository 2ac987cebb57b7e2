"""Publications of an organisation's CTDL graph to a Credential Engine registry.

The graph itself is never stored: it is built from the catalogue each time. What is kept is
who published, when, where to, and what the registry answered, so staff can see what the
registry holds and why a publication was refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Publication(models.Model):
    """One answered request to publish an organisation's graph; a refusal is kept too."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="ctdl_publications"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    registry_url = models.URLField(max_length=500)
    # The CTID published for (the organisation's, as PublishForOrganizationIdentifier).
    organisation_ctid = models.CharField(max_length=60)
    resources = models.PositiveIntegerField(help_text="How many resources the graph held.")
    successful = models.BooleanField()
    http_status = models.PositiveSmallIntegerField()
    # The registry's envelope: Successful, Messages, CTID, RegistryEnvelopeIdentifier...
    # (PostgreSQL reserves the column name "ctid", hence "registry_ctid".)
    registry_ctid = models.CharField(max_length=60, blank=True)
    envelope = models.CharField(max_length=200, blank=True)
    messages = models.JSONField(default=list, blank=True)
    reply = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        outcome = "published" if self.successful else "refused"
        return f"{self.organisation} {outcome} at {self.created_at:%Y-%m-%d %H:%M}"
