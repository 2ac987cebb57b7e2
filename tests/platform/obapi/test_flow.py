"""The Open Badges 3.0 API end to end, driven by a client written in the test (client.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from oauth2_provider.models import get_access_token_model

from microcred.awards import services as awards
from microcred.obapi.oauth import (
    CREDENTIAL_READONLY,
    CREDENTIAL_UPSERT,
    PROFILE_READONLY,
    PROFILE_UPDATE,
)
from microcred.pathways import services as pathways
from microcred.vc import Ed25519Multikey, sign
from microcred.verification.samples import sample_credential
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import make_user
from tests.platform.obapi.client import REDIRECT_URI, ObClient, pkce_pair


def links(response: Any) -> dict[str, dict[str, list[str]]]:
    """Return each relation of the ``Link`` header with its URL's query."""
    found = {}
    for part in response["Link"].split(", "):
        url, rel = part.split("; ")
        assert url.startswith(f"<{settings.PUBLIC_URL}/ims/ob/v3p0/credentials?")
        found[rel.removeprefix('rel="').rstrip('"')] = parse_qs(urlsplit(url[1:-1]).query)
    return found


def external_credential(key: Ed25519Multikey, **changes: Any) -> dict[str, Any]:
    """A credential of another issuer (did:key), signed with ``key``."""
    credential = sample_credential(
        issuer=key.public.did_key, valid_from=datetime.now(UTC) - timedelta(days=1)
    )
    credential.update(changes)
    return sign(credential, key=key)


@pytest.fixture
def learner():
    return make_user()


@pytest.fixture
def browser(learner) -> Client:
    browser = Client()
    browser.force_login(learner)
    return browser


@pytest.fixture
def held(learner) -> list[Any]:
    """Three awards of the platform to the learner: two JSON with Data Integrity, one VC-JWT."""
    _, registrar, version = make_issuer()
    return [
        issue(
            registrar,
            version,
            learner=learner,
            learner_email=learner.email,
            idempotency_key=f"award-{index}",
            format=kind,
        )
        for index, kind in enumerate(["ldp", "jwt", "ldp"])
    ]


@pytest.fixture
def connected(browser) -> ObClient:
    client = ObClient(Client())
    client.discover()
    client.register()
    client.connect(browser)
    return client


def test_the_service_description_names_every_endpoint_absolutely(client: Client) -> None:
    ob = ObClient(client)
    description = ob.discover()
    assert description["openapi"].startswith("3.0")
    assert description["servers"] == [{"url": f"{settings.PUBLIC_URL}/ims/ob/v3p0"}]
    assert ob.scheme["type"] == "oauth2"
    assert ob.scheme["x-imssf-registrationUrl"] == f"{settings.PUBLIC_URL}/oauth/register"
    assert ob.flow["authorizationUrl"] == f"{settings.PUBLIC_URL}/oauth/authorize/"
    assert ob.flow["tokenUrl"] == ob.flow["refreshUrl"] == f"{settings.PUBLIC_URL}/oauth/token/"
    assert set(ob.flow["scopes"]) == {
        CREDENTIAL_READONLY,
        CREDENTIAL_UPSERT,
        PROFILE_READONLY,
        PROFILE_UPDATE,
    }
    operations = {
        operation["operationId"]
        for path in description["paths"].values()
        for operation in path.values()
    }
    for path in description["paths"].values():
        for operation in path.values():
            assert "200" in operation["responses"]
            for requirement in operation.get("security", []):
                assert set(requirement["OAuth2ACG"]) <= set(ob.flow["scopes"])
    assert operations == {
        "getCredentials",
        "upsertCredential",
        "getProfile",
        "putProfile",
        "getServiceDescription",
    }


