"""The public API and what browsers and caches see, tried as an attacker and a verifier would.

Run alone: ``python -m pytest tests/security/test_api.py``.

- Cross-origin reads (CORS) are open for the public documents a credential points at, so
  browser-based verifiers can check them, and for nothing that reads the session.
- Status lists are cached briefly and revalidated by ETag, so a revocation shows within seconds.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from microcred.awards import services as awards
from microcred.organisations import services as organisations
from microcred.quality import report as qa_report
from tests.platform.awards.factories import issue, make_issuer

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
        assert "POST" not in response["Access-Control-Allow-Methods"], path


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
