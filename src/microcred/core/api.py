"""The REST API: one django-ninja instance and one error handler.

Each app adds its routes in its own ``api.py`` (a ninja ``Router``, authenticated
with :data:`microcred.accounts.auth.AUTH`); the site mounts them. Handlers stay
thin and call services. Errors come back as
``{"code", "message", "field", "data"}`` with the status the error's type
gives, and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from microcred.errors import Conflict, Forbidden, InvalidInput, MicrocredError, NotFound
from microcred.vc.errors import VCError

STATUS_BY_ERROR: list[tuple[type[MicrocredError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (InvalidInput, 422),
    (VCError, 422),
    (MicrocredError, 400),
]


def _field_path(location: Any) -> str | None:
    """Turn ninja's error location into the field path a client sent.

    ``("body", "payload", "learner", "email")`` becomes ``learner.email``:
    the source and the handler's parameter name mean nothing to a client.
    """
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or None


api = NinjaAPI(
    title="microcred API",
    version="1",
    description="Organisations, micro-credential specifications, awards, revocation and status.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_body(code: str, message: str, field: str | None = None, data: Any = None) -> dict:
    return {"code": code, "message": message, "field": field, "data": data or {}}


@api.exception_handler(MicrocredError)
def microcred_error(request: HttpRequest, error: MicrocredError) -> HttpResponse:
    status = next(status for kind, status in STATUS_BY_ERROR if isinstance(error, kind))
    return api.create_response(request, error.as_dict(), status=status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Report the first problem with its field path; all problems are in ``data``."""
    problems = [
        {
            "field": _field_path(item.get("loc", ())),
            "message": item.get("msg", "invalid"),
        }
        for item in error.errors
    ]
    first = problems[0] if problems else {"field": None, "message": "invalid input"}
    body = error_body(
        "input.invalid",
        f"{first['field']}: {first['message']}" if first["field"] else first["message"],
        first["field"],
        {"errors": problems},
    )
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """Give ninja's own refusals our error shape; a body that is not JSON is the usual one."""
    code = "request.malformed" if error.status_code == 400 else f"http.{error.status_code}"
    return api.create_response(request, error_body(code, str(error)), status=error.status_code)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    body = error_body(
        "auth.required", "Sign in, or send a valid API token as 'Authorization: Bearer <token>'."
    )
    return api.create_response(request, body, status=401)
