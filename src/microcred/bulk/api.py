"""API routes of bulk issuing; handlers stay thin and call services."""

from __future__ import annotations

import csv
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import StreamingHttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.bulk import services

router = Router(tags=["bulk issuing"], auth=AUTH)


class JobIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rows: list[dict[str, Any]] = Field(
        description="One object per award, with the keys version (the achievement UUID), "
        "learner_email and/or learner_did, learner_name, grade, score, evidence (a URL), "
        "narrative. Rows are numbered from 1 in errors and the report.",
    )
    name: str = Field("rows", max_length=200, description="A name to tell the job by.")
    format: Literal["ldp", "jwt"] = "ldp"
    good_rows_only: bool = Field(
        False,
        description="Issue the good rows and report the bad ones; without it, one bad row "
        "issues nothing.",
    )


class BulkProgressOut(Schema):
    status: str
    total: int
    issued: int
    failed: int
    done: int
    remaining: int
    rate: float = Field(description="Rows per second over the last minute.")
    seconds_left: float | None = Field(description="At that rate; null when unknown.")


class BulkRowErrorOut(Schema):
    line: int
    column: str
    message: str


class JobOut(Schema):
    uuid: UUID
    name: str
    format: str
    good_rows_only: bool
    created_at: datetime
    finished_at: datetime | None
    created: bool = Field(
        True, description="False when the same rows were sent before: that job, nothing new."
    )
    rejected_rows: list[BulkRowErrorOut] = Field(default_factory=list)
    progress: BulkProgressOut
    report: str = Field(description="The path of the CSV report of every row's outcome.")


def _job(job: Any, *, created: bool = True, errors: list[Any] | None = None) -> dict[str, Any]:
    return {
        "uuid": job.uuid,
        "name": job.name,
        "format": job.format,
        "good_rows_only": job.good_rows_only,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "created": created,
        "rejected_rows": [error.as_dict() for error in errors or []],
        "progress": services.get_progress(job).as_dict(),
        "report": f"/api/v1/orgs/{job.organisation.slug}/bulk-jobs/{job.uuid}/report",
    }


@router.post(
    "/orgs/{org}/bulk-jobs", response={201: JobOut, 200: JobOut}, summary="Start a bulk job"
)
def start_job(request: AuthenticatedHttpRequest, org: str, payload: JobIn) -> Status:
    """Check every row, then issue them on the task engine's workers; 200 with the earlier
    job when the same rows were sent before (nothing new is issued)."""
    started = services.start_job(
        actor=request.auth,
        organisation_slug=org,
        rows=lambda: services.read_rows(payload.rows),
        name=payload.name,
        format=payload.format,
        good_rows_only=payload.good_rows_only,
    )
    body = _job(started.job, created=started.created, errors=started.errors)
    return Status(201 if started.created else 200, body)


REQUIRED_FILE = File(...)


@router.post(
    "/orgs/{org}/bulk-jobs/csv",
    response={201: JobOut, 200: JobOut},
    summary="Start a bulk job from a CSV file (multipart)",
)
def start_csv_job(
    request: AuthenticatedHttpRequest,
    org: str,
    file: UploadedFile = REQUIRED_FILE,
    format: Form[Literal["ldp", "jwt"]] = "ldp",
    good_rows_only: Form[bool] = False,
) -> Status:
    """The same as JSON rows, for files too large for a JSON body: a UTF-8 CSV whose header
    names its columns; errors and the report give each row's line in the file."""
    started = services.start_job(
        actor=request.auth,
        organisation_slug=org,
        rows=lambda: services.read_csv(file.read(services.MAX_BYTES + 1)),
        name=file.name or "upload.csv",
        format=format,
        good_rows_only=good_rows_only,
    )
    body = _job(started.job, created=started.created, errors=started.errors)
    return Status(201 if started.created else 200, body)


@router.get("/orgs/{org}/bulk-jobs", response=list[JobOut], summary="List bulk jobs")
def list_jobs(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    return [
        _job(job) for job in services.list_jobs(actor=request.auth, organisation_slug=org)[:100]
    ]


@router.get("/orgs/{org}/bulk-jobs/{job}", response=JobOut, summary="Get a bulk job's progress")
def get_job(request: AuthenticatedHttpRequest, org: str, job: str) -> dict[str, Any]:
    return _job(services.access_job(request.auth, org, job))


@router.post("/orgs/{org}/bulk-jobs/{job}/cancel", response=JobOut, summary="Cancel a bulk job")
def cancel_job(request: AuthenticatedHttpRequest, org: str, job: str) -> dict[str, Any]:
    """Stop after the batch in progress; what was issued stays issued."""
    found = services.access_job(request.auth, org, job)
    return _job(services.cancel_job(actor=request.auth, job=found))


@router.post("/orgs/{org}/bulk-jobs/{job}/resume", response=JobOut, summary="Resume a bulk job")
def resume_job(request: AuthenticatedHttpRequest, org: str, job: str) -> dict[str, Any]:
    """Run a cancelled or stopped job again; issued rows are not issued again."""
    found = services.access_job(request.auth, org, job)
    return _job(services.resume_job(actor=request.auth, job=found))


@router.get(
    "/orgs/{org}/bulk-jobs/{job}/report",
    response={200: None},
    summary="Download a bulk job's report",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report, as CSV.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def report(request: AuthenticatedHttpRequest, org: str, job: str) -> StreamingHttpResponse:
    """CSV: every row's line, learner, status, credential URL or error."""
    return report_response(services.access_job(request.auth, org, job))


class _Echo:
    """A file whose writes return what was written: csv.writer then makes lines to stream."""

    def write(self, value: str) -> str:
        return value


def report_response(job: Any) -> StreamingHttpResponse:
    """Stream the job's report as a CSV download (pages use it too)."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in services.report_rows(job)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="bulk-{job.uuid}.csv"'
    return response
