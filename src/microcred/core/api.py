"""The REST API: one django-ninja instance and one error handler.

Each app adds its routes in its own ``api.py`` (a ninja ``Router``, authenticated
with :data:`microcred.accounts.auth.AUTH`); the site mounts them. Handlers stay
thin and call services. Errors come back as
``{"code", "message", "field", "data"}`` with the status the error's type
gives, and nothing changes. Errors that happen before or outside a handler (no
route, a method a route does not take, a crash) get the same shape from
:class:`ApiErrorsAsJson`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from microcred.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    MicrocredError,
    NotFound,
    RateLimited,
    TooLarge,
    UnsupportedMediaType,
)
from microcred.vc.errors import VCError

STATUS_BY_ERROR: list[tuple[type[MicrocredError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (TooLarge, 413),
    (UnsupportedMediaType, 415),
    (RateLimited, 429),
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


# Where the API lives: every error answered under it is JSON.
API_PREFIX = "/api/"


class ErrorOut(Schema):
    """What every API error looks like."""

    code: str
    message: str
    field: str | None
    data: dict[str, Any]


def error_body(code: str, message: str, field: str | None = None, data: Any = None) -> dict:
    return {"code": code, "message": message, "field": field, "data": data or {}}


@api.exception_handler(MicrocredError)
def microcred_error(request: HttpRequest, error: MicrocredError) -> HttpResponse:
    status = next(status for kind, status in STATUS_BY_ERROR if isinstance(error, kind))
    response = api.create_response(request, error.as_dict(), status=status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


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
    field, message = first["field"], str(first["message"])
    body = error_body(
        "input.invalid", f"{field}: {message}" if field else message, field, {"errors": problems}
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


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    body = error_body("not_found", str(error) or f"Nothing at {request.path}.")
    return api.create_response(request, body, status=404)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, refused by Django as it is read."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = error_body(
        "input.too_large",
        f"The request body is larger than the {limit:,} bytes accepted.",
        "body",
        {"limit": limit},
    )
    return api.create_response(request, body, status=413)


class ApiErrorsAsJson:
    """Middleware: answer every error under ``/api/`` in the API's error shape.

    The API's handlers already do; this covers what happens outside them, which Django
    answers with an HTML page: a path no route matches (404), a method a route does not
    take (405), a request Django refuses before any handler runs (400), a crash (500,
    logged by Django as usual; the answer says nothing of what broke).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replaced = JsonResponse(_outside_error(request, response), status=response.status_code)
        for header in ("Allow", "Retry-After", "Vary"):
            if header in response:
                replaced[header] = response[header]
        return replaced


def _outside_error(request: HttpRequest, response: HttpResponseBase) -> dict[str, Any]:
    status = response.status_code
    if status == 404:
        return error_body(
            "not_found", f"No API endpoint at {request.path}; /api/docs lists them all."
        )
    if status == 405:
        allowed = response.get("Allow", "")
        return error_body(
            "method_not_allowed",
            f"{request.method} is not allowed on {request.path}; it takes {allowed}.",
            data={"allowed": [method.strip() for method in allowed.split(",") if method]},
        )
    if status == 400:
        return error_body("request.malformed", "The request could not be read.")
    if status >= 500:
        return error_body("server.error", "Something went wrong on our side; it has been logged.")
    return error_body(f"http.{status}", f"{response.reason_phrase}.")
