"""The Open Badges 3.0 API's routes (section 6.2), under ``/ims/ob/v3p0/``.

A django-ninja instance of its own, because the spec fixes what its errors look like: every
refusal is an ``Imsx_StatusInfo`` with the status the spec gives. Requests authenticate
with an OAuth 2.0 access token of django-oauth-toolkit, which must carry the route's scope:
none or a dead one is 401, one without the scope 403.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from oauth2_provider.oauth2_backends import get_oauthlib_core

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.accounts.services import User
from microcred.core import public_urls
from microcred.errors import (
    Forbidden,
    InvalidInput,
    MicrocredError,
    NotFound,
    TooLarge,
    UnsupportedMediaType,
)
from microcred.obapi import services
from microcred.obapi.oauth import (
    CREDENTIAL_READONLY,
    CREDENTIAL_UPSERT,
    PROFILE_READONLY,
    PROFILE_UPDATE,
)

ob_api = NinjaAPI(
    title="Open Badges 3.0 API",
    version="3.0",
    urls_namespace="obapi-api",
    docs_url=None,
    openapi_url=None,
)

QUERY_PARAMETERS = {"limit", "offset", "since"}


class InsufficientScope(Forbidden):
    """The access token is good but lacks the scope the route needs (RFC 6750 section 3.1)."""

    code = "insufficient_scope"


class OAuthBearer(HttpBearer):
    """An OAuth 2.0 access token the platform issued, live and granting ``scope``."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
        if not valid or oauth_request.user is None or not oauth_request.user.is_active:
            return None
        if not oauth_request.access_token.allow_scopes([self.scope]):
            raise InsufficientScope(
                f"The access token does not grant {self.scope}; ask the learner for it.",
                data={"scope": self.scope},
            )
        request.user = oauth_request.user
        return oauth_request.user


def status_info(status: int, minor: str, description: str) -> JsonResponse:
    """Return the spec's ``Imsx_StatusInfo`` error with ``status``."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": minor}
            ]
        },
    }
    return JsonResponse(body, status=status)


@ob_api.exception_handler(MicrocredError)
def microcred_error(request: HttpRequest, error: MicrocredError) -> HttpResponse:
    description = f"{error.field}: {error.message}" if error.field else error.message
    if isinstance(error, InsufficientScope):
        response = status_info(403, "forbidden", description)
        response["WWW-Authenticate"] = (
            f'Bearer error="insufficient_scope", scope="{error.data["scope"]}"'
        )
        return response
    if isinstance(error, Forbidden):
        return status_info(403, "forbidden", description)
    if isinstance(error, NotFound):
        return status_info(404, "not_found", description)
    if isinstance(error, TooLarge):
        return status_info(413, "invalid_data", description)
    if isinstance(error, UnsupportedMediaType):
        return status_info(415, "invalid_data", description)
    if isinstance(error, InvalidInput) and error.field in QUERY_PARAMETERS:
        return status_info(400, "invalid_query_parameter", description)
    return status_info(400, "invalid_data", description)


@ob_api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = status_info(
        401,
        "unauthorizedrequest",
        "Send a live access token of this platform as 'Authorization: Bearer <token>'.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="ims/ob/v3p0"'
    return response


@ob_api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return status_info(400, "invalid_data", "The request could not be read.")


@ob_api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return status_info(error.status_code, "invalid_data", str(error))


@ob_api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return status_info(404, "not_found", f"Nothing at {request.path}.")


@ob_api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return status_info(413, "invalid_data", "The request body is larger than accepted.")


@ob_api.get("/discovery", auth=None, operation_id="getServiceDescription")
def discovery(request: HttpRequest) -> HttpResponse:
    """The service description document (section 6.2.1): public, no token needed."""
    return JsonResponse(services.get_service_description())


def _page_url(limit: int, offset: int, since: str | None) -> str:
    query = {"limit": limit, "offset": offset} | ({"since": since} if since else {})
    return public_urls.absolute(f"{services.API_PATH}/credentials?{urlencode(query)}")


@ob_api.get("/credentials", auth=OAuthBearer(CREDENTIAL_READONLY), operation_id="getCredentials")
def get_credentials(
    request: AuthenticatedHttpRequest,
    limit: str | None = None,
    offset: str | None = None,
    since: str | None = None,
) -> HttpResponse:
    """A page of the learner's credentials, with ``X-Total-Count`` and ``Link`` (RFC 8288)."""
    page = services.get_credential_page(request.auth, limit=limit, offset=offset, since=since)
    response = JsonResponse(page.body())
    response["X-Total-Count"] = str(page.total)
    response["Link"] = ", ".join(
        f'<{_page_url(page.limit, at, since)}>; rel="{rel}"' for rel, at in page.links().items()
    )
    return response


@ob_api.post("/credentials", auth=OAuthBearer(CREDENTIAL_UPSERT), operation_id="upsertCredential")
def upsert_credential(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Verify and keep a credential in the learner's backpack: 201 new, 200 replaced."""
    document, created = services.upsert_credential(
        actor=request.auth, body=request.body, content_type=request.content_type or ""
    )
    is_json = document.lstrip().startswith("{")
    return HttpResponse(
        document,
        status=201 if created else 200,
        content_type="application/json" if is_json else "text/plain",
    )


@ob_api.get("/profile", auth=OAuthBearer(PROFILE_READONLY), operation_id="getProfile")
def get_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return JsonResponse(services.get_profile(request.auth))


@ob_api.put("/profile", auth=OAuthBearer(PROFILE_UPDATE), operation_id="putProfile")
def put_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Replace the learner's profile; answer with it as kept."""
    try:
        document: Any = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput("The profile must be JSON.", field="body") from None
    return JsonResponse(services.update_profile(actor=request.auth, document=document))