def test_a_platform_connects_reads_sends_and_refreshes(browser, learner, held) -> None:
    ob = ObClient(Client())
    ob.discover()
    registered = ob.register()
    assert registered["client_secret"] and registered["client_secret_expires_at"] == 0
    tokens = ob.connect(browser)
    assert tokens["token_type"] == "Bearer"
    assert set(tokens["scope"].split()) == set(ob.flow["scopes"])

    # Paging: two per page over three awards.
    first = ob.call("GET", "/credentials?limit=2")
    assert first.status_code == 200, first.content
    assert first["X-Total-Count"] == "3"
    assert links(first) == {
        "first": {"limit": ["2"], "offset": ["0"]},
        "last": {"limit": ["2"], "offset": ["2"]},
        "next": {"limit": ["2"], "offset": ["2"]},
    }
    second = ob.call("GET", "/credentials?limit=2&offset=2")
    assert set(links(second)) == {"first", "last", "prev"}
    assert links(second)["prev"] == {"limit": ["2"], "offset": ["0"]}
    pages = [first.json(), second.json()]
    jws = [item for page in pages for item in page["compactJwsStrings"]]
    documents = [item for page in pages for item in page["credential"]]
    # Exactly as stored: the JWT's string, the JSON documents' every member.
    assert jws == [held[1].signed_credential]
    assert documents == [json.loads(held[index].signed_credential) for index in (0, 2)]

    # Upsert: new (201), the same again (200), a newer one with the same id replaces it (200).
    key = Ed25519Multikey.generate()
    sent = external_credential(key)
    created = ob.call("POST", "/credentials", json.dumps(sent))
    assert created.status_code == 201, created.content
    assert created.json() == sent
    assert ob.call("POST", "/credentials", json.dumps(sent)).status_code == 200
    renamed = external_credential(key, id=sent["id"], name="Assessment Literacy, renewed")
    replaced = ob.call("POST", "/credentials", json.dumps(renamed))
    assert replaced.status_code == 200, replaced.content
    [kept] = pathways.get_external_credentials(learner)
    assert kept.verified and json.loads(kept.document) == renamed
    everything = ob.call("GET", "/credentials")
    assert everything["X-Total-Count"] == "4"
    assert everything.json()["credential"][-1] == renamed

    # Profile: read, replace, read again.
    profile = ob.call("GET", "/profile").json()
    assert profile["type"] == ["Profile"] and profile["email"] == learner.email
    update = {**profile, "name": "Ada L.", "url": "https://ada.example.org/", "phone": "+44 1"}
    changed = ob.call("PUT", "/profile", json.dumps(update))
    assert changed.status_code == 200, changed.content
    assert ob.call("GET", "/profile").json() == update

    # Refresh: a new pair; the old refresh token is spent.
    old_access, old_refresh = ob.access_token, ob.refresh_token
    assert ob.refresh().status_code == 200
    assert ob.refresh_token != old_refresh and ob.access_token != old_access
    assert ob.call("GET", "/profile").status_code == 200
    reused = ob.token(grant_type="refresh_token", refresh_token=old_refresh)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_a_vc_jwt_is_received_and_given_back_as_sent(connected: ObClient, learner) -> None:
    key = Ed25519Multikey.generate()
    credential = sample_credential(
        issuer=key.public.did_key, valid_from=datetime.now(UTC) - timedelta(days=1)
    )
    token = sign(credential, key=key, suite="vc-jwt")
    created = connected.call("POST", "/credentials", token, content_type="text/plain")
    assert created.status_code == 201, created.content
    assert created["Content-Type"].startswith("text/plain")
    assert created.content.decode() == token
    again = connected.call("POST", "/credentials", token, content_type="text/plain")
    assert again.status_code == 200
    assert connected.call("GET", "/credentials").json()["compactJwsStrings"] == [token]


