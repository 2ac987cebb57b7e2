"""API routes of Credential Engine publishing: publish the organisation's CTDL graph and list
what was published (designers). The graph itself is public at ``/orgs/<org>/ctdl.json``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema, Status

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.core.api import ErrorOut
from microcred.credentialengine import services

router = Router(tags=["credential engine"], auth=AUTH)


class PublicationOut(Schema):
    created_at: datetime
    published_by: str | None
    registry_url: str
    organisation_ctid: str
    resources: int
    successful: bool
    http_status: int
    registry_ctid: str
    envelope: str
    messages: list[str]
    reply: dict[str, Any]


def _out(publication: services.Publication) -> dict[str, Any]:
    by = publication.published_by
    return {
        "created_at": publication.created_at,
        "published_by": by.username if by is not None else None,
        "registry_url": publication.registry_url,
        "organisation_ctid": publication.organisation_ctid,
        "resources": publication.resources,
        "successful": publication.successful,
        "http_status": publication.http_status,
        "registry_ctid": publication.registry_ctid,
        "envelope": publication.envelope,
        "messages": publication.messages,
        "reply": publication.reply,
    }


@router.get(
    "/orgs/{org}/credential-engine/publications",
    response=list[PublicationOut],
    summary="Publications to Credential Engine, newest first",
)
def list_publications(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    _, publications = services.get_publications(actor=request.user, organisation=org)
    return [_out(item) for item in publications]


@router.post(
    "/orgs/{org}/credential-engine/publications",
    response={201: PublicationOut, 502: ErrorOut, 503: ErrorOut},
    summary="Publish the organisation's CTDL graph to Credential Engine",
    description=(
        "Answers 201 with the registry's reply, `successful` false when the registry refused "
        "the graph (its `messages` say why); 502 when the registry cannot be reached and 503 "
        "when no registry is configured, recording nothing."
    ),
)
def publish(request: AuthenticatedHttpRequest, org: str) -> Status:
    try:
        publication = services.publish(actor=request.user, organisation=org)
    except services.RegistryUnreachable as error:
        return Status(502, error.as_dict())
    except services.RegistryNotConfigured as error:
        return Status(503, error.as_dict())
    return Status(201, _out(publication))
