"""API route of the Europass app: import an ELM document as a draft micro-credential.

The exports need no API route of their own: their public addresses
(``/credentials/<uuid>.elm.jsonld`` and the others beside the pages) answer JSON already.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema, Status

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.core.api import ErrorOut
from microcred.errors import InvalidInput, TooLarge
from microcred.europass import services

router = Router(tags=["europass"], auth=AUTH)

MEDIA_TYPES = ("application/json", "application/ld+json")
REQUEST_BODY = {
    "required": True,
    "description": "A European Digital Credential, or an ELM Qualification or "
    "LearningAchievementSpecification (ELM 3.1 JSON-LD or 3.2 JSON), or the EU issuer's "
    '{"credential": ...} upload form.',
    "content": {media_type: {"schema": {"type": "object"}} for media_type in MEDIA_TYPES},
}


class ImportOut(Schema):
    organisation: str
    slug: str = Field(description="The new micro-credential's slug.")
    number: int = Field(description="Its draft version's number (1).")
    title: str
    status: str
    left_out: list[str] = Field(description="What of the document could not be kept, and why.")


@router.post(
    "/orgs/{org}/elm-imports",
    response={201: ImportOut, 413: ErrorOut, 422: ErrorOut},
    summary="Start a draft micro-credential from an ELM document (designer)",
    openapi_extra={"requestBody": REQUEST_BODY},
)
def import_elm(request: AuthenticatedHttpRequest, org: str) -> Status:
    if request.content_type not in MEDIA_TYPES:
        raise InvalidInput(
            f"Content-Type {request.content_type} is not read here; send the ELM document as "
            f"{' or '.join(MEDIA_TYPES)}.",
            field="Content-Type",
        )
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > services.MAX_UPLOAD_BYTES:
        raise TooLarge(
            f"The request body is {size:,} bytes; ELM documents up to "
            f"{services.MAX_UPLOAD_BYTES:,} bytes are accepted.",
            field="body",
            data={"limit": services.MAX_UPLOAD_BYTES, "size": size},
        )
    imported = services.import_specification(
        actor=request.auth, organisation_slug=org, data=request.body
    )
    draft: Any = imported.draft
    return Status(
        201,
        {
            "organisation": org,
            "slug": draft.microcredential.slug,
            "number": draft.number,
            "title": draft.title,
            "status": draft.status,
            "left_out": imported.left_out,
        },
    )
