"""Forgeries: a credential made by someone other than its issuer must never verify.

Each test signs as an attacker would (any key, any claimed issuer) and checks
that the report fails ``issuer.key``, and that neither the command line's
verdict nor the /verify page's headline claims a check that did not pass.
Run alone: ``pytest tests/security/test_forgeries.py``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from microcred.vc import Ed25519Multikey, LocalFetcher, sign, verify
from microcred.vc.jwt import sign_jwt
from microcred.vc.keys import RsaKey, generate_key
from microcred.vc.report import CheckStatus, VerificationReport
from tests.factories import FIXED_NOW, unsigned_credential

PLATFORM_DID = "did:web:platform.example:orgs:acme"
PLATFORM_DID_URL = "https://platform.example/orgs/acme/did.json"


def did_document(did: str, key: Any, *, relationship: str = "assertionMethod") -> dict[str, Any]:
    method = {
        "id": f"{did}#key-1",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": key.public.public_key_multibase,
    }
    return {"id": did, "verificationMethod": [method], relationship: [method["id"]]}


def credential_from(issuer: str, key: Ed25519Multikey) -> dict[str, Any]:
    credential = unsigned_credential(key)
    credential["issuer"]["id"] = issuer
    credential["credentialSubject"]["id"] = "did:example:learner"
    return credential


def verify_one(token: Any, documents: dict[str, Any] | None = None) -> VerificationReport:
    [report] = verify(token, fetcher=LocalFetcher(documents or {}), now=FIXED_NOW)
    return report


def issuer_key_status(report: VerificationReport) -> list[CheckStatus]:
    return [check.status for check in report.checks_with("issuer.key")]


@pytest.fixture(scope="module")
def issuer_key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


@pytest.fixture(scope="module")
def attacker_key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


# -- VC-JWT: a key in the header proves nothing about the issuer ---------------------------


@pytest.mark.parametrize("attacker_type", ["ed25519", "rsa"])
def test_a_jwk_header_key_cannot_claim_the_platforms_did_web(
    issuer_key: Ed25519Multikey, attacker_type: str
) -> None:
    attacker = generate_key(attacker_type)
    token = sign_jwt(credential_from(PLATFORM_DID, issuer_key), attacker, embed_jwk=True)
    report = verify_one(token, {PLATFORM_DID_URL: did_document(PLATFORM_DID, issuer_key)})
    assert [c.status for c in report.checks_with("proof.signature")] == [CheckStatus.PASSED]
    assert issuer_key_status(report) == [CheckStatus.FAILED]
    assert not report.verified


def test_a_jwk_header_key_cannot_claim_another_keys_did_key(
    issuer_key: Ed25519Multikey, attacker_key: Ed25519Multikey
) -> None:
    token = sign_jwt(
        credential_from(issuer_key.public.did_key, issuer_key), attacker_key, embed_jwk=True
    )
    report = verify_one(token)
    assert issuer_key_status(report) == [CheckStatus.FAILED]
    assert not report.verified


def test_a_jwk_header_key_cannot_claim_a_web_address_issuer(
    issuer_key: Ed25519Multikey, attacker_key: Ed25519Multikey
) -> None:
    token = sign_jwt(
        credential_from("https://university.example/issuer", issuer_key),
        attacker_key,
        embed_jwk=True,
    )
    report = verify_one(token)
    assert issuer_key_status(report) == [CheckStatus.FAILED]
    assert not report.verified


def test_a_kid_naming_the_attackers_own_did_key_cannot_claim_a_did_web_issuer(
    issuer_key: Ed25519Multikey, attacker_key: Ed25519Multikey
) -> None:
    token = sign_jwt(credential_from(PLATFORM_DID, issuer_key), attacker_key)
    report = verify_one(token, {PLATFORM_DID_URL: did_document(PLATFORM_DID, issuer_key)})
    assert issuer_key_status(report) == [CheckStatus.FAILED]


def test_a_key_listed_only_for_authentication_does_not_issue(issuer_key: Ed25519Multikey) -> None:
    document = did_document(PLATFORM_DID, issuer_key, relationship="authentication")
    token = sign_jwt(
        credential_from(PLATFORM_DID, issuer_key), issuer_key, kid=f"{PLATFORM_DID}#key-1"
    )
    report = verify_one(token, {PLATFORM_DID_URL: document})
    assert issuer_key_status(report) == [CheckStatus.FAILED]


def test_an_unresolvable_issuer_did_fails_rather_than_warns(
    issuer_key: Ed25519Multikey,
) -> None:
    token = sign_jwt(credential_from(PLATFORM_DID, issuer_key), issuer_key, embed_jwk=True)
    report = verify_one(token)
    assert issuer_key_status(report) == [CheckStatus.FAILED]
    assert "could not be checked" in report.checks_with("issuer.key")[0].message


def test_a_data_integrity_proof_by_an_authentication_only_key_does_not_issue(
    issuer_key: Ed25519Multikey,
) -> None:
    """Before: any key the DID document listed, for any relationship, passed issuer.key."""
    document = did_document(PLATFORM_DID, issuer_key, relationship="authentication")
    signed = sign(
        credential_from(PLATFORM_DID, issuer_key),
        key=issuer_key,
        verification_method=f"{PLATFORM_DID}#key-1",
        created=FIXED_NOW,
    )
    report = verify_one(signed, {PLATFORM_DID_URL: document})
    assert issuer_key_status(report) == [CheckStatus.FAILED]
    assert not report.verified
    listed = verify_one(signed, {PLATFORM_DID_URL: did_document(PLATFORM_DID, issuer_key)})
    assert issuer_key_status(listed) == [CheckStatus.PASSED]


# -- ... while the issuer's own keys still verify ---------------------------------------------


def test_the_issuers_did_web_key_verifies(issuer_key: Ed25519Multikey) -> None:
    token = sign_jwt(
        credential_from(PLATFORM_DID, issuer_key), issuer_key, kid=f"{PLATFORM_DID}#key-1"
    )
    report = verify_one(token, {PLATFORM_DID_URL: did_document(PLATFORM_DID, issuer_key)})
    assert issuer_key_status(report) == [CheckStatus.PASSED]
    assert report.verified


def test_a_jwk_header_key_of_the_issuers_did_web_verifies(issuer_key: Ed25519Multikey) -> None:
    token = sign_jwt(credential_from(PLATFORM_DID, issuer_key), issuer_key, embed_jwk=True)
    report = verify_one(token, {PLATFORM_DID_URL: did_document(PLATFORM_DID, issuer_key)})
    assert issuer_key_status(report) == [CheckStatus.PASSED]
    assert report.verified


def test_a_did_key_issuer_signing_with_its_own_key_verifies(issuer_key: Ed25519Multikey) -> None:
    token = sign_jwt(credential_from(issuer_key.public.did_key, issuer_key), issuer_key)
    assert verify_one(token).verified


def test_a_did_jwk_issuer_signing_with_its_own_key_verifies() -> None:
    key = RsaKey.generate()
    encoded = base64.urlsafe_b64encode(json.dumps(key.public.jwk).encode()).rstrip(b"=")
    did_jwk = f"did:jwk:{encoded.decode()}"
    token = sign_jwt(credential_from(did_jwk, Ed25519Multikey.generate()), key, embed_jwk=True)
    report = verify_one(token)
    assert issuer_key_status(report) == [CheckStatus.PASSED]
    assert report.verified


# -- what people are told ------------------------------------------------------------------


def test_the_verdict_claims_only_checks_that_passed(issuer_key: Ed25519Multikey) -> None:
    """A fragment key (the 1EdTech convention) verifies with a warning: no claim of the issuer."""
    issuer = "https://issuer.example/profile"
    credential = unsigned_credential(issuer_key)
    credential["issuer"]["id"] = issuer
    method = f"{issuer}#{issuer_key.public.public_key_multibase}"
    signed = sign(credential, key=issuer_key, verification_method=method, created=FIXED_NOW)
    report = verify_one(signed)
    assert report.verified and issuer_key_status(report) == [CheckStatus.WARNING]
    assert "belongs to the issuer" not in report.summary
    assert "1 warning" in report.summary


def test_the_verify_page_does_not_vouch_for_a_forged_jwt(
    issuer_key: Ed25519Multikey, attacker_key: Ed25519Multikey
) -> None:
    token = sign_jwt(
        credential_from(issuer_key.public.did_key, issuer_key), attacker_key, embed_jwk=True
    )
    page = Client().post("/verify", {"credential": token}).content.decode()
    assert 'data-verified="false"' in page
    assert "belongs to the issuer" not in page
    assert "the issuer's key checks out" not in page
