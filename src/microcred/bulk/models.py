"""Bulk issuing: a job of many rows, each row an item issued exactly once.

A :class:`BulkJob` is one uploaded file (or one API call) of rows to issue. Each row is a
:class:`BulkItem` with its line number; its idempotency key (job and line) makes the award it
issues the only one, however often a worker is killed and the job resumed. A worker claims
items before it issues them (``claimed``, with its claim's token), so that no lock is held
while they are signed. The file's hash finds a file uploaded again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    CANCELLED = "cancelled", _("Cancelled")
    FINISHED = "finished", _("Finished")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Claimed")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Failed")


class BulkJob(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    name = models.CharField(max_length=200, help_text="The uploaded file's name.")
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the rows as given: finds a file uploaded again."
    )
    format = models.CharField(max_length=3)
    good_rows_only = models.BooleanField(
        default=False, help_text="Issue the good rows and report the bad ones."
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    total = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(help_text="When it was started or last resumed.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "content_hash"), name="bulk_job_one_per_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uuid})"


class BulkItem(models.Model):
    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="items")
    line = models.PositiveIntegerField(help_text="The row's line in the file (1 is the header).")
    version = models.ForeignKey(
        "catalogue.MicroCredentialVersion", on_delete=models.PROTECT, null=True, blank=True
    )
    data = models.JSONField(help_text="The row as given, by column.")
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    award_uuid = models.UUIDField(null=True, blank=True)
    error_field = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    claim = models.CharField(
        max_length=64, blank=True, help_text="The token of the worker's claim on a claimed item."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner's email was claimed for sending."
    )

    class Meta:
        ordering = ("job", "line")
        constraints = [
            models.UniqueConstraint(fields=("job", "line"), name="bulk_item_one_per_line")
        ]
        indexes = [models.Index(fields=("job", "status", "line"), name="bulk_item_pending")]

    def __str__(self) -> str:
        return f"line {self.line} of {self.job}"
