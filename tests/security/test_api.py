"""The public API and what browsers and caches see, tried as an attacker and a verifier would.

Run alone: ``python -m pytest tests/security/test_api.py``.

- Cross-origin reads (CORS) are open for the public documents a credential points at, so
  browser-based verifiers can check them, and for nothing that reads the session.
- Status lists are cached briefly and revalidated by ETag, so a revocation shows within seconds.
- Every API error, whoever raises it (no route, wrong method, a body too large, a crash), is
  JSON in one shape; an anonymous write is asked to authenticate (401), not refused for CSRF.
- The OpenAPI document describes what each operation really returns: no two schemas share a name.
- ``POST /api/v1/verify`` gives anyone the /verify page's report as JSON; each address may
  send only so many requests, and bad or oversized input gets a JSON error naming the problem.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import itertools
import json
import secrets
import socket
import threading
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema
from pydantic import BaseModel

from microcred.awards import services as awards
from microcred.organisations import services as organisations
from microcred.quality import report as qa_report
from microcred.site.urls import api  # the API with every app's routes mounted
from microcred.vc import Ed25519Multikey
from microcred.vc import verify as engine_verify
from microcred.vc.baking import bake
from microcred.verification import services as verification
from microcred.verification.samples import badge_png
from tests.factories import FIXED_NOW, signed_credential
from tests.platform.accounts.factories import bearer
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import make_user

pytestmark = pytest.mark.django_db

OTHER_ORIGIN = "https://verifier.example"


@pytest.fixture(autouse=True)
def _platform(settings) -> None:
    settings.PUBLIC_URL = "https://microcred.test"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def issued():
    organisation, registrar, version = make_issuer(slug="uu")
    award = issue(registrar, version, learner_email="ada@example.org")
    return organisation, registrar, version, award


def local_path(url: str) -> str:
    """Return the path of one of this platform's public URLs, to request it in the test."""
    assert url.startswith(settings.PUBLIC_URL), url
    return url.removeprefix(settings.PUBLIC_URL)


