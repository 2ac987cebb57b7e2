"""API routes of the awards app; handlers stay thin and call services."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.awards import services
from microcred.errors import InvalidInput
from microcred.organisations import services as organisations

router = Router(tags=["awards"], auth=AUTH)


class ResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    grade: str | None = Field(None, max_length=100, description="A grade, such as B+ or Merit.")
    score: str | None = Field(None, max_length=100, description="A score, such as 87.")


class EvidenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="The URL of the evidence.")
    name: str | None = None
    narrative: str | None = None
    description: str | None = None


class IssueIn(Schema):
    version: uuid.UUID = Field(
        description="The id of the published version to issue (its achievement UUID)."
    )
    learner_email: str | None = Field(None, description="Hashed with a salt in the credential.")
    learner_did: str | None = Field(None, description="The learner's DID, the subject's id.")
    learner_name: str | None = None
    result: ResultIn | None = None
    narrative: str | None = None
    evidence: list[EvidenceIn] | None = None
    format: Literal["ldp", "jwt"] = Field(
        "ldp", description="ldp: JSON with an eddsa-rdfc-2022 proof; jwt: a VC-JWT."
    )
    idempotency_key: str | None = Field(
        None,
        max_length=200,
        description="Retries with the same key return the same award; the Idempotency-Key "
        "header does the same. Defaults to the learner and the version.",
    )


class ReasonIn(Schema):
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="The private reason: kept with the award for its staff and in the audit "
        "log, never shown to the public.",
    )
    public_reason: str | None = Field(
        None,
        max_length=2000,
        description="What the credential's page and the learner's email say; a neutral one "
        "(such as 'Revoked by the issuer.') when left out.",
    )


class AwardSummary(Schema):
    uuid: UUID
    url: str
    organisation: str
    version: UUID
    title: str
    status: str
    status_reason: str = Field(description="The private reason of the last status change.")
    public_reason: str = Field(description="The reason the credential's page shows.")
    replaces: UUID | None = Field(description="The award this one was issued again for.")
    replaced_by: UUID | None = Field(description="The award issued again in this one's place.")
    format: str
    learner_name: str
    learner_email: str
    learner_did: str
    issued_at: datetime
    valid_until: datetime | None
    result: dict[str, str]


class AwardOut(AwardSummary):
    credential: Any = Field(
        description="The credential exactly as signed: a JSON object, or a compact JWS string."
    )


class AwardFilters(Schema):
    search: str = ""
    status: Literal["", "active", "suspended", "revoked"] = ""
    version: uuid.UUID | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class StatusListOut(Schema):
    slug: str
    purpose: str
    size: int
    used: int
    url: str
    updated_at: datetime


def _summary(award: Any) -> dict[str, Any]:
    return {
        "uuid": award.uuid,
        "url": services.credential_url(award),
        "organisation": award.organisation.slug,
        "version": award.version.achievement_uuid,
        "title": award.version.title,
        "status": award.status,
        "status_reason": award.status_reason,
        "public_reason": award.public_reason,
        "replaces": award.replaces.uuid if award.replaces_id else None,
        "replaced_by": replacement.uuid
        if (replacement := services.get_replacement(award))
        else None,
        "format": award.format,
        "learner_name": award.learner_name,
        "learner_email": award.learner_email,
        "learner_did": award.learner_did,
        "issued_at": award.issued_at,
        "valid_until": award.valid_until,
        "result": award.result,
    }


def _detail(award: Any) -> dict[str, Any]:
    credential = (
        award.signed_credential
        if award.format == "jwt"
        else services.get_credential_document(award)
    )
    return {**_summary(award), "credential": credential}


@router.post("/orgs/{org}/awards", response={201: AwardOut}, summary="Issue a credential")
def issue_award(
    request: AuthenticatedHttpRequest,
    org: str,
    payload: IssueIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status:
    """Sign and issue a published version to a learner; retries with the same key are safe."""
    key = idempotency_key or payload.idempotency_key
    if idempotency_key and payload.idempotency_key and idempotency_key != payload.idempotency_key:
        raise InvalidInput(
            "The Idempotency-Key header and the idempotency_key field differ; give one.",
            field="idempotency_key",
        )
    # issue_award authorises; the version is public.
    version = services.find_version(organisation_slug=org, reference=payload.version)
    award = services.issue_award(
        actor=request.auth,
        version=version,
        learner_email=payload.learner_email,
        learner_did=payload.learner_did,
        learner_name=payload.learner_name,
        result=payload.result.model_dump(exclude_none=True) if payload.result else None,
        evidence=[item.model_dump(exclude_none=True) for item in payload.evidence]
        if payload.evidence is not None
        else None,
        narrative=payload.narrative,
        format=payload.format,
        idempotency_key=key,
    )
    return Status(201, _detail(award))


@router.get("/orgs/{org}/awards", response=list[AwardSummary], summary="List awards")
def list_awards(
    request: AuthenticatedHttpRequest, org: str, filters: Query[AwardFilters]
) -> list[dict[str, Any]]:
    """The organisation's awards, newest first; for its staff."""
    version = None
    if filters.version is not None:
        version = services.find_version(organisation_slug=org, reference=filters.version)
    awards = services.list_awards(
        actor=request.auth,
        organisation_slug=org,
        search=filters.search,
        status=filters.status,
        version=version,
    )
    return [_summary(award) for award in awards[filters.offset : filters.offset + filters.limit]]


