"""The 1EdTech Open Badges 3.0 API (section 6): clients, a learner's credentials and profile.

Other platforms and backpacks register themselves (RFC 7591), the learner lets them in on
the consent page (OAuth 2.0 authorization code with PKCE, django-oauth-toolkit), and they
then read the learner's credentials, send credentials into the learner's backpack here,
and read or update the learner's profile. A learner's credentials are the platform's awards
(the signed documents exactly as stored) and the credentials other platforms sent, which
are verified first and kept as ``pathways`` external credentials, where pathways count them.

``register_*``, ``upsert_*``, ``update_*`` and ``revoke_*`` act: validate, change and audit
in one transaction. ``get_*`` only read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from microcred.accounts.services import User
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.core import public_urls
from microcred.errors import InvalidInput, NotFound, UnsupportedMediaType
from microcred.inputs import clean_text
from microcred.obapi.models import ClientRegistration, LearnerProfile
from microcred.obapi.oauth import (
    CREDENTIAL_READONLY,
    CREDENTIAL_UPSERT,
    PROFILE_READONLY,
    PROFILE_UPDATE,
    SCOPES,
    describe,
)
from microcred.pathways import services as pathways

__all__ = [
    "API_PATH",
    "AUTHORIZATION_PATH",
    "REGISTRATION_PATH",
    "TOKEN_PATH",
    "ClientRegistration",
    "Connection",
    "CredentialPage",
    "RegistrationError",
    "get_connections",
    "get_credential_page",
    "get_profile",
    "get_service_description",
    "register_client",
    "registration_response",
    "revoke_connection",
    "update_profile",
    "upsert_credential",
]

# Where the API and its OAuth 2.0 endpoints live; the service description names them.
API_PATH = "/ims/ob/v3p0"
REGISTRATION_PATH = "/oauth/register"
AUTHORIZATION_PATH = "/oauth/authorize/"
TOKEN_PATH = "/oauth/token/"

MAX_REDIRECT_URIS = 10
MAX_PAGE = 100
# RFC 8252 section 7.3: a native client may listen on the loopback interface over plain HTTP.
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


# -- dynamic client registration (RFC 7591) ---------------------------------------------------


class RegistrationError(InvalidInput):
    """A registration request refused with an RFC 7591 section 3.2.2 error code."""

    code = "invalid_client_metadata"


def _uri(metadata: dict[str, Any], name: str, *, required: bool) -> str:
    """Return the URL of ``name`` in ``metadata``; "" when it is absent and not required."""
    value = metadata.get(name)
    if value is None and not required:
        return ""
    return _check_uri(value, name, code="invalid_client_metadata")


def _check_uri(value: Any, name: str, *, code: str) -> str:
    """Return ``value`` if it is an absolute https URL (http only on the loopback interface)
    without a fragment; else raise ``code`` naming ``name``."""
    if not isinstance(value, str) or not value.strip():
        raise RegistrationError(f"{name} must be a URL.", code=code, field=name)
    value = value.strip()
    parts = urlsplit(value)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    )
    if not parts.netloc or not secure:
        raise RegistrationError(
            f"{name} must be an absolute https URL (http only on the loopback interface): "
            f"{value!r}.",
            code=code,
            field=name,
        )
    if parts.fragment or " " in value or len(value) > 500:
        raise RegistrationError(
            f"{name} must have no fragment or space, and at most 500 characters.",
            code=code,
            field=name,
        )
    return value


def _text(metadata: dict[str, Any], name: str, limit: int) -> str:
    try:
        return clean_text(metadata.get(name), name, required=True, limit=limit)
    except InvalidInput as error:
        raise RegistrationError(error.message, field=name) from None


def _choices(
    metadata: dict[str, Any], name: str, allowed: set[str], default: list[str]
) -> list[str]:
    values = metadata.get(name, default)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise RegistrationError(f"{name} must be an array of strings.", field=name)
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise RegistrationError(
            f"{name} has {', '.join(unknown)}; this server supports {', '.join(sorted(allowed))}.",
            field=name,
        )
    return values


def register_client(
    *, metadata: Any, now: datetime | None = None
) -> tuple[ClientRegistration, str | None]:
    """Register a client from its RFC 7591 metadata; return it with its client secret.

    The secret is returned only here (the toolkit keeps a hash of it); a client that
    registers ``token_endpoint_auth_method: none`` is public and has none, and must prove
    itself with PKCE alone. ``scope`` bounds what the client may ever ask a learner for.
    """
    if not isinstance(metadata, dict):
        raise RegistrationError("The registration request must be a JSON object.")
    redirect_uris = metadata.get("redirect_uris")
    if not isinstance(redirect_uris, list) or not redirect_uris:
        raise RegistrationError(
            "redirect_uris must be a non-empty array of URLs.",
            code="invalid_redirect_uri",
            field="redirect_uris",
        )
    if len(redirect_uris) > MAX_REDIRECT_URIS:
        raise RegistrationError(
            f"redirect_uris has at most {MAX_REDIRECT_URIS} URLs.",
            code="invalid_redirect_uri",
            field="redirect_uris",
        )
    uris = [
        _check_uri(uri, f"redirect_uris[{index}]", code="invalid_redirect_uri")
        for index, uri in enumerate(redirect_uris)
    ]
    name = _text(metadata, "client_name", 255)
    client_uri = _uri(metadata, "client_uri", required=True)
    optional = {
        key: _uri(metadata, key, required=False) for key in ("logo_uri", "tos_uri", "policy_uri")
    }
    software_id = _text(metadata, "software_id", 200)
    software_version = _text(metadata, "software_version", 100)
    scope = metadata.get("scope")
    scopes = scope.split() if isinstance(scope, str) else []
    if not scopes:
        raise RegistrationError(
            "scope must name, space-separated, the scopes the client will ask for.", field="scope"
        )
    unknown = [item for item in scopes if item not in SCOPES]
    if unknown:
        raise RegistrationError(
            f"scope has {', '.join(unknown)}, which this server does not offer.", field="scope"
        )
    grant_types = _choices(
        metadata,
        "grant_types",
        {"authorization_code", "refresh_token"},
        ["authorization_code", "refresh_token"],
    )
    if "authorization_code" not in grant_types:
        raise RegistrationError("grant_types must include authorization_code.", field="grant_types")
    _choices(metadata, "response_types", {"code"}, ["code"])
    auth_method = metadata.get("token_endpoint_auth_method", "client_secret_basic")
    if auth_method not in ("client_secret_basic", "client_secret_post", "none"):
        raise RegistrationError(
            "token_endpoint_auth_method must be client_secret_basic, client_secret_post or none.",
            field="token_endpoint_auth_method",
        )
    contacts = metadata.get("contacts", [])
    if not isinstance(contacts, list) or not all(
        isinstance(item, str) and len(item) <= 200 for item in contacts
    ):
        raise RegistrationError("contacts must be an array of email addresses.", field="contacts")

    Application = get_application_model()
    now = now or timezone.now()
    application = Application(
        name=name,
        client_type=Application.CLIENT_PUBLIC
        if auth_method == "none"
        else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(uris),
        registration_source=Application.RegistrationSource.DCR,
    )
    # Read before saving: the toolkit stores only a hash of it.
    secret = application.client_secret if auth_method != "none" else None
    with transaction.atomic():
        application.save()
        registration = ClientRegistration.objects.create(
            application=application,
            client_uri=client_uri,
            software_id=software_id,
            software_version=software_version,
            scope=" ".join(dict.fromkeys(scopes)),
            contacts=contacts,
            registered_at=now,
            **optional,
        )
        record_event(
            actor=None,
            action="obapi.client_registered",
            target=registration,
            data={"client_id": application.client_id, "name": name, "scope": registration.scope},
            now=now,
        )
    return registration, secret


def registration_response(registration: ClientRegistration, secret: str | None) -> dict:
    """Return the client information response of RFC 7591 section 3.2.1."""
    application = registration.application
    response: dict[str, Any] = {
        "client_id": application.client_id,
        "client_id_issued_at": int(registration.registered_at.timestamp()),
        "client_name": application.name,
        "client_uri": registration.client_uri,
        "redirect_uris": application.redirect_uris.split(),
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none"
        if application.client_type == application.CLIENT_PUBLIC
        else "client_secret_basic",
        "scope": registration.scope,
        "software_id": registration.software_id,
        "software_version": registration.software_version,
    }
    for key in ("logo_uri", "tos_uri", "policy_uri"):
        if getattr(registration, key):
            response[key] = getattr(registration, key)
    if registration.contacts:
        response["contacts"] = registration.contacts
    if secret is not None:
        response["client_secret"] = secret
        response["client_secret_expires_at"] = 0
    return response


# -- the service description document (section 6.2.1) ----------------------------------------


def get_service_description() -> dict[str, Any]:
    """Return the service description document: the API as OpenAPI, with where to register,
    authorize and get tokens, all as absolute URLs on the platform's public address."""
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "microcred",
            "version": "3.0",
            "description": "The 1EdTech Open Badges 3.0 API of this microcred platform.",
            "termsOfService": public_urls.absolute("/"),
            "x-imssf-privacyPolicyUrl": public_urls.absolute("/"),
        },
        "servers": [{"url": public_urls.absolute(API_PATH)}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": _operation(
                    "getCredentials", CREDENTIAL_READONLY, "The learner's credentials"
                ),
                "post": _operation(
                    "upsertCredential", CREDENTIAL_UPSERT, "Add or replace a credential", "201"
                ),
            },
            "/profile": {
                "get": _operation("getProfile", PROFILE_READONLY, "The learner's profile"),
                "put": _operation("putProfile", PROFILE_UPDATE, "Replace the learner's profile"),
            },
            "/discovery": {
                "get": {
                    "tags": ["Discovery"],
                    "operationId": "getServiceDescription",
                    "summary": "This service description document",
                    "responses": {"200": {"description": "The service description document."}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256).",
                    "x-imssf-registrationUrl": public_urls.absolute(REGISTRATION_PATH),
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": public_urls.absolute(AUTHORIZATION_PATH),
                            "tokenUrl": public_urls.absolute(TOKEN_PATH),
                            "refreshUrl": public_urls.absolute(TOKEN_PATH),
                            "scopes": dict(SCOPES),
                        }
                    },
                }
            },
            "schemas": {},
        },
    }


