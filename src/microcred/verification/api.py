"""The public verification API: what the /verify page does, as JSON, for programs.

Anonymous, limited per client address. The body is the credential itself, read the way
the page reads a paste or an upload: JSON (one credential, an array, JSON Lines), a
compact JWT, a badge image with a credential baked in, or the page's own form fields.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router
from pydantic import BaseModel

from microcred.core.api import ErrorOut
from microcred.core.clients import client_address
from microcred.errors import InvalidInput, TooLarge, UnsupportedMediaType
from microcred.verification import services
from microcred.verification.forms import VerifyForm

router = Router(tags=["verification"])

# Read as they come: the engine recognises JSON, JSON Lines, JWTs and baked images by content.
RAW_MEDIA_TYPES = (
    "application/json",
    "application/ld+json",
    "application/vc+ld+json",
    "application/vc",
    "application/x-ndjson",
    "application/jsonl",
    "application/jwt",
    "application/vc+jwt",
    "application/vc+ld+jwt",
    "text/plain",
    "image/png",
    "image/svg+xml",
    "application/octet-stream",
)
FORM_MEDIA_TYPE = "multipart/form-data"
# An IPv6 client usually holds a whole /64: count it as one address.


# The answers are plain pydantic models, not ninja Schemas: a Schema reads its input through a
# root validator made for Django objects, which took a tenth of a verification request's CPU
# for a report that is a dict already. The OpenAPI document is the same.
class VerificationCheckOut(BaseModel):
    id: str = Field(description="Stable check id, such as proof.signature or status.revocation.")
    status: Literal["passed", "failed", "warning", "skipped"]
    message: str
    data: dict[str, Any] = Field(default_factory=dict)


class VerificationReportOut(BaseModel):
    verified: bool = Field(description="No check failed and a signature vouches for it.")
    format: str
    source: str | None
    name: str | None
    issuer: str | None
    issuerName: str | None  # the report's JSON name, as the CLI prints it
    subject: str | None
    checks: list[VerificationCheckOut]
    nested: list[VerificationReportOut] = Field(
        description="Reports of the credentials inside (a CLR's)."
    )


class VerificationOut(BaseModel):
    verified: bool = Field(description="Every credential in the request verified.")
    reports: list[VerificationReportOut] = Field(description="One report per credential found.")


_RAW_BODY = {"schema": {"type": "string", "format": "binary"}}
REQUEST_BODY = {
    "required": True,
    "description": "The credential, as the page takes it pasted or uploaded.",
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}],
                "description": "A credential (VC / Open Badges 3.0 / CLR / OB 2.0), or an "
                "array of them; JSON Lines as application/x-ndjson.",
            }
        },
        "application/jwt": {"schema": {"type": "string", "description": "A compact VC-JWT."}},
        "image/png": _RAW_BODY,
        "image/svg+xml": _RAW_BODY,
        FORM_MEDIA_TYPE: {
            "schema": {
                "type": "object",
                "properties": {
                    "credential": {"type": "string", "description": "Pasted text."},
                    "file": {"type": "string", "format": "binary"},
                },
            }
        },
    },
}


@router.post(
    "/verify",
    auth=None,
    response={200: VerificationOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Verify credentials (no account needed)",
    description="Verify every credential in the body and return the report the /verify "
    "page shows. Accepted: "
    + ", ".join(RAW_MEDIA_TYPES)
    + f", {FORM_MEDIA_TYPE} (fields credential or file). Requests are limited per client "
    "address: past the limit the answer is 429 with Retry-After.",
    openapi_extra={"requestBody": REQUEST_BODY},
)
def verify(request: HttpRequest) -> dict[str, Any]:
    services.check_verification_rate(address=client_address(request))
    data, source = _submission(request)
    reports = services.verify_payload(data=data, source=source)
    return {
        "verified": all(report.verified for report in reports),
        "reports": [report.as_dict() for report in reports],
    }


def _submission(request: HttpRequest) -> tuple[bytes, str]:
    """Return the bytes to verify and where they came from; refuse what cannot be read."""
    limit = settings.VERIFY_MAX_UPLOAD_BYTES
    media_type = request.content_type or "application/octet-stream"
    is_form = media_type == FORM_MEDIA_TYPE
    if not is_form and media_type not in RAW_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Content-Type {media_type} is not read here: send the credential as the body "
            "(application/json, application/jwt, image/png, image/svg+xml...) or as the form "
            f"field credential or file ({FORM_MEDIA_TYPE}).",
            field="Content-Type",
            data={"accepted": [*RAW_MEDIA_TYPES, FORM_MEDIA_TYPE]},
        )
    # Checked before anything is read. A form may carry a file of up to the limit,
    # plus its field names and boundaries.
    allowed = settings.DATA_UPLOAD_MAX_MEMORY_SIZE if is_form else limit
    size = _content_length(request)
    if size > allowed:
        raise TooLarge(
            f"The request body is {size:,} bytes; credentials up to {limit:,} bytes are accepted.",
            field="body",
            data={"limit": limit, "size": size},
        )
    if is_form:
        return _form_submission(request)
    if not request.body:
        raise InvalidInput(
            "The request body is empty: send a credential (JSON, a JWT, or a badge image "
            "with a credential baked in).",
            field="body",
        )
    return request.body, "request body"


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _form_submission(request: HttpRequest) -> tuple[bytes, str]:
    """Read the page's own form: pasted text in ``credential`` or an upload in ``file``."""
    form = VerifyForm(request.POST, request.FILES)
    if form.is_valid():
        return form.payload()
    name, [error, *_] = next(iter(form.errors.as_data().items()))
    kind = TooLarge if error.code == "too_large" else InvalidInput
    raise kind(" ".join(error.messages), field=None if name == "__all__" else name)