@router.get("/awards/{award_uuid}", response=AwardOut, summary="Get an award")
def get_award(request: AuthenticatedHttpRequest, award_uuid: str) -> dict[str, Any]:
    return _detail(services.access_award(request.auth, award_uuid))


@router.post("/awards/{award_uuid}/revoke", response=AwardOut, summary="Revoke an award")
def revoke_award(
    request: AuthenticatedHttpRequest, award_uuid: str, payload: ReasonIn
) -> dict[str, Any]:
    """Revoke for good; the award's status list is re-signed at once."""
    award = services.get_award(award_uuid)
    return _detail(
        services.revoke_award(
            actor=request.auth,
            award=award,
            reason=payload.reason,
            public_reason=payload.public_reason or "",
        )
    )


@router.post("/awards/{award_uuid}/suspend", response=AwardOut, summary="Suspend an award")
def suspend_award(
    request: AuthenticatedHttpRequest, award_uuid: str, payload: ReasonIn
) -> dict[str, Any]:
    award = services.get_award(award_uuid)
    return _detail(
        services.suspend_award(
            actor=request.auth,
            award=award,
            reason=payload.reason,
            public_reason=payload.public_reason or "",
        )
    )


@router.post("/awards/{award_uuid}/unsuspend", response=AwardOut, summary="Lift a suspension")
def unsuspend_award(
    request: AuthenticatedHttpRequest, award_uuid: str, payload: ReasonIn
) -> dict[str, Any]:
    award = services.get_award(award_uuid)
    return _detail(
        services.unsuspend_award(
            actor=request.auth,
            award=award,
            reason=payload.reason,
            public_reason=payload.public_reason or "",
        )
    )


@router.post(
    "/awards/{award_uuid}/reissue", response={201: AwardOut}, summary="Issue an award again"
)
def reissue_award(request: AuthenticatedHttpRequest, award_uuid: str) -> Status:
    """Issue a revoked award, or one signed with a key marked compromised, again: a new award
    of the same version to the same learner that replaces it. A retry returns the same one."""
    award = services.get_award(award_uuid)
    return Status(201, _detail(services.reissue_award(actor=request.auth, award=award)))


@router.get("/orgs/{org}/status-lists", response=list[StatusListOut], summary="List status lists")
def list_status_lists(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    """The organisation's revocation and suspension lists and how many entries each has used."""
    return [
        {
            "slug": status_list.slug,
            "purpose": status_list.purpose,
            "size": status_list.size,
            "used": status_list.next_index,
            "url": services.status_list_url(status_list),
            "updated_at": status_list.updated_at,
        }
        for status_list in services.list_status_lists(actor=request.auth, organisation_slug=org)
    ]


# -- learner records (CLR 2.0) -----------------------------------------------------------------


class AssociationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sourceId: str = Field(description="The id of the source achievement.")
    targetId: str = Field(description="The id of the target achievement.")
    associationType: str = Field(
        description="A CLR 2.0 AssociationType: isChildOf, isParentOf, isPartOf, precedes..."
    )


class LearnerRecordIn(Schema):
    model_config = ConfigDict(extra="forbid")

    learner: str = Field(
        min_length=1, max_length=254, description="The learner's username or email address."
    )
    awards: list[UUID] = Field(
        description="The learner's credentials from this organisation to nest, by UUID."
    )
    associations: list[AssociationIn] = Field(
        default_factory=list, description="How the achievements of the credentials relate."
    )
    achievements: list[uuid.UUID] = Field(
        default_factory=list,
        description="Further achievements the associations may name (such as a pathway's "
        "goal): published versions of this organisation, by achievement UUID.",
    )


class LearnerRecordOut(Schema):
    uuid: UUID
    url: str
    organisation: str
    origin: str
    partial: bool
    awards: list[UUID]
    created_at: datetime
    credential: Any = Field(description="The ClrCredential exactly as signed (JSON).")


def _record(record: Any) -> dict[str, Any]:
    return {
        "uuid": record.uuid,
        "url": services.learner_record_url(record),
        "organisation": record.organisation.slug,
        "origin": record.origin,
        "partial": record.partial,
        "awards": [award.uuid for award in services.get_record_awards(record)],
        "created_at": record.created_at,
        "credential": json.loads(record.signed_credential),
    }


@router.post(
    "/orgs/{org}/clr", response={201: LearnerRecordOut}, summary="Issue a learner record (CLR)"
)
def issue_clr(request: AuthenticatedHttpRequest, org: str, payload: LearnerRecordIn) -> Status:
    """Sign a CLR 2.0 ClrCredential that nests the learner's credentials; for registrars."""
    record = services.issue_clr_request(
        actor=request.auth,
        organisation_slug=org,
        learner=payload.learner,
        awards=payload.awards,
        associations=[
            services.ClrAssociation(
                source_id=item.sourceId,
                target_id=item.targetId,
                association_type=item.associationType,
            )
            for item in payload.associations
        ],
        achievements=payload.achievements,
    )
    return Status(201, _record(record))


@router.get("/orgs/{org}/clr", response=LearnerRecordOut, summary="Get my learner record (CLR)")
def learner_clr(request: AuthenticatedHttpRequest, org: str) -> dict[str, Any]:
    """The caller's own learner record of every valid credential the organisation gave them."""
    organisation = organisations.get_organisation(org)
    return _record(services.learner_clr(actor=request.auth, organisation=organisation))
