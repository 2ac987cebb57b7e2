"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state change that matters: who did what to what, and when.

    ``hash`` is HMAC-SHA256, under the audit key, over the previous event's hash
    and this event's canonical JSON, so changing or deleting an event breaks the
    chain (see :mod:`microcred.audit.services`). The actor and organisation ids are
    kept when the user or organisation is deleted (no database constraint, nothing
    cascades): they are part of what the chain protects.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_type}:{self.target_id}"
