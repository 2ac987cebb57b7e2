"""The tasks a worker of the task engine runs for a bulk job (see the bulk services)."""

from __future__ import annotations

from django_tasks import task

from microcred.awards import services as awards
from microcred.bulk import services


@task()
def run_job(job_uuid: str) -> None:
    """Issue the job's pending rows; several of these share a job, each row issued once."""
    services.process_job(job_uuid)


@task()
def email_learners(award_uuids: list[str]) -> None:
    """Email the learners of a batch's awards, queued with the batch's marks."""
    awards.notify_learners_of(award_uuids)
