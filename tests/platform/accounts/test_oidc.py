"""Sign-in with an institution's OpenID Connect provider, against a small provider served by
the test on a real socket: discovery, JWKS, authorization, token (a signed id_token), userinfo."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey

from microcred.accounts.models import User
from microcred.accounts.services import get_verified_addresses
from tests.platform.factories import make_user

CLIENT_ID = "microcred-test"
CLIENT_SECRET = "a client secret"
LOGIN = "/account/oidc/institution/login/"


@dataclass
class Provider:
    """What the provider knows: its key, the person who signs in, the codes it handed out."""

    url: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "test-key"}))
    person: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    token_requests: list[dict[str, str]] = field(default_factory=list)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    {
                        "issuer": provider.url,
                        "authorization_endpoint": f"{provider.url}/authorize",
                        "token_endpoint": f"{provider.url}/token",
                        "userinfo_endpoint": f"{provider.url}/userinfo",
                        "jwks_uri": f"{provider.url}/jwks",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_post"],
                        "code_challenge_methods_supported": ["S256"],
                    }
                )
            elif url.path == "/jwks":
                self._json({"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                # The person has signed in at the institution and agrees: back with a code.
                assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
                assert query["code_challenge_method"] == "S256"
                code = secrets.token_urlsafe(16)
                provider.codes[code] = query
                location = (
                    f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
                self.send_response(302)
                self.send_header("Location", location)
                self.end_headers()
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in provider.tokens:
                    self._json({"error": "invalid_token"}, 401)
                else:
                    self._json(provider.person)
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.token_requests.append(form)
            asked = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if (
                self.path != "/token"
                or asked is None
                or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != asked["redirect_uri"]
                or challenge.decode() != asked["code_challenge"]
            ):
                self._json({"error": "invalid_grant"}, 400)
                return
            access_token = secrets.token_urlsafe(16)
            provider.tokens.add(access_token)
            now = int(time.time())
            claims = {
                "iss": provider.url,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "jti": secrets.token_hex(8),
                **provider.person,
            }
            if "nonce" in asked:
                claims["nonce"] = asked["nonce"]
            id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, provider.key)
            self._json({"access_token": access_token, "token_type": "Bearer", "id_token": id_token})

    return Handler


@pytest.fixture
def provider(settings) -> Iterator[Provider]:
    """A provider on a free port of the loopback interface, set up as the platform's."""
    state = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "institution",
                    "name": "Lakeside University",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": state.url},
                }
            ],
        }
    }
    yield state
    server.shutdown()
    thread.join()


def _sign_in_through(client: Client, provider: Provider, **form: str):
    """Press "Sign in with ...", pass the provider, and come back to the callback."""
    start = client.post(LOGIN, {"process": "login", **form})
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.url}/authorize")
    back = httpx.get(start["Location"], follow_redirects=False)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/account/oidc/institution/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def test_the_button_shows_only_when_a_provider_is_configured(client: Client, settings) -> None:
    assert "Sign in with" not in client.get("/login").content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "institution",
                    "name": "Lakeside University",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": "https://idp.example"},
                }
            ]
        }
    }
    page = client.get("/login").content.decode()
    assert "Sign in with Lakeside University" in page and f'action="{LOGIN}' in page


def test_a_new_person_signs_in_with_the_institution_and_lands_on_me(
    client: Client, provider: Provider
) -> None:
    provider.person = {
        "sub": "lu-4711",
        "email": "Ada@Lakeside.example",
        "email_verified": True,
        "name": "Ada Lovelace",
        "preferred_username": "admin",
    }

    response = _sign_in_through(client, provider)

    assert response.status_code == 302 and response["Location"] == "/me/"
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert get_verified_addresses(user) == ["ada@lakeside.example"]
    # The username comes from the address, never the provider's suggestion.
    assert user.username == "ada" and not user.has_usable_password()
    [token_request] = provider.token_requests
    assert token_request["code_verifier"]


def test_the_institutions_verified_address_signs_in_the_account_that_has_it(
    client: Client, provider: Provider
) -> None:
    ada = make_user(email="ada@lakeside.example")
    provider.person = {"sub": "lu-4711", "email": "ada@lakeside.example", "email_verified": True}

    response = _sign_in_through(client, provider, next="/catalogue/")

    assert response["Location"] == "/catalogue/"
    assert client.session["_auth_user_id"] == str(ada.pk)
    assert User.objects.filter(email__iexact="ada@lakeside.example").count() == 1


def test_an_address_the_institution_has_not_verified_must_be_verified_here(
    client: Client, provider: Provider, mailoutbox
) -> None:
    provider.person = {"sub": "lu-9", "email": "ben@lakeside.example", "email_verified": False}

    response = _sign_in_through(client, provider)

    assert response["Location"] == "/confirm-email"
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mailoutbox] == [["ben@lakeside.example"]]


def test_a_code_the_provider_refuses_signs_nobody_in(client: Client, provider: Provider) -> None:
    provider.person = {"sub": "lu-4711", "email": "ada@lakeside.example", "email_verified": True}
    start = client.post(LOGIN, {"process": "login"})
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    response = client.get(f"{LOGIN}callback/?{urlencode({'code': 'forged', 'state': state})}")

    assert "_auth_user_id" not in client.session
    assert response.status_code == 401 and "Third-Party Login Failure" in response.content.decode()
