"""The holder's proofs a wallet sends: OID4VCI ``jwt`` proofs of possession and DID
Authentication presentations (microcred.vc.oid4vci, microcred.vc.didauth)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcred.vc import Ed25519Multikey
from microcred.vc.dataintegrity import sign
from microcred.vc.didauth import did_authentication_request, verify_did_authentication
from microcred.vc.errors import ProofError
from microcred.vc.oid4vci import verify_proof_jwt

ISSUER = "https://issuer.example"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def b64(value: Any) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def proof_jwt(key: Ed25519Multikey, header: dict[str, Any], payload: dict[str, Any]) -> str:
    signing_input = f"{b64(header)}.{b64(payload)}"
    return f"{signing_input}.{b64(key.sign(signing_input.encode()))}"


def good(key: Ed25519Multikey, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    header = {
        "typ": "openid4vci-proof+jwt",
        "alg": "EdDSA",
        "kid": key.public.did_key_verification_method,
    }
    payload = {"aud": ISSUER, "iat": int(NOW.timestamp()), "nonce": "n-1"}
    for name, value in changes.items():
        target = header if name in ("typ", "alg", "kid", "jwk") else payload
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return header, payload


def test_a_proof_names_its_did_key_holder_and_nonce() -> None:
    key = Ed25519Multikey.generate()
    proof = verify_proof_jwt(proof_jwt(key, *good(key)), audience=ISSUER, now=NOW)
    assert (proof.holder, proof.nonce) == (key.public.did_key, "n-1")


def test_a_proof_with_a_jwk_binds_to_its_did_jwk() -> None:
    key = Ed25519Multikey.generate()
    header, payload = good(key, kid=None, jwk=key.public.jwk)
    proof = verify_proof_jwt(proof_jwt(key, header, payload), audience=ISSUER, now=NOW)
    assert proof.holder.startswith("did:jwk:")
    jwk = json.loads(base64.urlsafe_b64decode(proof.holder[8:] + "=="))
    assert jwk["x"] == key.public.jwk["x"] and "d" not in jwk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"typ": "JWT"}, "proof.jwt.typ"),
        ({"alg": "none"}, "proof.jwt.alg"),
        ({"alg": "ES256"}, "proof.jwt.alg"),
        ({"kid": "https://example.org/key"}, "proof.jwt.kid"),
        ({"kid": None}, "proof.jwt"),
        ({"aud": "https://other.example"}, "proof.jwt.aud"),
        ({"iat": None}, "proof.jwt.iat"),
        ({"iat": int((NOW - timedelta(minutes=6)).timestamp())}, "proof.jwt.iat"),
        ({"iat": int((NOW + timedelta(minutes=2)).timestamp())}, "proof.jwt.iat"),
        ({"nonce": 7}, "proof.jwt.nonce"),
    ],
)
def test_bad_proofs_are_invalid_proof(changes: dict[str, Any], field: str) -> None:
    key = Ed25519Multikey.generate()
    with pytest.raises(ProofError) as raised:
        verify_proof_jwt(proof_jwt(key, *good(key, **changes)), audience=ISSUER, now=NOW)
    assert (raised.value.code, raised.value.field) == ("invalid_proof", field)


def test_a_proof_signed_by_another_key_is_invalid() -> None:
    key, other = Ed25519Multikey.generate(), Ed25519Multikey.generate()
    with pytest.raises(ProofError, match="signature"):
        verify_proof_jwt(proof_jwt(other, *good(key)), audience=ISSUER, now=NOW)


@pytest.mark.parametrize("token", ["", "a.b", 42, "x.y.z"])
def test_what_is_not_a_jws_is_invalid(token: Any) -> None:
    with pytest.raises(ProofError) as raised:
        verify_proof_jwt(token, audience=ISSUER, now=NOW)
    assert raised.value.code == "invalid_proof"


def presentation(key: Ed25519Multikey, **changes: Any) -> dict[str, Any]:
    return sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": changes.pop("holder", key.public.did_key),
        },
        key=key,
        verification_method=key.public.did_key_verification_method,
        proof_purpose=changes.pop("purpose", "authentication"),
        challenge=changes.pop("challenge", "c-1"),
        domain=changes.pop("domain", ISSUER),
    )


def test_did_authentication_returns_the_holder() -> None:
    key = Ed25519Multikey(Ed25519PrivateKey.generate())
    request = did_authentication_request(challenge="c-1", domain=ISSUER)
    assert request["query"][0]["type"] == "DIDAuthentication"
    holder = verify_did_authentication(presentation(key), challenge="c-1", domain=ISSUER, now=NOW)
    assert holder == key.public.did_key


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"challenge": "c-2"}, "didauth.wrong_challenge"),
        ({"domain": "https://other.example"}, "didauth.wrong_domain"),
        ({"purpose": "assertionMethod"}, "didauth.wrong_purpose"),
        ({"holder": "did:web:example.org"}, "didauth.malformed"),
        ({"holder": Ed25519Multikey.generate().public.did_key}, "didauth.wrong_holder"),
    ],
)
def test_did_authentication_refusals(changes: dict[str, Any], code: str) -> None:
    key = Ed25519Multikey.generate()
    with pytest.raises(ProofError) as raised:
        verify_did_authentication(
            presentation(key, **changes), challenge="c-1", domain=ISSUER, now=NOW
        )
    assert raised.value.code == code


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {"type": "VerifiableCredential"},
        {"type": ["VerifiablePresentation"], "holder": "did:key:z6Mk"},
    ],
)
def test_what_is_no_presentation_is_malformed(document: Any) -> None:
    with pytest.raises(ProofError) as raised:
        verify_did_authentication(document, challenge="c-1", domain=ISSUER, now=NOW)
    assert raised.value.code == "didauth.malformed"


def test_a_learner_credential_wallet_style_presentation_authenticates() -> None:
    """The Learner Credential Wallet answers DID Authentication with a VC 1.1 presentation and an
    Ed25519Signature2020 proof; it must authenticate as well as a Data Integrity one."""
    key = Ed25519Multikey.generate()
    document = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/suites/ed25519-2020/v1",
        ],
        "type": ["VerifiablePresentation"],
        "holder": key.public.did_key,
    }
    signed = sign(
        document,
        key=key,
        suite="Ed25519Signature2020",
        verification_method=key.public.did_key_verification_method,
        proof_purpose="authentication",
        challenge="c-1",
        domain=ISSUER,
    )
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    holder = verify_did_authentication(signed, challenge="c-1", domain=ISSUER, now=NOW)
    assert holder == key.public.did_key
    signed["holder"] = Ed25519Multikey.generate().public.did_key
    with pytest.raises(ProofError):
        verify_did_authentication(signed, challenge="c-1", domain=ISSUER, now=NOW)
