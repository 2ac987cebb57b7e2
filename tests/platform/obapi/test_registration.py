"""Dynamic client registration (RFC 7591) as the Open Badges 3.0 API asks for it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from oauth2_provider.models import get_application_model

from microcred.audit.models import AuditEvent
from microcred.obapi.models import ClientRegistration
from microcred.obapi.oauth import CREDENTIAL_READONLY
from tests.platform.factories import make_user
from tests.platform.obapi.client import ALL_SCOPES, REDIRECT_URI, registration_request


def register(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/oauth/register", data, content_type="application/json")


def test_a_client_registers_and_is_told_its_credentials(client: Client) -> None:
    response = register(client, registration_request())
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["client_id"] and len(body["client_secret"]) >= 32
    assert body["redirect_uris"] == [REDIRECT_URI]
    assert body["scope"] == ALL_SCOPES
    assert body["grant_types"] == ["authorization_code", "refresh_token"]
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    for key in ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri"):
        assert body[key] == registration_request()[key]
    assert (body["software_id"], body["software_version"]) == (
        "c88b6ed8-269e-448e-99be-7e2ff47167d1",
        "v4.1.30",
    )
    application = get_application_model().objects.get(client_id=body["client_id"])
    # The toolkit keeps only a hash of the secret.
    assert application.client_secret != body["client_secret"]
    assert application.registration.scope == ALL_SCOPES
    assert AuditEvent.objects.filter(action="obapi.client_registered").count() == 1


def test_a_public_client_gets_no_secret(client: Client) -> None:
    body = register(client, registration_request(token_endpoint_auth_method="none")).json()
    assert "client_secret" not in body and body["token_endpoint_auth_method"] == "none"


def test_a_native_client_may_listen_on_loopback(client: Client) -> None:
    uris = ["http://127.0.0.1:8123/callback", "http://[::1]:8123/callback"]
    response = register(client, registration_request(redirect_uris=uris))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"redirect_uris": None}, "invalid_redirect_uri", "redirect_uris"),
        ({"redirect_uris": []}, "invalid_redirect_uri", "redirect_uris"),
        ({"redirect_uris": "https://a.example/cb"}, "invalid_redirect_uri", "redirect_uris"),
        ({"redirect_uris": ["http://a.example/cb"]}, "invalid_redirect_uri", "https"),
        ({"redirect_uris": ["https://a.example/cb#x"]}, "invalid_redirect_uri", "fragment"),
        ({"redirect_uris": ["https://a.example/c b"]}, "invalid_redirect_uri", "space"),
        ({"redirect_uris": ["/callback"]}, "invalid_redirect_uri", "redirect_uris[0]"),
        ({"redirect_uris": [REDIRECT_URI, 7]}, "invalid_redirect_uri", "redirect_uris[1]"),
        ({"redirect_uris": [REDIRECT_URI] * 11}, "invalid_redirect_uri", "at most"),
        ({"client_name": None}, "invalid_client_metadata", "client_name"),
        ({"client_name": "x" * 256}, "invalid_client_metadata", "client_name"),
        ({"client_uri": "ftp://a.example/"}, "invalid_client_metadata", "client_uri"),
        ({"logo_uri": "javascript:alert(1)"}, "invalid_client_metadata", "logo_uri"),
        ({"software_id": None}, "invalid_client_metadata", "software_id"),
        ({"software_version": ""}, "invalid_client_metadata", "software_version"),
        ({"scope": None}, "invalid_client_metadata", "scope"),
        ({"scope": "read write"}, "invalid_client_metadata", "read, write"),
        ({"grant_types": ["client_credentials"]}, "invalid_client_metadata", "grant_types"),
        ({"grant_types": ["refresh_token"]}, "invalid_client_metadata", "authorization_code"),
        ({"response_types": ["token"]}, "invalid_client_metadata", "response_types"),
        (
            {"token_endpoint_auth_method": "private_key_jwt"},
            "invalid_client_metadata",
            "token_endpoint_auth_method",
        ),
        ({"contacts": "ops@example.org"}, "invalid_client_metadata", "contacts"),
    ],
)
def test_a_bad_registration_is_refused_with_the_rfc_7591_error(
    client: Client, changes: dict[str, Any], error: str, words: str
) -> None:
    response = register(client, registration_request(**changes))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == error
    assert words in body["error_description"]
    assert not ClientRegistration.objects.exists()
    assert not get_application_model().objects.exists()


@pytest.mark.parametrize("body", ["not json", "[]", '"a string"'])
def test_a_registration_that_is_no_json_object_is_refused(client: Client, body: str) -> None:
    response = register(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_registration_takes_only_post(client: Client) -> None:
    assert client.get("/oauth/register").status_code == 405


def test_the_scopes_registered_are_kept_once_each(client: Client) -> None:
    scope = f"{CREDENTIAL_READONLY} {CREDENTIAL_READONLY}"
    body = register(client, registration_request(scope=scope)).json()
    assert body["scope"] == CREDENTIAL_READONLY


def test_operators_see_clients_and_tokens_read_only(client: Client) -> None:
    register(client, registration_request())
    client.force_login(make_user(is_staff=True, is_superuser=True))
    for path in (
        "/admin/oauth2_provider/application/",
        "/admin/oauth2_provider/accesstoken/",
        "/admin/obapi/clientregistration/",
    ):
        assert client.get(path).status_code == 200, path
    application = get_application_model().objects.get()
    page = client.get(f"/admin/oauth2_provider/application/{application.pk}/change/")
    assert page.status_code == 200 and "/admin/r/" not in page.content.decode()
    assert client.get("/admin/oauth2_provider/application/add/").status_code == 403
    change = client.post(f"/admin/oauth2_provider/application/{application.pk}/change/", {})
    assert change.status_code == 403