def status_info(response: Any, status: int, minor: str) -> str:
    """Check an ``Imsx_StatusInfo`` error; return its description."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_severity"] == "error"
    [field] = body["imsx_codeMinor"]["imsx_codeMinorField"]
    assert field == {
        "imsx_codeMinorFieldName": "TargetEndSystem",
        "imsx_codeMinorFieldValue": minor,
    }
    return body["imsx_description"]


def test_a_forged_credential_is_refused_and_nothing_is_kept(connected: ObClient, learner) -> None:
    key = Ed25519Multikey.generate()
    forged = external_credential(key)
    forged["name"] = "Assessment Mastery"
    description = status_info(
        connected.call("POST", "/credentials", json.dumps(forged)), 400, "invalid_data"
    )
    assert "does not verify" in description and "proof" in description
    # Signed by a key that is not the issuer's.
    impostor = external_credential(Ed25519Multikey.generate(), issuer=forged["issuer"])
    status_info(connected.call("POST", "/credentials", json.dumps(impostor)), 400, "invalid_data")
    assert pathways.get_external_credentials(learner) == []
    assert connected.call("GET", "/credentials")["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ("{not json", "application/json", 400, "not JSON"),
        ("[1, 2]", "application/json", 400, "JSON object"),
        ("not.a.jwt!", "text/plain", 400, "compact JWS"),
        ("<credential/>", "application/xml", 415, "application/json"),
        ('{"@context": []}', "application/json", 400, "body"),
    ],
)
def test_an_unreadable_upsert_is_refused(
    connected: ObClient, body: str, content_type: str, status: int, words: str
) -> None:
    response = connected.call("POST", "/credentials", body, content_type=content_type)
    assert words in status_info(response, status, "invalid_data")


def test_missing_wrong_and_expired_tokens_are_401(connected: ObClient) -> None:
    for token in ("", "not-a-token"):
        response = connected.call("GET", "/credentials", token=token)
        status_info(response, 401, "unauthorizedrequest")
        assert response["WWW-Authenticate"].startswith("Bearer")
    get_access_token_model().objects.update(expires=datetime.now(UTC) - timedelta(seconds=1))
    status_info(connected.call("GET", "/profile"), 401, "unauthorizedrequest")


def test_a_token_without_the_scope_is_403(browser) -> None:
    ob = ObClient(Client())
    ob.discover()
    ob.register()
    ob.connect(browser, scope=CREDENTIAL_READONLY)
    assert ob.call("GET", "/credentials").status_code == 200
    refused = ob.call("POST", "/credentials", "{}")
    assert CREDENTIAL_UPSERT in status_info(refused, 403, "forbidden")
    assert 'error="insufficient_scope"' in refused["WWW-Authenticate"]
    for method in ("GET", "PUT"):
        status_info(ob.call(method, "/profile", "{}"), 403, "forbidden")


def test_a_client_gets_no_scope_it_did_not_register(browser) -> None:
    ob = ObClient(Client())
    ob.discover()
    ob.register(scope=CREDENTIAL_READONLY)
    _, challenge = pkce_pair()
    url = ob.authorize_url(challenge, scope=f"{CREDENTIAL_READONLY} {CREDENTIAL_UPSERT}")
    answer = browser.get(url)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert answer["Location"].startswith(REDIRECT_URI)
    assert query["error"] == ["invalid_scope"]


def test_a_wrong_pkce_verifier_and_a_replayed_code_are_refused(browser) -> None:
    ob = ObClient(Client())
    ob.discover()
    ob.register()
    verifier, challenge = pkce_pair()
    code = ob.consent(browser, ob.authorize_url(challenge))["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    wrong = ob.token(**form, code_verifier=pkce_pair()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    missing = ob.token(**form)
    assert missing.status_code == 400
    # The code is good once; a second use is refused.
    verifier, challenge = pkce_pair()
    code = ob.consent(browser, ob.authorize_url(challenge))["code"][0]
    form["code"] = code
    assert ob.token(**form, code_verifier=verifier).status_code == 200
    replayed = ob.token(**form, code_verifier=verifier)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "changes",
    [
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
        {"code_challenge": "too-short"},
        {"code_challenge": None, "code_challenge_method": None},
    ],
    ids=["plain", "empty challenge", "short challenge", "no challenge"],
)
def test_pkce_is_s256_or_nothing(browser, changes: dict[str, str | None]) -> None:
    ob = ObClient(Client())
    ob.discover()
    ob.register()
    verifier, challenge = pkce_pair()
    plain = changes.get("code_challenge_method") == "plain"
    url = ob.authorize_url(verifier if plain else challenge, **changes)
    answer = browser.get(url)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer["Location"]).query)["error"] == ["invalid_request"]


def test_a_learner_who_says_no_sends_the_client_away(browser) -> None:
    ob = ObClient(Client())
    ob.discover()
    ob.register()
    query = ob.consent(browser, ob.authorize_url(pkce_pair()[1]), allow=False)
    assert query["error"] == ["access_denied"] and "code" not in query


def test_the_consent_page_asks_a_signed_in_learner(client: Client, browser) -> None:
    ob = ObClient(Client())
    ob.discover()
    ob.register()
    url = ob.authorize_url(pkce_pair()[1])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login")
    page = browser.get(url)
    html = page.content.decode()
    assert "Connect Example Backpack?" in html
    assert "Add credentials to your backpack here" in html
    assert "https://backpack.example.org/privacy" in html
    assert "<script" not in html and "style=" not in html
    assert "form-action 'self' https://backpack.example.org" in page["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=two", "limit"),
        ("offset=-1", "offset"),
        ("since=yesterday", "since"),
        ("since=2026-01-01T00:00:00", "since"),
    ],
)
def test_bad_paging_is_refused_naming_the_parameter(
    connected: ObClient, query: str, field: str
) -> None:
    response = connected.call("GET", f"/credentials?{query}")
    assert status_info(response, 400, "invalid_query_parameter").startswith(f"{field}:")


def test_paging_past_the_end_and_since(connected: ObClient, held) -> None:
    beyond = connected.call("GET", "/credentials?limit=2&offset=10")
    assert beyond.status_code == 200
    assert beyond.json() == {"compactJwsStrings": [], "credential": []}
    assert beyond["X-Total-Count"] == "3"
    assert links(beyond)["prev"] == {"limit": ["2"], "offset": ["2"]}
    assert "next" not in links(beyond)
    big = connected.call("GET", "/credentials?limit=1000")
    assert links(big)["first"] == {"limit": ["100"], "offset": ["0"]}
    since = held[0].issued_at.isoformat()
    later = connected.call("GET", f"/credentials?since={since.replace('+00:00', 'Z')}")
    assert later["X-Total-Count"] == "2"
    assert links(later)["first"]["since"] == [since.replace("+00:00", "Z")]


def test_no_credentials_is_an_empty_first_page(connected: ObClient) -> None:
    response = connected.call("GET", "/credentials")
    assert response["X-Total-Count"] == "0"
    assert links(response) == {
        "first": {"limit": ["100"], "offset": ["0"]},
        "last": {"limit": ["100"], "offset": ["0"]},
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "urn:uuid:00000000-0000-0000-0000-000000000000"}, "id"),
        ({"email": "someone@example.org"}, "email"),
        ({"address": {"addressCountry": "IE"}}, "address"),
        ({"url": "http://ada.example.org/"}, "url"),
        ({"type": ["Organization"]}, "type"),
        ({"name": 42}, "name"),
    ],
)
def test_a_bad_profile_update_is_refused_naming_the_field(
    connected: ObClient, changes: dict[str, Any], field: str
) -> None:
    profile = connected.call("GET", "/profile").json()
    response = connected.call("PUT", "/profile", json.dumps({**profile, **changes}))
    assert status_info(response, 400, "invalid_data").startswith(f"{field}:")
    assert connected.call("GET", "/profile").json() == profile


def test_a_profile_that_is_not_json_is_refused(connected: ObClient) -> None:
    status_info(connected.call("PUT", "/profile", "name=Ada"), 400, "invalid_data")


def test_an_inactive_learner_token_is_401(connected: ObClient, learner) -> None:
    learner.is_active = False
    learner.save()
    status_info(connected.call("GET", "/credentials"), 401, "unauthorizedrequest")


def test_the_credentials_are_the_learners_own(connected: ObClient, held) -> None:
    other = make_user()
    _, registrar, version = make_issuer()
    issue(registrar, version, learner=other, learner_email=other.email)
    assert connected.call("GET", "/credentials")["X-Total-Count"] == "3"
    assert len(awards.get_learner_awards(other)) == 1


def test_errors_outside_the_routes_are_status_info_too(connected: ObClient) -> None:
    refused = connected.call("DELETE", "/credentials")
    assert "GET" in status_info(refused, 405, "not_allowed")
    status_info(connected.call("GET", "/credentials/1"), 404, "not_found")


def test_a_browser_based_backpack_may_call_the_api_but_not_the_consent_page(
    connected: ObClient,
) -> None:
    origin = "https://backpack.example.org"
    preflight = connected.http.options(
        "/ims/ob/v3p0/credentials",
        headers={
            "origin": origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
        },
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight
    listed = connected.call("GET", "/credentials", content_type="application/json")
    assert listed.status_code == 200
    answered = connected.http.get(
        "/ims/ob/v3p0/credentials",
        headers={"origin": origin, "Authorization": f"Bearer {connected.access_token}"},
    )
    exposed = answered["Access-Control-Expose-Headers"]
    assert "X-Total-Count" in exposed and "Link" in exposed
    consent = connected.http.options(
        "/oauth/authorize/", headers={"origin": origin, "access-control-request-method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in consent


def test_an_award_of_ours_sent_back_is_listed_once(connected: ObClient, held) -> None:
    response = connected.call("POST", "/credentials", held[0].signed_credential)
    assert response.status_code in (200, 201), response.content
    listed = connected.call("GET", "/credentials")
    assert listed["X-Total-Count"] == "3"
    assert listed.json()["credential"].count(json.loads(held[0].signed_credential)) == 1


def test_an_unknown_client_is_told_on_the_page_not_redirected(browser) -> None:
    ob = ObClient(Client(), client_id="no-such-client")
    ob.discover()
    page = browser.get(ob.authorize_url(pkce_pair()[1]))
    assert page.status_code in (400, 401)
    assert "This connection cannot be made" in page.content.decode()
    assert "Location" not in page