def status_list_paths(award) -> list[str]:
    """Return the paths of the status lists the signed credential points at."""
    entries = awards.get_credential_document(award)["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    return sorted({local_path(entry["statusListCredential"]) for entry in entries})


def public_document_paths(issued) -> list[str]:
    """Every kind of public document a credential points at, as a verifier reads it."""
    organisation, _, version, award = issued
    credential = awards.get_credential_document(award)
    achievement = credential["credentialSubject"]["achievement"]
    return [
        *status_list_paths(award),
        f"/credentials/{award.uuid}",
        f"/credentials/{award.uuid}.json",
        local_path(achievement["id"]),
        local_path(achievement["id"]) + ".json",
        local_path(organisations.get_did_document_url(organisation)),
        f"/orgs/{organisation.slug}/profile.json",
        local_path(qa_report.report_url(version)),
        local_path(qa_report.report_url(version)).rstrip("/") + ".json",
    ]


# -- CORS --------------------------------------------------------------------------------------


def test_public_documents_are_readable_from_any_origin(client: Client, issued) -> None:
    for path in public_document_paths(issued):
        response = client.get(path, headers={"origin": OTHER_ORIGIN, "accept": "application/json"})
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response, path


def test_a_preflight_for_a_public_document_is_answered(client: Client, issued) -> None:
    """A browser asks first when the script sends a header that is not simple (If-None-Match)."""
    for path in public_document_paths(issued):
        response = client.options(
            path,
            headers={
                "origin": OTHER_ORIGIN,
                "access-control-request-method": "GET",
                "access-control-request-headers": "if-none-match",
            },
        )
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "GET" in response["Access-Control-Allow-Methods"], path
        assert "if-none-match" in response["Access-Control-Allow-Headers"], path


@pytest.mark.parametrize(
    "path",
    [
        "/studio/",
        "/login",
        "/verify",
        "/studio/orgs/uu/",
        "/api/v1/me",
        "/api/v1/orgs",
        "/api/openapi.json",
        "/admin/",
        "/orgs/uu/",
        "/catalogue/",
    ],
)
def test_nothing_that_reads_the_session_is_opened(client: Client, issued, path: str) -> None:
    response = client.get(path, headers={"origin": OTHER_ORIGIN})
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(
        path, headers={"origin": OTHER_ORIGIN, "access-control-request-method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_the_staff_pages_of_an_award_stay_closed(client: Client, issued) -> None:
    organisation, _, _, award = issued
    path = f"/studio/orgs/{organisation.slug}/awards/{award.uuid}"
    response = client.get(path, headers={"origin": OTHER_ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


@contextlib.contextmanager
def other_origin(folder: Path) -> Iterator[str]:
    """Serve ``folder`` from another origin (another port on this machine); yield its URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


FETCH = """async ([url, headers]) => {
    try {
        const response = await fetch(url, {headers});
        return {status: response.status, etag: response.headers.get("ETag")};
    } catch (error) {
        return {error: String(error)};
    }
}"""


@pytest.mark.browser
def test_a_verifier_page_on_another_origin_reads_a_status_list_in_a_browser(
    page, live_server, issued, tmp_path: Path
) -> None:
    """Chromium enforces CORS as verifiers' users meet it: the list is readable, the API is not."""
    [path, *_] = status_list_paths(issued[3])
    (tmp_path / "verifier.html").write_text("<!doctype html><title>A verifier</title>")
    with other_origin(tmp_path) as origin:
        page.goto(f"{origin}/verifier.html")
        read = page.evaluate(FETCH, [f"{live_server.url}{path}", {}])
        assert read["status"] == 200, read
        assert read["etag"], "the ETag is exposed to scripts"
        revalidated = page.evaluate(
            FETCH, [f"{live_server.url}{path}", {"If-None-Match": read["etag"]}]
        )
        assert revalidated["status"] in (200, 304), revalidated
        private = page.evaluate(FETCH, [f"{live_server.url}/api/v1/me", {}])
        assert "error" in private, private


# -- status lists and caches -------------------------------------------------------------------


def test_a_status_list_has_a_short_lifetime_and_an_etag(client: Client, issued) -> None:
    for path in status_list_paths(issued[3]):
        response = client.get(path)
        assert response.status_code == 200
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "must-revalidate", f"max-age={settings.STATUS_LIST_MAX_AGE}"} <= (
            cache_control
        )
        assert settings.STATUS_LIST_MAX_AGE <= 60
        assert response["ETag"].startswith('"')


def test_an_unchanged_status_list_answers_304(client: Client, issued) -> None:
    [path, *_] = status_list_paths(issued[3])
    etag = client.get(path)["ETag"]
    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "max-age" in response["Cache-Control"]
    head = client.head(path)
    assert head.status_code == 200 and head["ETag"] == etag


def test_a_revocation_changes_the_etag_so_no_cache_keeps_the_old_list(
    client: Client, issued
) -> None:
    _, registrar, _, award = issued
    before = {path: client.get(path)["ETag"] for path in status_list_paths(award)}
    awards.revoke_award(actor=registrar, award=award, reason="Issued in error.")
    changed = []
    for path, etag in before.items():
        response = client.get(path, headers={"if-none-match": etag})
        if response.status_code == 200:
            assert response["ETag"] != etag
            changed.append(path)
        else:
            assert response.status_code == 304
    assert changed, "the revocation re-signed no status list"


def test_each_representation_of_a_status_list_has_its_own_etag(client: Client, issued) -> None:
    [path, *_] = status_list_paths(issued[3])
    plain = client.get(path, headers={"accept": "application/json"})
    vc = client.get(path, headers={"accept": "application/vc+ld+json"})
    assert plain["ETag"] != vc["ETag"]
    assert "Accept" in plain["Vary"]
    assert json.loads(plain.content) == json.loads(vc.content)


# -- the verification API ----------------------------------------------------------------------

VERIFY = "/api/v1/verify"
_addresses = (f"198.51.100.{number}" for number in itertools.count(1))


@pytest.fixture
def address() -> str:
    """A client address of this test's own, so that no other test's requests count against it."""
    return next(_addresses)


@pytest.fixture
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def post(client: Client, body: Any, content_type: str, address: str, **extra: Any):
    return client.post(VERIFY, body, content_type=content_type, REMOTE_ADDR=address, **extra)


def assert_error(response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """Check the API's error shape and return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "field", "data"}
    assert body["code"] == code
    assert body["field"] == field
    assert body["message"]
    return body


def test_a_browser_based_verifier_on_another_origin_may_call_the_api(
    client: Client, key: Ed25519Multikey, address: str
) -> None:
    preflight = client.options(
        VERIFY,
        headers={
            "origin": OTHER_ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "content-type" in preflight["Access-Control-Allow-Headers"]
    response = post(
        client,
        json.dumps(signed_credential(key)),
        "application/json",
        address,
        headers={"origin": OTHER_ORIGIN},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_anyone_verifies_a_credential_and_reads_the_report_as_json(
    client: Client, key: Ed25519Multikey, address: str
) -> None:
    signed = signed_credential(key)
    response = post(client, json.dumps(signed), "application/json", address)
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True
    [report] = body["reports"]
    [expected] = engine_verify(signed, source="request body", now=FIXED_NOW)
    assert report["name"] == expected.name == "Assessment Literacy for Educators"
    assert report["issuer"] == key.public.did_key
    assert [(check["id"], check["status"]) for check in report["checks"]] == [
        (check.id, str(check.status)) for check in expected.checks
    ]


def test_the_api_and_the_page_give_the_same_verdict(
    client: Client, key: Ed25519Multikey, address: str
) -> None:
    tampered = signed_credential(key)
    tampered["name"] = "Changed after signing"
    body = post(client, json.dumps(tampered), "application/json", address).json()
    page = client.post("/verify", {"credential": json.dumps(tampered)}).content.decode()
    assert body["verified"] is False
    assert 'data-verified="false"' in page
    [report] = body["reports"]
    failed = [check["id"] for check in report["checks"] if check["status"] == "failed"]
    assert "proof.signature" in failed
    for check_id in failed:
        assert check_id in page


def test_an_issued_credential_verifies_until_it_is_revoked(client: Client, issued) -> None:
    _, registrar, _, award = issued
    document = client.get(f"/credentials/{award.uuid}.json").content
    body = post(client, document, "application/json", next(_addresses)).json()
    assert body["verified"] is True, body
    awards.revoke_award(actor=registrar, award=award, reason="Issued in error.")
    body = post(client, document, "application/json", next(_addresses)).json()
    assert body["verified"] is False
    checks = {check["id"]: check["status"] for check in body["reports"][0]["checks"]}
    # One status entry per credential (docs/decisions/0008): revocation sets its bit for good.
    assert checks["status.suspension"] == "failed"


def test_every_input_the_page_takes_is_taken(
    client: Client, key: Ed25519Multikey, address: str
) -> None:
    signed = signed_credential(key)
    token = signed_credential(key, suite="vc-jwt")
    png = bake(badge_png(), json.dumps(signed))
    lines = "\n".join(json.dumps(item) for item in (signed, signed_credential(key)))
    answers = [
        post(client, token, "application/jwt", address),
        post(client, token, "text/plain", address),
        post(client, json.dumps([signed, signed]), "application/ld+json", address),
        post(client, lines, "application/x-ndjson", address),
        post(client, png, "image/png", address),
        post(client, png, "application/octet-stream", address),
        client.post(VERIFY, {"credential": token}, REMOTE_ADDR=address),
        client.post(VERIFY, {"file": SimpleUploadedFile("badge.png", png)}, REMOTE_ADDR=address),
    ]
    for number, response in enumerate(answers):
        assert response.status_code == 200, (number, response.content)
        assert response.json()["verified"] is True, number
    assert len(answers[2].json()["reports"]) == 2
    assert "baked in PNG" in answers[4].json()["reports"][0]["format"]


def test_an_anonymous_post_needs_no_csrf_token(key: Ed25519Multikey, address: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = post(strict, json.dumps(signed_credential(key)), "application/json", address)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code", "field"),
    [
        ("", "application/json", 422, "input.invalid", "body"),
        ("hello world", "text/plain", 422, "input.unreadable", None),
        ("[]", "application/json", 422, "input.unreadable", None),
        ("42", "application/json", 422, "input.unreadable", None),
        (
            "credential=x",
            "application/x-www-form-urlencoded",
            415,
            "input.unsupported_media_type",
            "Content-Type",
        ),
        ("<html/>", "text/html", 415, "input.unsupported_media_type", "Content-Type"),
    ],
)
def test_bad_input_gets_a_json_error_naming_the_problem(
    client: Client, address: str, body: str, content_type: str, status: int, code: str, field
) -> None:
    assert_error(post(client, body, content_type, address), status, code, field)


def test_bad_form_input_names_the_field(client: Client, address: str) -> None:
    both = client.post(
        VERIFY,
        {"credential": "eyJ.x.y", "file": SimpleUploadedFile("c.json", b"{}")},
        REMOTE_ADDR=address,
    )
    assert "not both" in assert_error(both, 422, "input.invalid")["message"]
    empty = client.post(VERIFY, {"file": SimpleUploadedFile("c.json", b"")}, REMOTE_ADDR=address)
    assert "empty" in assert_error(empty, 422, "input.invalid", "file")["message"]


def test_an_oversized_body_is_refused_before_it_is_read(
    client: Client, settings, address: str
) -> None:
    settings.VERIFY_MAX_UPLOAD_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000 + 64 * 1024
    body = assert_error(
        post(client, "{" + " " * 2000 + "}", "application/json", address),
        413,
        "input.too_large",
        "body",
    )
    assert body["data"] == {"limit": 1000, "size": 2002}
    assert "up to 1,000 bytes" in body["message"]
    upload = SimpleUploadedFile("big.json", b"{" + b" " * 2000 + b"}")
    response = client.post(VERIFY, {"file": upload}, REMOTE_ADDR=address)
    assert (
        "files up to 1,000 bytes"
        in assert_error(response, 413, "input.too_large", "file")["message"]
    )
    huge = SimpleUploadedFile("huge.json", b"{" + b" " * 70_000 + b"}")
    response = client.post(VERIFY, {"file": huge}, REMOTE_ADDR=address)
    assert_error(response, 413, "input.too_large", "body")


def test_too_many_requests_from_one_address_get_429_with_retry_after(
    client: Client, settings, key: Ed25519Multikey, address: str
) -> None:
    settings.VERIFY_RATE_LIMIT = "3/minute"
    signed = json.dumps(signed_credential(key))
    # Unreadable requests count too: garbage must not keep the verifier busy either.
    assert post(client, "garbage", "text/plain", address).status_code == 422
    for _ in range(2):
        assert post(client, signed, "application/json", address).status_code == 200
    refused = post(client, signed, "application/json", address)
    body = assert_error(refused, 429, "rate_limited")
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 60
    assert body["data"]["retryAfter"] == retry_after
    assert "3 per 1 minute" in body["message"]
    other = next(_addresses)
    assert post(client, signed, "application/json", other).status_code == 200


def test_a_client_behind_proxies_cannot_forge_its_address(
    client: Client, settings, key: Ed25519Multikey
) -> None:
    """With one proxy, only the entry the proxy appended counts; what the client wrote does not."""
    settings.VERIFY_RATE_LIMIT = "2/minute"
    settings.PROXY_COUNT = 1
    client_address = next(_addresses)
    signed = json.dumps(signed_credential(key))
    statuses = [
        post(
            client,
            signed,
            "application/json",
            "127.0.0.1",
            headers={"x-forwarded-for": f"10.0.0.{number}, {client_address}"},
        ).status_code
        for number in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_an_ipv6_client_is_counted_by_its_network(
    client: Client, settings, key: Ed25519Multikey
) -> None:
    settings.VERIFY_RATE_LIMIT = "2/minute"
    network = f"2001:db8:{next(_addresses).rsplit('.', 1)[1]}:1"
    signed = json.dumps(signed_credential(key))
    statuses = [
        post(client, signed, "application/json", f"{network}::{host}").status_code
        for host in (1, 2, 3)
    ]
    assert statuses == [200, 200, 429]


def test_the_limit_is_shared_through_redis(client: Client, settings, key: Ed25519Multikey) -> None:
    """Several processes count together when the counts live in Redis."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.RATE_LIMIT_STORAGE = "redis://127.0.0.1:6379/0"
    settings.VERIFY_RATE_LIMIT = "1/minute"
    # A network of this run's own: counts left in Redis by an earlier run do not apply.
    address = f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::1"
    signed = json.dumps(signed_credential(key))
    assert post(client, signed, "application/json", address).status_code == 200
    assert post(client, signed, "application/json", address).status_code == 429


# -- the OpenAPI document ----------------------------------------------------------------------


def operations() -> Iterator[tuple[str, str, Any]]:
    """Yield ``(method, path, operation)`` for every operation of the API."""
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method.lower(), f"/api/v1{prefix.rstrip('/')}{path}", operation


def models_in(annotation: Any, seen: set[type] | None = None) -> Iterator[type[BaseModel]]:
    """Yield every pydantic model an annotation uses, nested ones included."""
    seen = set() if seen is None else seen
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from models_in(field.annotation, seen)
    for argument in typing.get_args(annotation):
        yield from models_in(argument, seen)


def resolved(schema: Any, definitions: dict[str, Any], path: tuple[str, ...] = ()) -> Any:
    """Return ``schema`` with every $ref replaced by what it names (titles left out).

    A model that contains itself (a report's nested reports) stays a named reference
    the second time round.
    """
    if isinstance(schema, list):
        return [resolved(item, definitions, path) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in path:
            return {"recursive": name}
        return resolved(definitions[name], definitions, (*path, name))
    return {
        key: resolved(value, definitions, path) for key, value in schema.items() if key != "title"
    }


def test_no_two_schemas_of_the_api_share_a_name() -> None:
    """Schemas are filed by name: a second class of the same name silently replaces the first."""
    classes: dict[str, set[type]] = {}
    for _, _, operation in operations():
        annotations = [
            model.model_fields["response"].annotation
            for model in operation.response_models.values()
            if model
        ]
        annotations += [
            field.annotation for model in operation.models for field in model.model_fields.values()
        ]
        for annotation in annotations:
            for model in models_in(annotation):
                classes.setdefault(model.__name__, set()).add(model)
    duplicates = {
        name: sorted(f"{model.__module__}.{model.__qualname__}" for model in models)
        for name, models in classes.items()
        if len(models) > 1
    }
    assert not duplicates


def test_every_operation_documents_the_response_its_handler_returns(client: Client) -> None:
    document = client.get("/api/openapi.json").json()
    components = document["components"]["schemas"]
    wrong = []
    for method, path, operation in operations():
        documented = document["paths"][path][method]["responses"]
        for status, model in operation.response_models.items():
            if not model:
                continue
            own = model.model_json_schema(
                ref_template=REF_TEMPLATE,
                by_alias=operation.by_alias,
                schema_generator=NinjaGenerateJsonSchema,
                mode="serialization",
            )
            expected = resolved(own["properties"]["response"], own.get("$defs", {}))
            content = documented[str(status)]["content"]["application/json"]["schema"]
            if resolved(content, components) != expected:
                wrong.append(f"{method.upper()} {path} {status}")
    assert not wrong


# -- API errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/nope", 404, "not_found"),
        ("get", "/api/v1/", 404, "not_found"),
        ("post", "/api/v2/verify", 404, "not_found"),
        ("get", "/api/v1/verify", 405, "method_not_allowed"),
        ("delete", "/api/v1/me", 405, "method_not_allowed"),
        ("put", "/api/v1/orgs", 405, "method_not_allowed"),
    ],
)
def test_errors_outside_the_handlers_are_json_too(
    client: Client, method: str, path: str, status: int, code: str
) -> None:
    response = getattr(client, method)(path)
    body = assert_error(response, status, code)
    assert path in body["message"]
    if status == 405:
        assert response["Allow"]
        assert method.upper() not in response["Allow"]


def test_a_crash_is_a_json_500_and_gives_nothing_away(
    key: Ed25519Multikey, address: str, monkeypatch
) -> None:
    """A bug in a handler (here: the service raises something nobody expected)."""

    def broken(**arguments: Any) -> None:
        raise RuntimeError("secret detail from inside")

    monkeypatch.setattr(verification, "verify_payload", broken)
    client = Client(raise_request_exception=False)
    response = post(client, json.dumps(signed_credential(key)), "application/json", address)
    body = assert_error(response, 500, "server.error")
    assert "secret detail" not in response.content.decode()
    assert body["data"] == {}


def test_a_body_over_the_limit_is_a_json_413_on_any_endpoint(client: Client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    user = make_user()
    response = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "x" * 2000}),
        content_type="application/json",
        headers=bearer(user),
    )
    body = assert_error(response, 413, "input.too_large", "body")
    assert body["data"]["limit"] == 1000


def test_an_anonymous_write_is_asked_to_authenticate(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    for path in ("/api/v1/orgs", "/api/v1/tokens"):
        response = strict.post(path, "{}", content_type="application/json")
        assert_error(response, 401, "auth.required")


def test_a_session_write_still_needs_the_csrf_token() -> None:
    user = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert_error(refused, 403, "csrf.failed", "X-CSRFToken")
    browser.get("/studio/tokens")
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        "/api/v1/tokens",
        {"name": "laptop"},
        content_type="application/json",
        headers={"x-csrftoken": token},
    )
    assert allowed.status_code == 201, allowed.content


def test_a_token_write_needs_no_csrf_token() -> None:
    user = make_user()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/tokens", {"name": "ci"}, content_type="application/json", headers=bearer(user)
    )
    assert response.status_code == 201
