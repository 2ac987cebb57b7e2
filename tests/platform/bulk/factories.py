"""Files of rows for the bulk tests, and running a job's work as a worker would."""

from __future__ import annotations

import csv
import io
from typing import Any

from django_tasks_db.models import DBTaskResult

from microcred.bulk import services
from microcred.bulk.models import BulkJob
from microcred.bulk.tasks import email_learners

HEADER = ("version", "learner_email", "learner_did", "learner_name", "grade", "evidence")


def rows(version: Any, count: int, *, start: int = 1) -> list[dict[str, str]]:
    """Return ``count`` good rows for ``version``, one learner each."""
    return [
        {
            "version": str(version.achievement_uuid),
            "learner_email": f"learner{number}@example.org",
            "learner_name": f"Learner {number}",
            "grade": "Pass",
        }
        for number in range(start, start + count)
    ]


def csv_file(table: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode()


def start(
    registrar: Any, organisation: Any, table: list[dict[str, str]], **options: Any
) -> services.JobStart:
    return services.start_job(
        actor=registrar,
        organisation_slug=organisation.slug,
        rows=services.read_csv(csv_file(table)),
        name="cohort.csv",
        **options,
    )


def work(job: BulkJob) -> None:
    """Do the job's work here, as one worker of the task engine does: issue its rows, then
    send the learner emails its batches queued."""
    services.process_job(job.uuid)
    send_queued_emails()


def send_queued_emails() -> None:
    """Run the learner email tasks that are queued, each once, as a worker runs tasks."""
    for queued in DBTaskResult.objects.ready().filter(task_path=email_learners.module_path):
        queued.claim("tests")
        queued.task.call(*queued.task_result.args, **queued.task_result.kwargs)
        queued.set_successful(None)
