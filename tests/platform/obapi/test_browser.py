"""A backpack connects over real HTTP: the learner consents in Chromium, the backpack's own
callback server on the loopback interface receives the code, and the backpack (httpx) trades it
for tokens and reads the learner's credentials from the live server."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import PASSWORD, make_user
from tests.platform.obapi.client import pkce_pair, registration_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Callback(BaseHTTPRequestHandler):
    """The backpack's redirect URI: it keeps the query it was sent back with."""

    received: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:
        address = urlsplit(self.path)
        if address.path == "/callback":  # not the browser's /favicon.ico
            Callback.received.append(parse_qs(address.query))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"connected")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def callback() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Callback.received.clear()
    yield f"http://127.0.0.1:{server.server_port}/callback"
    server.shutdown()
    server.server_close()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path


def test_a_backpack_connects_through_the_consent_page(browser, live_server, callback) -> None:
    learner = make_user()
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner=learner, learner_email=learner.email)

    with httpx.Client(base_url=live_server.url, timeout=30) as backpack:
        scheme = backpack.get("/ims/ob/v3p0/discovery").json()["components"]["securitySchemes"]
        flow = scheme["OAuth2ACG"]["flows"]["authorizationCode"]
        registered = backpack.post(
            path_of(scheme["OAuth2ACG"]["x-imssf-registrationUrl"]),
            json=registration_request(redirect_uris=[callback]),
        )
        assert registered.status_code == 201, registered.text
        client = registered.json()
        verifier, challenge = pkce_pair()
        query = {
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": callback,
            "scope": client["scope"],
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        authorize = f"{path_of(flow['authorizationUrl'])}?{urlencode(query)}"

        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}{authorize}")
        assert "/login" in page.url
        page.fill("input[name=login]", learner.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector("form#consent")
        assert "Connect Example Backpack?" in page.locator("h1").inner_text()
        page.click("button[name=allow]")
        page.wait_for_url(f"{callback}**")
        assert page.locator("body").inner_text() == "connected"
        context.close()

        [answer] = Callback.received
        assert answer["state"] == ["xyz"]
        basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode())
        tokens = backpack.post(
            path_of(flow["tokenUrl"]),
            data={
                "grant_type": "authorization_code",
                "code": answer["code"][0],
                "redirect_uri": callback,
                "code_verifier": verifier,
            },
            headers={"Authorization": f"Basic {basic.decode()}"},
        )
        assert tokens.status_code == 200, tokens.text
        bearer = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        listed = backpack.get("/ims/ob/v3p0/credentials", headers=bearer)
        assert listed.status_code == 200
        assert listed.headers["X-Total-Count"] == "1"
        assert listed.json()["credential"] == [json.loads(award.signed_credential)]
