"""API routes of recognition: apply, list one's requests, propose and decide, transfer values.

Applying and listing one's own requests need an account; the evaluator routes need the
evaluator role in the organisation; published transfer values are public.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.catalogue import services as catalogue
from microcred.core import public_urls
from microcred.errors import NotFound
from microcred.organisations import services as organisations
from microcred.recognition import services

router = Router(tags=["recognition"], auth=AUTH)
ORG = "/orgs/{org}/recognition"


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class SubmittedCredentialIn(Strict):
    document: str | None = Field(None, description="The credential: JSON or a compact JWT.")
    image: str | None = Field(None, description="A baked PNG or SVG badge, base64-encoded.")


class RecognitionEvidenceIn(Strict):
    url: str | None = Field(None, description="A web address of the evidence.")
    text: str | None = Field(None, description="What the evidence shows.")


class RecognitionApplyIn(Strict):
    version: UUID = Field(description="The published version (its achievement UUID).")
    statement: str = Field(description="What you learned, where and how.")
    learning_setting: Literal["non-formal", "informal"]
    credentials: list[SubmittedCredentialIn] = Field(default_factory=list, max_length=10)
    evidence: list[RecognitionEvidenceIn] = Field(default_factory=list, max_length=20)


class RecognitionProposalIn(Strict):
    decision: Literal["full", "partial", "refused"]
    reasons: str
    credit_value: Decimal | None = Field(None, description="Credits granted (partial).")
    credit_system: str = Field("", description="Their system, such as ECTS (partial).")


class RecognitionDecisionIn(Strict):
    confirm: bool = Field(description="True confirms the proposal; false returns it.")
    note: str = Field("", description="Why the proposal goes back (required to return).")


class SubmittedOut(Schema):
    name: str
    source: str
    verified: bool
    summary: str
    issuer: str
    credential_id: str


class EvidenceFileOut(Schema):
    filename: str
    content_type: str
    size: int
    url: str = Field(description="Where the learner and the evaluators download it.")


class RecognitionRequestOut(Schema):
    uuid: UUID
    organisation: str
    version: UUID
    title: str
    status: str
    learning_setting: str
    statement: str
    submitted_at: datetime
    credentials: list[SubmittedOut]
    evidence: list[dict[str, str]]
    files: list[EvidenceFileOut]
    decision: str
    reasons: str
    credits: dict[str, float]
    return_note: str
    award: str | None


class TransferValueIn(Strict):
    target_version: UUID = Field(description="The organisation's published version.")
    source_version: UUID | None = Field(None, description="A version of this platform.")
    source_achievement: str = Field("", description="An external achievement's id.")
    source_issuer: str = Field("", description="The external achievement's issuer id.")
    source_type: str = ""
    source_name: str = ""
    credits: dict[str, Decimal] = Field(default_factory=dict, description="{system: value}")
    component: str = Field("", description="The pathway component key it counts as.")
    description: str = ""
    published: bool = True


class TransferValueOut(Schema):
    uuid: UUID
    source_achievement: str
    source_issuer: str
    source_name: str
    target_version: UUID
    credits: dict[str, float]
    component: str
    published: bool


def _request(request: Any) -> dict[str, Any]:
    return {
        "uuid": request.uuid,
        "organisation": request.organisation.slug,
        "version": request.version.achievement_uuid,
        "title": request.version.title,
        "status": request.status,
        "learning_setting": request.learning_setting,
        "statement": request.statement,
        "submitted_at": request.submitted_at,
        "credentials": [
            {
                "name": item.name,
                "source": item.source,
                "verified": item.verified,
                "summary": item.summary,
                "issuer": item.issuer_id,
                "credential_id": item.credential_id,
            }
            for item in request.credentials.all()
        ],
        "evidence": request.evidence,
        "files": [
            {
                "filename": item.filename,
                "content_type": item.content_type,
                "size": item.size,
                "url": public_urls.absolute(
                    reverse("recognition:evidence-file", args=[request.uuid, item.uuid])
                ),
            }
            for item in request.files.all()
        ],
        "decision": request.decision,
        "reasons": request.reasons,
        "credits": {request.credit_system: float(request.credit_value)}
        if request.credit_value is not None
        else {},
        "return_note": request.return_note,
        "award": str(request.award.uuid) if request.award else None,
    }


def _transfer_value(value: Any) -> dict[str, Any]:
    return {
        "uuid": value.uuid,
        "source_achievement": value.source_achievement,
        "source_issuer": value.source_issuer,
        "source_name": value.source_name,
        "target_version": value.target_version.achievement_uuid,
        "credits": value.credits,
        "component": value.component,
        "published": value.published,
    }


def _version(reference: UUID, field: str) -> Any:
    try:
        return catalogue.get_version_by_achievement(reference)
    except NotFound as error:
        raise NotFound(error.message, field=field) from None


@router.post(
    "/recognition/requests", response={201: RecognitionRequestOut}, summary="Apply for recognition"
)
def apply(request: AuthenticatedHttpRequest, payload: RecognitionApplyIn) -> Status:
    """Apply to the version's organisation; each credential is verified as it is submitted."""
    version = _version(payload.version, "version")
    created = services.apply_for_recognition(
        actor=request.auth,
        version=version,
        statement=payload.statement,
        learning_setting=payload.learning_setting,
        credentials=[
            services.read_submission(item.model_dump(), index)
            for index, item in enumerate(payload.credentials)
        ],
        evidence=[item.model_dump(exclude_none=True) for item in payload.evidence],
    )
    return Status(201, _request(created))


