"""Signing keys: rotation keeps old credentials verifying, a compromised key stops them.

The credentials here are signed with the platform's signer and verified by the
engine through the platform fetcher, which reads the DID document straight
from the database, exactly as the page at the did:web address serves it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations import services
from microcred.organisations.models import KeyStatus, Role
from microcred.vc import LocalFetcher, sign, verify
from microcred.vc.did import did_web_url
from microcred.vc.jsonld import DEFAULT_LOADER
from microcred.vc.rdfc import canonicalize
from tests.platform.accounts.factories import bearer
from tests.platform.awards.factories import issue, make_registrar, make_version
from tests.platform.factories import add_member, make_organisation, make_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def owner():
    return make_user(password=None)


@pytest.fixture
def organisation(owner):
    return make_organisation(owner, name="Utrecht University", slug="uu")


def signed_credential(organisation) -> dict:
    key, method = services.get_signer(organisation)
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:1b0c4a8e-5d8f-4c1e-9a55-0f3f1c2d7e61",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data Stewardship",
        "issuer": services.get_profile(organisation, embedded=True),
        "validFrom": "2026-09-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:learner",
            "achievement": {
                "id": "https://microcred.test/achievements/5f0c",
                "type": ["Achievement"],
                "name": "Data Stewardship",
                "description": "Manages research data across its life cycle.",
                "criteria": {"narrative": "Passed the assessed data management plan."},
            },
        },
    }
    return sign(credential, key=key, verification_method=method, created=NOW)


def failures(credential: dict) -> list[str]:
    """Return the ids of the checks that fail; nothing may reach the network."""
    fetcher = services.get_platform_fetcher(fallback=LocalFetcher({}))
    [report] = verify(credential, fetcher=fetcher, now=NOW)
    return [check.id for check in report.failures]


def verified(credential: dict) -> bool:
    return not failures(credential)


def test_a_credential_signed_by_the_platform_verifies_through_its_did_document(organisation):
    credential = signed_credential(organisation)
    assert credential["proof"]["verificationMethod"] == "did:web:microcred.test:orgs:uu#key-1"
    fetcher = services.get_platform_fetcher(fallback=LocalFetcher({}))
    [report] = verify(credential, fetcher=fetcher, now=NOW)
    assert report.verified, [check.as_dict() for check in report.failures]
    assert {check.id: check.status for check in report.checks}["issuer.key"] == "passed"


def test_it_still_verifies_after_a_rotation_and_new_credentials_use_the_new_key(
    owner, organisation
):
    old = signed_credential(organisation)
    new_key = services.rotate_signing_key(actor=owner, organisation=organisation)
    assert new_key.key_id == "key-2"
    new = signed_credential(organisation)
    assert new["proof"]["verificationMethod"].endswith("#key-2")
    assert verified(old) and verified(new)


def test_it_stops_verifying_when_its_key_is_marked_compromised(owner, organisation):
    credential = signed_credential(organisation)
    services.mark_key_compromised(
        actor=owner, organisation=organisation, key_id="key-1", reason="Leaked in a backup."
    )
    assert failures(credential) == ["proof.signature"]
    replacement = services.get_active_key(organisation)
    assert replacement.key_id == "key-2"
    assert verified(signed_credential(organisation))


def test_a_retired_key_marked_compromised_stops_verifying_too(owner, organisation):
    credential = signed_credential(organisation)
    services.rotate_signing_key(actor=owner, organisation=organisation)
    services.mark_key_compromised(
        actor=owner, organisation=organisation, key_id="key-1", reason="Found on a USB stick."
    )
    assert failures(credential) == ["proof.signature"]
    assert services.get_active_key(organisation).key_id == "key-2"


def test_the_did_document_lists_active_and_retired_keys_but_not_compromised_ones(
    owner, organisation
):
    services.rotate_signing_key(actor=owner, organisation=organisation)
    services.rotate_signing_key(actor=owner, organisation=organisation)
    services.mark_key_compromised(
        actor=owner, organisation=organisation, key_id="key-2", reason="Stolen laptop."
    )
    document = services.get_did_document(organisation)
    did = "did:web:microcred.test:orgs:uu"
    keys = {key.key_id: key for key in services.get_keys(organisation)}
    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#{key_id}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": keys[key_id].public_key_multibase,
            }
            for key_id in ("key-3", "key-1")
        ],
        "assertionMethod": [f"{did}#key-3", f"{did}#key-1"],
    }
    assert canonicalize(document, loader=DEFAULT_LOADER)


def test_rotation_and_compromise_are_audited(owner, organisation):
    services.rotate_signing_key(actor=owner, organisation=organisation)
    services.mark_key_compromised(
        actor=owner, organisation=organisation, key_id="key-2", reason="Stolen laptop."
    )
    events = [
        (event.action, event.data)
        for event in AuditEvent.objects.filter(organisation=organisation).exclude(
            action="organisation.create"
        )
    ]
    assert events == [
        ("key.rotate", {"retired": "key-1", "active": "key-2"}),
        (
            "key.compromise",
            {"key_id": "key-2", "reason": "Stolen laptop.", "replaced_by": "key-3"},
        ),
    ]


def test_marking_a_key_compromised_needs_a_reason_an_existing_key_and_an_owner(owner, organisation):
    registrar = add_member(organisation, make_user(password=None), Role.REGISTRAR)
    cases = [
        (owner, "key-1", "  ", InvalidInput),
        (owner, "key-9", "Lost.", NotFound),
        (registrar, "key-1", "Lost.", Forbidden),
    ]
    for actor, key_id, reason, error in cases:
        with pytest.raises(error):
            services.mark_key_compromised(
                actor=actor, organisation=organisation, key_id=key_id, reason=reason
            )
    services.mark_key_compromised(
        actor=owner, organisation=organisation, key_id="key-1", reason="Lost."
    )
    with pytest.raises(Conflict):
        services.mark_key_compromised(
            actor=owner, organisation=organisation, key_id="key-1", reason="Lost again."
        )
    statuses = {key.key_id: key.status for key in services.get_keys(organisation)}
    assert statuses == {"key-1": KeyStatus.COMPROMISED, "key-2": KeyStatus.ACTIVE}
    with pytest.raises(Forbidden):
        services.rotate_signing_key(actor=registrar, organisation=organisation)


def test_the_did_document_page_is_what_did_web_resolution_reads(client: Client, organisation):
    did = services.organisation_did(organisation)
    url = did_web_url(did)
    assert url == "https://microcred.test/orgs/uu/did.json"
    response = client.get(
        url.removeprefix("https://microcred.test"), headers={"origin": "https://verifier.example"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    fetched = services.get_platform_fetcher(fallback=LocalFetcher({})).fetch(url)
    assert json.loads(response.content) == fetched.json() == services.get_did_document(organisation)
    assert client.get("/orgs/nobody/did.json").status_code == 404


@pytest.mark.parametrize(
    ("public_url", "did", "document_url"),
    [
        (
            "http://127.0.0.1:8000",
            "did:web:127.0.0.1%3A8000:orgs:uu",
            "https://127.0.0.1:8000/orgs/uu/did.json",
        ),
        (
            "https://example.edu/credentials",
            "did:web:example.edu:credentials:orgs:uu",
            "https://example.edu/credentials/orgs/uu/did.json",
        ),
    ],
)
def test_the_platform_fetcher_answers_did_web_under_any_public_address(
    settings, organisation, public_url: str, did: str, document_url: str
):
    settings.PUBLIC_URL = public_url
    assert services.organisation_did(organisation) == did
    assert did_web_url(did) == document_url
    fetched = services.get_platform_fetcher(fallback=LocalFetcher({})).fetch(document_url)
    assert fetched.status == 200 and fetched.json()["id"] == did


def test_the_platform_fetcher_answers_its_own_urls_only_from_the_database(organisation):
    other = LocalFetcher({"https://elsewhere.example/doc.json": {"elsewhere": True}})
    fetcher = services.get_platform_fetcher(fallback=other)
    assert fetcher.fetch("https://elsewhere.example/doc.json").json() == {"elsewhere": True}
    for unknown in (
        "https://microcred.test/orgs/nobody/did.json",
        "https://microcred.test/orgs/uu/did.json?version=1",
        "https://microcred.test/nothing/here",
    ):
        assert fetcher.fetch(unknown).status == 404
    assert fetcher.fetch("https://MICROCRED.test/orgs/uu/did.json#key-1").status == 200


def test_a_registered_local_document_is_answered_without_http(organisation):
    services.register_local_document(
        "/test-documents/", lambda path: {"path": path} if path.endswith(".json") else None
    )
    fetcher = services.get_platform_fetcher(fallback=LocalFetcher({}))
    assert fetcher.fetch("https://microcred.test/test-documents/a.json").json() == {
        "path": "/test-documents/a.json"
    }
    assert fetcher.fetch("https://microcred.test/test-documents/a.txt").status == 404
    with pytest.raises(ValueError):
        services.register_local_document("no-slashes", lambda path: None)


def test_the_keys_api_lists_public_parts_and_rotates(client: Client, owner, organisation):
    headers = bearer(owner)
    rotated = client.post("/api/v1/orgs/uu/keys/rotate", headers=headers)
    assert rotated.status_code == 201 and rotated.json()["key_id"] == "key-2"
    compromised = client.post(
        "/api/v1/orgs/uu/keys/key-1/compromise",
        {"reason": "Leaked."},
        content_type="application/json",
        headers=headers,
    )
    assert compromised.json()["status"] == "compromised"
    keys = client.get("/api/v1/orgs/uu/keys", headers=headers).json()
    assert [(key["key_id"], key["status"]) for key in keys] == [
        ("key-2", "active"),
        ("key-1", "compromised"),
    ]
    assert keys[0]["id"] == "did:web:microcred.test:orgs:uu#key-2"
    assert set(keys[0]) == {
        "key_id",
        "id",
        "algorithm",
        "status",
        "public_key_multibase",
        "created_at",
        "retired_at",
        "compromised_at",
        "compromise_reason",
    }
    no_reason = client.post(
        "/api/v1/orgs/uu/keys/key-2/compromise",
        {"reason": " "},
        content_type="application/json",
        headers=headers,
    )
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    missing = client.post(
        "/api/v1/orgs/uu/keys/key-7/compromise",
        {"reason": "Lost."},
        content_type="application/json",
        headers=headers,
    )
    assert missing.status_code == 404


CONFIRMED_BLANK = {"reason": "", "confirm": "on"}


def test_the_keys_page_rotates_and_marks_keys_compromised(client: Client, owner, organisation):
    client.force_login(owner)
    page = client.get("/studio/orgs/uu/keys").content.decode()
    assert "key-1" in page and "Rotate the signing key" in page
    client.post("/studio/orgs/uu/keys/rotate")
    response = client.post("/studio/orgs/uu/keys/key-1/compromise", CONFIRMED_BLANK)
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert services.get_keys(organisation)[1].status == KeyStatus.RETIRED
    response = client.post(
        "/studio/orgs/uu/keys/key-1/compromise", {"reason": "Leaked.", "confirm": "on"}, follow=True
    )
    assert "marked compromised" in response.content.decode()
    assert services.get_keys(organisation)[1].status == KeyStatus.COMPROMISED


def test_members_without_the_owner_role_see_keys_but_no_forms(client: Client, organisation):
    registrar = add_member(organisation, make_user(password=None), Role.REGISTRAR)
    client.force_login(registrar)
    page = client.get("/studio/orgs/uu/keys").content.decode()
    assert "key-1" in page and "Rotate the signing key" not in page
    refused = client.post("/studio/orgs/uu/keys/rotate")
    assert refused.status_code == 403
    assert "This needs the role owner in Utrecht University." in refused.content.decode()
    assert services.get_active_key(organisation).key_id == "key-1"


def test_marking_a_key_compromised_says_how_many_credentials_stop_verifying_and_is_confirmed(
    client: Client, owner, organisation
):
    registrar, version = make_registrar(organisation), make_version(organisation)
    for format in ("ldp", "ldp", "jwt"):
        issue(registrar, version, format=format)
    services.rotate_signing_key(actor=owner, organisation=organisation)
    issue(registrar, version)
    other_organisation = make_organisation(name="Elsewhere", slug="elsewhere")
    issue(make_registrar(other_organisation), make_version(other_organisation))
    client.force_login(owner)
    page = client.get("/studio/orgs/uu/keys").content.decode()
    assert "the 3 credentials it signed stop verifying for everyone" in page
    assert "the 1 credential it signed stops verifying for everyone" in page
    unconfirmed = client.post("/studio/orgs/uu/keys/key-1/compromise", {"reason": "Leaked."})
    assert unconfirmed.status_code == 400
    text = unconfirmed.content.decode()
    assert "Tick the box to confirm that the key is compromised." in text
    assert "the 3 credentials it signed stop verifying" in text
    assert services.get_keys(organisation)[1].status == KeyStatus.RETIRED
    confirmed = client.post(
        "/studio/orgs/uu/keys/key-1/compromise", {"reason": "Leaked.", "confirm": "on"}
    )
    assert confirmed.status_code == 302
    assert services.get_keys(organisation)[1].status == KeyStatus.COMPROMISED
    assert services.count_signed_credentials(services.get_keys(organisation)[0]) == 1