def _operation(operation_id: str, scope: str, summary: str, *created: str) -> dict[str, Any]:
    """Return an OpenAPI operation of the API: its scope and the statuses it answers with."""
    responses = {status: {"description": "Success."} for status in ("200", *created)}
    responses.update(
        {
            "400": {"description": "Bad request: an Imsx_StatusInfo naming the problem."},
            "401": {"description": "No live access token: an Imsx_StatusInfo."},
            "403": {"description": "The access token lacks the scope: an Imsx_StatusInfo."},
        }
    )
    return {
        "tags": ["OpenBadgeCredentials"],
        "operationId": operation_id,
        "summary": summary,
        "security": [{"OAuth2ACG": [scope]}],
        "responses": responses,
    }


# -- the learner's credentials (sections 6.2.2 and 6.2.3) -------------------------------------


@dataclass(frozen=True)
class HeldDocument:
    """One credential in the learner's backpack, exactly as signed, and when it came."""

    document: str
    at: datetime
    key: str

    @property
    def is_jws(self) -> bool:
        """Whether the document is a compact JWS (a VC-JWT) rather than JSON."""
        return not self.document.lstrip().startswith("{")


@dataclass(frozen=True)
class CredentialPage:
    """One page of ``getCredentials``: its documents and the total they are a page of."""

    items: list[HeldDocument]
    total: int
    limit: int
    offset: int

    def body(self) -> dict[str, Any]:
        """Return the ``GetOpenBadgeCredentialsResponse``: JSON credentials and compact JWS."""
        return {
            "compactJwsStrings": [item.document for item in self.items if item.is_jws],
            "credential": [json.loads(item.document) for item in self.items if not item.is_jws],
        }

    def links(self) -> dict[str, int]:
        """Return the offset of each page the ``Link`` header names: first, last, and next and
        prev where there is one."""
        last = max(0, (self.total - 1) // self.limit * self.limit)
        links = {"first": 0, "last": last}
        if self.offset + self.limit < self.total:
            links["next"] = self.offset + self.limit
        if self.offset > 0:
            links["prev"] = max(0, min(self.offset - self.limit, last))
        return links


def _non_negative(value: Any, field: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise InvalidInput(f"{field} must be a whole number.", field=field) from None
    if number < 0:
        raise InvalidInput(f"{field} must not be negative.", field=field)
    return number


def get_credential_page(
    learner: User, *, limit: Any = None, offset: Any = None, since: Any = None
) -> CredentialPage:
    """Return a page of the learner's credentials, oldest first, so that pages stay put
    while new ones arrive.

    ``limit`` (at least 1) is capped at :data:`MAX_PAGE`, ``offset`` counts from 0, and
    ``since`` (an ISO 8601 date-time) keeps the credentials issued, or received from another
    platform, after it.
    """
    wanted = _non_negative(limit, "limit")
    if wanted == 0:
        raise InvalidInput("limit must be at least 1.", field="limit")
    size = min(wanted or MAX_PAGE, MAX_PAGE)
    start = _non_negative(offset, "offset") or 0
    after = _datetime(since, "since") if since is not None else None
    issued = [award for award in awards.get_learner_awards(learner) if award.signed_credential]
    # A platform that sends one of our own awards back has sent nothing new: list it once.
    issued_ids = {awards.credential_url(award) for award in issued}
    held = [
        HeldDocument(award.signed_credential, award.issued_at, f"award:{award.pk}")
        for award in issued
    ] + [
        HeldDocument(external.document, external.added_at, f"external:{external.pk}")
        for external in pathways.get_external_credentials(learner)
        if external.verified and external.credential_id not in issued_ids
    ]
    if after is not None:
        held = [item for item in held if item.at > after]
    held.sort(key=lambda item: (item.at, item.key))
    return CredentialPage(held[start : start + size], len(held), size, start)


def _datetime(value: Any, field: str) -> datetime:
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{field} must be an ISO 8601 date-time such as 2026-01-31T00:00:00Z.", field=field
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{field} must give its time zone (Z for UTC).", field=field)
    return moment


def upsert_credential(*, actor: User, body: bytes, content_type: str) -> tuple[str, bool]:
    """Verify a credential another platform sends and keep it in the learner's backpack;
    return it and whether it is new (section 6.2.3).

    JSON (``application/json``) or a compact JWS (``text/plain``). The spec's equality rule:
    a credential with the ``id`` of one the learner already holds here (for a VC-JWT, the
    ``id`` of the credential it carries) replaces it. One that does not verify is refused.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InvalidInput("The credential must be UTF-8 text.", field="body") from None
    if media_type == "application/json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"The body is not JSON: {error.msg}.", field="body") from None
        if not isinstance(document, dict):
            raise InvalidInput("The body must be a credential: a JSON object.", field="body")
    elif media_type == "text/plain":
        if not COMPACT_JWS.match(text):
            raise InvalidInput("The body must be a VC-JWT in compact JWS form.", field="body")
    else:
        raise UnsupportedMediaType(
            f"Send the credential as application/json or, a VC-JWT, as text/plain, "
            f"not {media_type or 'no media type'}.",
            field="Content-Type",
            data={"accepted": ["application/json", "text/plain"]},
        )
    try:
        external, created = pathways.receive_external_credential(actor=actor, document=text)
    except InvalidInput as error:
        if error.field == "document":
            error.field = "body"
        raise
    return external.document, created


# -- the learner's profile (sections 6.2.4 and 6.2.5) -----------------------------------------

PROFILE_FIELDS = {"name", "description", "url", "phone", "image"}
PROFILE_READ_ONLY = {"id", "type", "email", "@context"}


def _profile(user: User) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.get_or_create(user=user)
    return profile


def get_profile(user: User) -> dict[str, Any]:
    """Return the learner's OB 3.0 ``Profile``."""
    profile = _profile(user)
    document: dict[str, Any] = {
        "id": f"urn:uuid:{profile.uuid}",
        "type": ["Profile"],
        "name": profile.name or str(user),
    }
    if user.email:
        document["email"] = user.email
    for key in ("description", "url", "phone"):
        if getattr(profile, key):
            document[key] = getattr(profile, key)
    if profile.image:
        document["image"] = {"id": profile.image, "type": "Image"}
    return document


def update_profile(*, actor: User, document: Any, now: datetime | None = None) -> dict[str, Any]:
    """Replace what the learner's profile says (``name``, ``description``, ``url``, ``phone``,
    ``image``) and return it; ``id``, ``type`` and ``email`` may be sent but not changed.

    A field left out is cleared, as a PUT replaces; the email address is the account's,
    which other platforms may not change.
    """
    if not isinstance(document, dict):
        raise InvalidInput("The profile must be a JSON object.", field="body")
    current = get_profile(actor)
    unknown = sorted(set(document) - PROFILE_FIELDS - PROFILE_READ_ONLY)
    if unknown:
        raise InvalidInput(
            f"{unknown[0]} is not kept here; send only {', '.join(sorted(PROFILE_FIELDS))}.",
            field=unknown[0],
        )
    if "id" in document and document["id"] != current["id"]:
        raise InvalidInput(f"id is {current['id']} and cannot change.", field="id")
    kinds = document.get("type", ["Profile"])
    if "Profile" not in (kinds if isinstance(kinds, list) else [kinds]):
        raise InvalidInput("type must include Profile.", field="type")
    if "email" in document and document["email"] != current.get("email"):
        raise InvalidInput("email is the account's address and cannot change here.", field="email")
    values = {
        "name": clean_text(document.get("name"), "name", limit=300),
        "description": clean_text(document.get("description"), "description", limit=5000),
        "phone": clean_text(document.get("phone"), "phone", limit=50),
    }
    url = clean_text(document.get("url"), "url", limit=500)
    image = document.get("image")
    if isinstance(image, dict):
        image = image.get("id")
    image = clean_text(image, "image", limit=500)
    for field, value in (("url", url), ("image", image)):
        if value and urlsplit(value).scheme != "https":
            raise InvalidInput(f"{field} must be an https URL.", field=field)
    profile = _profile(actor)
    now = now or timezone.now()
    with transaction.atomic():
        for key, value in {**values, "url": url, "image": image}.items():
            setattr(profile, key, value)
        profile.updated_at = now
        profile.save()
        record_event(actor=actor, action="obapi.profile_updated", target=profile, now=now)
    return get_profile(actor)


# -- connected applications ------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    """A client the learner let in, with what it may do."""

    application_id: int
    name: str
    client_uri: str
    scopes: list[str]
    since: datetime

    @property
    def descriptions(self) -> list[str]:
        """What the client may do, as the consent page said it."""
        return [describe(scope) for scope in self.scopes]


def get_connections(user: User) -> list[Connection]:
    """Return the clients that hold a live token of ``user`` (access or refresh)."""
    now = timezone.now()
    found: dict[int, Connection] = {}
    for token in (
        get_access_token_model()
        .objects.filter(user=user, expires__gt=now)
        .select_related("application__registration")
        .order_by("created")
    ):
        _add_connection(found, token.application, token.scope, token.created)
    for refresh in (
        get_refresh_token_model()
        .objects.filter(user=user, revoked__isnull=True)
        .select_related("application__registration", "access_token")
        .order_by("created")
    ):
        scope = refresh.access_token.scope if refresh.access_token else ""
        _add_connection(found, refresh.application, scope, refresh.created)
    return sorted(found.values(), key=lambda connection: connection.name.lower())


def _add_connection(found: dict[int, Connection], application: Any, scope: str, at: Any) -> None:
    known = found.get(application.pk)
    scopes = sorted(set(scope.split()) | set(known.scopes if known else ()))
    registration = getattr(application, "registration", None)
    found[application.pk] = Connection(
        application.pk,
        application.name,
        registration.client_uri if registration else "",
        scopes,
        min(at, known.since) if known else at,
    )


def revoke_connection(*, actor: User, application_id: int) -> None:
    """Take back every grant and token ``actor`` gave the client; it must ask again."""
    connection = next(
        (item for item in get_connections(actor) if item.application_id == application_id), None
    )
    if connection is None:
        raise NotFound("No connected application with that number.", field="application")
    with transaction.atomic():
        for refresh in get_refresh_token_model().objects.filter(
            user=actor, application_id=application_id, revoked__isnull=True
        ):
            refresh.revoke()
        get_access_token_model().objects.filter(user=actor, application_id=application_id).delete()
        get_grant_model().objects.filter(user=actor, application_id=application_id).delete()
        record_event(
            actor=actor,
            action="obapi.connection_revoked",
            data={"application": connection.name, "application_id": application_id},
        )
