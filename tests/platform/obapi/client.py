"""An Open Badges 3.0 API client written for the tests, as another platform would write one.

It discovers the endpoints from the service description, registers itself (RFC 7591), sends
the learner's browser through the consent page with a PKCE challenge (RFC 7636, S256), trades
the code for tokens and calls the API. The learner's browser is a Django test client that is
signed in; the client itself holds no session.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from oauth2_provider.settings import oauth2_settings

from microcred.obapi.oauth import SCOPES

ALL_SCOPES = " ".join(SCOPES)
REDIRECT_URI = "https://backpack.example.org/callback"


def registration_request(**changes: Any) -> dict[str, Any]:
    """Return the registration request of the spec's example, with ``changes``."""
    request = {
        "client_name": "Example Backpack",
        "client_uri": "https://backpack.example.org/",
        "logo_uri": "https://backpack.example.org/logo.png",
        "tos_uri": "https://backpack.example.org/terms",
        "policy_uri": "https://backpack.example.org/privacy",
        "software_id": "c88b6ed8-269e-448e-99be-7e2ff47167d1",
        "software_version": "v4.1.30",
        "redirect_uris": [REDIRECT_URI],
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "scope": ALL_SCOPES,
    }
    request.update(changes)
    return {key: value for key, value in request.items() if value is not None}


def pkce_pair() -> tuple[str, str]:
    """Return a code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.values[found["name"] or ""] = found.get("value") or ""


def hidden_inputs(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class ObClient:
    """One registered client; ``http`` is an anonymous test client (the client's own HTTP)."""

    http: Client
    discovery: dict[str, Any] = field(default_factory=dict)
    client_id: str = ""
    client_secret: str = ""
    access_token: str = ""
    refresh_token: str = ""

    def discover(self) -> dict[str, Any]:
        response = self.http.get("/ims/ob/v3p0/discovery")
        assert response.status_code == 200, response.content
        self.discovery = response.json()
        return self.discovery

    @property
    def scheme(self) -> dict[str, Any]:
        return self.discovery["components"]["securitySchemes"]["OAuth2ACG"]

    @property
    def flow(self) -> dict[str, Any]:
        return self.scheme["flows"]["authorizationCode"]

    def register(self, **changes: Any) -> dict[str, Any]:
        response = self.http.post(
            path_of(self.scheme["x-imssf-registrationUrl"]),
            registration_request(**changes),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        self.client_id, self.client_secret = body["client_id"], body.get("client_secret", "")
        return body

    def authorize_url(self, challenge: str, *, scope: str = ALL_SCOPES, **extra: str | None) -> str:
        """Return the authorization request; an ``extra`` of None leaves that parameter out."""
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": scope,
            "state": "state-1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        } | extra
        query = {key: value for key, value in query.items() if value is not None}
        return path_of(self.flow["authorizationUrl"]) + "?" + urlencode(query)

    def consent(self, browser: Client, url: str, *, allow: bool = True) -> dict[str, list[str]]:
        """Open the consent page in the learner's browser, answer it, and return the query
        the browser is sent back to the client with."""
        page = browser.get(url)
        assert page.status_code == 200, page.content
        form = hidden_inputs(page.content.decode())
        if allow:
            form["allow"] = "Authorize"
        answer = browser.post(url, form)
        assert answer.status_code == 302, answer.content
        location = answer["Location"]
        assert location.startswith(REDIRECT_URI), location
        return parse_qs(urlsplit(location).query)

    def token(self, **form: str) -> Any:
        """POST to the token endpoint, authenticated with client_secret_basic."""
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        return self.http.post(
            path_of(self.flow["tokenUrl"]),
            urlencode(form),
            content_type="application/x-www-form-urlencoded",
            headers={"Authorization": f"Basic {basic}"},
        )

    def connect(self, browser: Client, *, scope: str = ALL_SCOPES) -> dict[str, Any]:
        """Run the whole authorization code flow with PKCE; keep and return the tokens."""
        verifier, challenge = pkce_pair()
        query = self.consent(browser, self.authorize_url(challenge, scope=scope))
        assert query["state"] == ["state-1"]
        # RFC 9207: the answer names the server that gave it (the public address at start-up).
        assert query["iss"] == [oauth2_settings.OIDC_ISS_ENDPOINT]
        assert query["iss"][0].startswith("http")
        response = self.token(
            grant_type="authorization_code",
            code=query["code"][0],
            redirect_uri=REDIRECT_URI,
            code_verifier=verifier,
        )
        assert response.status_code == 200, response.content
        tokens = response.json()
        self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]
        return tokens

    def refresh(self) -> Any:
        response = self.token(grant_type="refresh_token", refresh_token=self.refresh_token)
        if response.status_code == 200:
            tokens = response.json()
            self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]
        return response

    def call(
        self,
        method: str,
        path: str,
        body: str | bytes = "",
        *,
        content_type: str = "application/json",
        token: str | None = None,
    ) -> Any:
        token = self.access_token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.generic(
            method, f"/ims/ob/v3p0{path}", body, content_type=content_type, headers=headers
        )