@router.get("/recognition/requests", response=list[RecognitionRequestOut], summary="My requests")
def my_requests(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [_request(item) for item in services.get_learner_requests(request.auth)]


@router.get(ORG + "/requests", response=list[RecognitionRequestOut], summary="Requests (evaluator)")
def queue(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    """The organisation's requests, waiting ones first."""
    by_status = services.get_queue(actor=request.auth, organisation_slug=org)
    return [_request(item) for items in by_status.values() for item in items]


@router.post(
    ORG + "/requests/{request_uuid}/proposal",
    response=RecognitionRequestOut,
    summary="Propose a decision (evaluator)",
)
def propose(
    request: AuthenticatedHttpRequest, org: str, request_uuid: UUID, payload: RecognitionProposalIn
) -> dict[str, Any]:
    target = services.get_request(org, request_uuid)
    return _request(
        services.propose_decision(
            actor=request.auth,
            request=target,
            decision=payload.decision,
            reasons=payload.reasons,
            credit_value=payload.credit_value,
            credit_system=payload.credit_system,
        )
    )


@router.post(
    ORG + "/requests/{request_uuid}/decision",
    response=RecognitionRequestOut,
    summary="Confirm or return a proposal (a second evaluator)",
)
def decide(
    request: AuthenticatedHttpRequest, org: str, request_uuid: UUID, payload: RecognitionDecisionIn
) -> dict[str, Any]:
    target = services.get_request(org, request_uuid)
    return _request(
        services.decide_recognition(
            actor=request.auth, request=target, confirm=payload.confirm, note=payload.note
        )
    )


@router.post(
    "/orgs/{org}/transfer-values",
    response={201: TransferValueOut},
    summary="Publish a transfer value (evaluator)",
)
def create_transfer_value(
    request: AuthenticatedHttpRequest, org: str, payload: TransferValueIn
) -> Status:
    value = services.create_transfer_value(
        actor=request.auth,
        organisation_slug=org,
        target_version=_version(payload.target_version, "target_version"),
        source_version=_version(payload.source_version, "source_version")
        if payload.source_version
        else None,
        source_achievement=payload.source_achievement,
        source_issuer=payload.source_issuer,
        source_type=payload.source_type,
        source_name=payload.source_name,
        credits=dict(payload.credits),
        component=payload.component,
        description=payload.description,
        published=payload.published,
    )
    return Status(201, _transfer_value(value))


@router.get(
    "/orgs/{org}/transfer-values",
    response=list[TransferValueOut],
    auth=None,
    summary="Published transfer values",
)
def transfer_values(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisations.get_organisation(org)
    return [
        _transfer_value(value)
        for value in services.get_transfer_value_records(organisation=organisation)
    ]


class GradingTableIn(Strict):
    field_of_study: str = Field(description="The reference group, such as an ISCED-F code.")
    grading_system: str
    grades: list[tuple[str, float]] = Field(
        description="Passing grades best first, each with its percentage of passing grades."
    )


class GradingTableOut(Schema):
    uuid: UUID
    organisation: str
    field_of_study: str
    grading_system: str
    grades: list[tuple[str, float]]


class GradeConversionOut(Schema):
    grade: str
    converted: str
    shares: dict[str, float]
    band: tuple[float, float]
    message: str


def _grading_table(table: Any) -> dict[str, Any]:
    return {
        "uuid": table.uuid,
        "organisation": table.organisation.slug,
        "field_of_study": table.field_of_study,
        "grading_system": table.grading_system,
        "grades": table.grades,
    }


@router.post(
    "/orgs/{org}/grading-tables",
    response={201: GradingTableOut},
    summary="Publish a grading table (evaluator)",
)
def create_grading_table(
    request: AuthenticatedHttpRequest, org: str, payload: GradingTableIn
) -> Status:
    table = services.create_grading_table(
        actor=request.auth,
        organisation_slug=org,
        field_of_study=payload.field_of_study,
        grading_system=payload.grading_system,
        grades=[list(pair) for pair in payload.grades],
    )
    return Status(201, _grading_table(table))


@router.get("/grading-tables", response=list[GradingTableOut], auth=None, summary="Grading tables")
def grading_tables(request: HttpRequest) -> list[dict[str, Any]]:
    return [_grading_table(table) for table in services.get_grading_tables()]


@router.get("/grades/convert", response=GradeConversionOut, auth=None, summary="Convert a grade")
def convert_grade(request: HttpRequest, source: UUID, target: UUID, grade: str) -> dict[str, Any]:
    """Convert ``grade`` of the table ``source`` to the table ``target`` (the ECTS method)."""
    conversion = services.convert_grade(source=source, target=target, grade=grade)
    return {
        "grade": conversion.grade,
        "converted": conversion.main,
        "shares": dict(conversion.shares),
        "band": conversion.band,
        "message": conversion.message,
    }
