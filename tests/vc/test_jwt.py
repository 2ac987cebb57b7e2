"""VC-JWT: signing and verifying the OB 3.0 and VC-JOSE-COSE profiles."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.vc.baking import unbake
from microcred.vc.errors import (
    InputError,
    InvalidSignature,
    KeyFormatError,
    ProofError,
    ResolutionError,
)
from microcred.vc.http import LocalFetcher
from microcred.vc.jwt import check_claims, decode_jwt, sign_jwt, verify_jwt
from microcred.vc.keys import PrivateKey, generate_key
from microcred.vc.report import CheckStatus
from tests import conformance

NOW = datetime(2026, 11, 22, tzinfo=UTC)
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER = "https://example.edu/issuers/565049"
DID_WEB = "did:web:example.edu"


@pytest.fixture(scope="module")
def keys() -> dict[str, PrivateKey]:
    return {key_type: generate_key(key_type) for key_type in ("ed25519", "p256", "rsa")}


@pytest.fixture(params=["ed25519", "p256", "rsa"])
def key(request: pytest.FixtureRequest, keys: dict[str, PrivateKey]) -> PrivateKey:
    return keys[request.param]


def credential(**changes: Any) -> dict[str, Any]:
    document = {
        "@context": [VC_V2, OB3],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2030-01-01T00:00:00.500Z",
        "name": "Teamwork",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
    }
    document.update(changes)
    return {name: value for name, value in document.items() if value is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: Any) -> str:
    return b64(json.dumps(value).encode())


def forge(header: dict[str, Any], payload: dict[str, Any], key: PrivateKey | None) -> str:
    """Build a JWS by hand, so that tests can write what sign_jwt never would."""
    signing_input = f"{b64json(header)}.{b64json(payload)}"
    signature = key.sign(signing_input.encode()) if key else b""
    return f"{signing_input}.{b64(signature)}"


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = decode_jwt(token)
    return header, payload


def statuses(findings: list[Any]) -> list[tuple[str, str | None]]:
    return [(f.status.value, f.data.get("claim")) for f in findings]


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["ob3", "vc-jose"])
def test_signed_jwts_verify_and_give_back_the_credential(key: PrivateKey, profile: str) -> None:
    token = sign_jwt(credential(), key, profile=profile)
    result = verify_jwt(token, now=NOW)
    assert result.credential == credential()
    assert result.algorithm == key.public.jws_algorithm
    assert result.profile == profile
    assert [f.status for f in result.findings] == [CheckStatus.PASSED]
    assert all(f.id == "jwt.claims" for f in result.findings)


def test_ob3_headers_and_claims_follow_section_8_2(keys: dict[str, PrivateKey]) -> None:
    key = keys["ed25519"]
    header, payload = parts(sign_jwt(credential(), key, now=NOW))
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": key.public.did_key_verification_method}
    assert {name: payload[name] for name in ("iss", "jti", "sub", "nbf", "exp", "iat")} == {
        "iss": ISSUER,
        "jti": credential()["id"],
        "sub": "did:example:learner",
        "nbf": 1767225600,
        "exp": 1893456000,
        "iat": 1795305600,
    }
    assert payload["name"] == "Teamwork"
    assert "vc" not in payload


def test_vc_jose_payload_is_the_credential_itself(keys: dict[str, PrivateKey]) -> None:
    header, payload = parts(sign_jwt(credential(), keys["p256"], profile="vc-jose", now=NOW))
    assert header["typ"] == "vc+jwt"
    assert header["cty"] == "vc"
    assert payload == credential()


def test_a_vcdm_1_1_credential_goes_into_the_vc_claim(keys: dict[str, PrivateKey]) -> None:
    old = credential(
        **{"@context": ["https://www.w3.org/2018/credentials/v1", OB3]},
        validFrom=None,
        validUntil=None,
        issuanceDate="2010-01-01T00:00:00Z",
        expirationDate="2040-01-01T00:00:00Z",
    )
    token = sign_jwt(old, keys["rsa"], kid=None)
    _, payload = parts(token)
    assert payload["vc"] == old
    assert (payload["nbf"], payload["exp"]) == (1262304000, 2208988800)
    result = verify_jwt(token, now=NOW)
    assert result.credential == old
    assert [f.status for f in result.findings] == [CheckStatus.PASSED]


def test_rsa_keys_without_a_kid_embed_their_public_jwk(keys: dict[str, PrivateKey]) -> None:
    header, _ = parts(sign_jwt(credential(), keys["rsa"]))
    assert header["jwk"] == keys["rsa"].public.jwk
    assert "kid" not in header
    assert "d" not in header["jwk"]


def test_embed_jwk_puts_the_key_beside_the_kid(keys: dict[str, PrivateKey]) -> None:
    key = keys["ed25519"]
    token = sign_jwt(credential(), key, kid=key.public.did_key_verification_method, embed_jwk=True)
    header, _ = parts(token)
    assert header["jwk"] == key.public.jwk
    assert verify_jwt(token).key_id == key.public.did_key_verification_method


def test_a_kid_resolved_through_did_web_reports_its_controller(
    keys: dict[str, PrivateKey],
) -> None:
    key = keys["p256"]
    document = {
        "id": DID_WEB,
        "assertionMethod": [
            {
                "id": "#key-1",
                "type": "JsonWebKey",
                "controller": DID_WEB,
                "publicKeyJwk": key.public.jwk,
            }
        ],
    }
    fetcher = LocalFetcher({"https://example.edu/.well-known/did.json": document})
    issued = credential(issuer=DID_WEB)
    token = sign_jwt(issued, key, kid=DID_WEB + "#key-1")
    result = verify_jwt(token, fetcher=fetcher)
    assert (result.key_id, result.controller, result.controller_verified) == (
        DID_WEB + "#key-1",
        DID_WEB,
        True,
    )
    relative = sign_jwt(issued, key, kid="#key-1")
    assert verify_jwt(relative, fetcher=fetcher).key_id == DID_WEB + "#key-1"


# -- signatures and algorithms -----------------------------------------------------------------


def test_a_tampered_payload_fails(key: PrivateKey) -> None:
    header, payload, signature = sign_jwt(credential(), key).split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["name"] = "Leadership"
    with pytest.raises(InvalidSignature, match="does not match") as raised:
        verify_jwt(f"{header}.{b64json(changed)}.{signature}")
    assert raised.value.field == "signature"


def test_a_token_signed_by_another_key_fails(keys: dict[str, PrivateKey]) -> None:
    key = keys["ed25519"]
    token = sign_jwt(
        credential(), generate_key("ed25519"), kid=key.public.did_key_verification_method
    )
    with pytest.raises(InvalidSignature):
        verify_jwt(token)


def test_alg_none_is_refused(keys: dict[str, PrivateKey]) -> None:
    header = {"alg": "none", "jwk": keys["ed25519"].public.jwk}
    with pytest.raises(ProofError, match="no signature") as raised:
        verify_jwt(forge(header, credential(), None))
    assert raised.value.code == "jwt.algorithm_refused"


@pytest.mark.parametrize("alg", ["HS256", "HS512"])
def test_hmac_algorithms_are_refused(alg: str, keys: dict[str, PrivateKey]) -> None:
    # The classic confusion: an HMAC keyed with the issuer's public key.
    secret = json.dumps(keys["rsa"].public.jwk).encode()
    signing_input = f"{b64json({'alg': alg, 'jwk': keys['rsa'].public.jwk})}.{b64json({})}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(ProofError, match="shared secret") as raised:
        verify_jwt(f"{signing_input}.{b64(mac)}")
    assert raised.value.code == "jwt.algorithm_refused"


@pytest.mark.parametrize("alg", ["PS256", "ES384", "RS512", "EdDSA25519"])
def test_other_algorithms_are_not_supported(alg: str, keys: dict[str, PrivateKey]) -> None:
    token = forge({"alg": alg, "jwk": keys["rsa"].public.jwk}, credential(), keys["rsa"])
    with pytest.raises(ProofError, match="not supported") as raised:
        verify_jwt(token)
    assert raised.value.code == "jwt.algorithm_unsupported"


def test_an_alg_that_does_not_fit_the_key_is_refused(keys: dict[str, PrivateKey]) -> None:
    key = keys["ed25519"]
    header = {"alg": "RS256", "kid": key.public.did_key_verification_method}
    with pytest.raises(ProofError, match="says RS256") as raised:
        verify_jwt(forge(header, credential(), key))
    assert raised.value.code == "jwt.algorithm_mismatch"


def test_ed25519_is_accepted_as_the_fully_specified_name_of_eddsa(
    keys: dict[str, PrivateKey],
) -> None:
    key = keys["ed25519"]
    header = {"alg": "Ed25519", "kid": key.public.did_key_verification_method}
    assert verify_jwt(forge(header, credential(), key)).algorithm == "Ed25519"


def test_critical_header_extensions_are_refused(keys: dict[str, PrivateKey]) -> None:
    key = keys["ed25519"]
    header = {"alg": "EdDSA", "kid": key.public.did_key_verification_method, "crit": ["exp"]}
    with pytest.raises(ProofError, match="critical"):
        verify_jwt(forge(header, credential(), key))


@pytest.mark.parametrize(
    ("header", "error", "message"),
    [
        ({"alg": "EdDSA"}, ResolutionError, "neither kid nor jwk"),
        ({"alg": "EdDSA", "kid": "key-1"}, ResolutionError, "not a URL"),
        ({"alg": "EdDSA", "kid": 7}, ProofError, "kid must be a string"),
        ({"alg": "EdDSA", "kid": "did:example:123#key-1"}, ResolutionError, "did:example"),
        ({"alg": "EdDSA", "jwk": {"kty": "oct", "k": "c2VjcmV0"}}, KeyFormatError, "oct key"),
    ],
)
def test_a_key_that_cannot_be_found_is_an_error(
    header: dict[str, Any], error: type[Exception], message: str, keys: dict[str, PrivateKey]
) -> None:
    with pytest.raises(error, match=message):
        verify_jwt(forge(header, credential(), keys["ed25519"]))


def test_a_header_jwk_with_the_private_key_is_refused(keys: dict[str, PrivateKey]) -> None:
    key = keys["p256"]
    with pytest.raises(KeyFormatError, match="private key"):
        verify_jwt(forge({"alg": "ES256", "jwk": key.private_jwk()}, credential(), key))


# -- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (42, "is a string"),
        ("not-a-jwt", "found 1"),
        ("a.b.c.d.e", "encrypted"),
        ("a!.b.c", "header is not base64url"),
        (f"{b64(b'not json')}.{b64json({})}.", "header is not JSON"),
        (f"{b64json({'alg': 'EdDSA'})}.{b64json([1])}.", "payload must be a JSON object"),
        (f"{b64json({'typ': 'JWT'})}.{b64json({})}.", "no alg"),
        (f"{b64json({'alg': 'EdDSA'})}.{b64json({'vc': 'x'})}.", "vc claim must be"),
        (f"{b64json({'alg': 'EdDSA', 'b64': False})}.{b64json({})}.", "RFC 7797"),
        (f"{b64json({'alg': 'EdDSA'})}.{b64json({})}.abcde", "signature is not base64url"),
    ],
)
def test_what_is_not_a_compact_jws_is_an_input_error(token: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_jwt(token)


def test_decoding_strips_the_jwt_claims_from_the_credential(keys: dict[str, PrivateKey]) -> None:
    header, payload, decoded = decode_jwt(sign_jwt(credential(), keys["ed25519"], now=NOW) + "\n")
    assert header["alg"] == "EdDSA"
    assert payload["iat"] == 1795305600
    assert decoded == credential()


# -- claims ------------------------------------------------------------------------------------


def claims_of(payload_changes: dict[str, Any], **options: Any) -> list[tuple[str, str | None]]:
    token = sign_jwt(credential(), generate_key("ed25519"))
    header, payload = parts(token)
    payload.update(payload_changes)
    payload = {name: value for name, value in payload.items() if value is not None}
    findings = check_claims(header, payload, decode_jwt(forge(header, payload, None))[2], **options)
    return statuses(findings)


@pytest.mark.parametrize(
    ("changes", "claim"),
    [
        ({"iss": "https://evil.example/"}, "iss"),
        ({"jti": "urn:uuid:other"}, "jti"),
        ({"sub": "did:example:someone-else"}, "sub"),
        ({"nbf": 1767225601}, "nbf"),
        ({"exp": 1893456001}, "exp"),
        ({"exp": "2030-01-01"}, "exp"),
        ({"nbf": True}, "nbf"),
        ({"exp": 1e20}, "exp"),
    ],
)
def test_a_claim_that_disagrees_with_the_credential_fails(
    changes: dict[str, Any], claim: str
) -> None:
    assert claims_of(changes) == [("failed", claim)]


@pytest.mark.parametrize("claim", ["iss", "jti", "sub", "nbf"])
def test_a_missing_required_claim_fails_under_ob3(claim: str) -> None:
    assert claims_of({claim: None}) == [("failed", claim)]


def test_a_missing_exp_claim_is_a_warning_under_ob3() -> None:
    assert claims_of({"exp": None}) == [("warning", "exp"), ("passed", None)]


def test_sub_is_not_required_when_the_subject_has_no_id() -> None:
    subject = {"type": ["AchievementSubject"]}
    token = sign_jwt(credential(credentialSubject=subject), generate_key("ed25519"))
    header, payload = parts(token)
    assert "sub" not in payload
    assert statuses(check_claims(header, payload, decode_jwt(token)[2])) == [("passed", None)]


def test_issued_tokens_carry_every_required_claim() -> None:
    _, payload = parts(sign_jwt(credential(), generate_key("ed25519"), now=NOW))
    assert {"iss", "jti", "nbf", "sub"} <= set(payload)


def test_missing_claims_are_fine_under_vc_jose() -> None:
    assert claims_of({"sub": None, "nbf": None}, profile="vc-jose") == [("passed", None)]


def test_a_vc_claim_is_forbidden_under_vc_jose() -> None:
    header = {"alg": "EdDSA", "typ": "vc+jwt"}
    payload = {"vc": credential()}
    findings = check_claims(header, payload, credential(), profile="vc-jose")
    assert statuses(findings) == [("failed", "vc")]


def test_a_credential_date_that_is_not_a_date_time_fails_its_claim() -> None:
    findings = check_claims(
        {"alg": "EdDSA"}, {"nbf": 1767225600}, credential(validFrom="yesterday"), profile="vc-jose"
    )
    assert statuses(findings) == [("failed", "nbf")]
    assert "validFrom is not a date-time" in findings[0].message


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"exp": 1700000000}, [("failed", "exp")]),
        ({"exp": 1900000000}, [("passed", None)]),
        ({"nbf": 1900000000}, [("failed", "nbf")]),
        ({"nbf": 1700000000}, [("passed", None)]),
    ],
)
def test_date_claims_without_credential_dates_are_checked_against_now(
    claims: dict[str, int], expected: list[tuple[str, str | None]]
) -> None:
    bare = credential(validFrom=None, validUntil=None)
    findings = check_claims({"alg": "EdDSA"}, claims, bare, profile="vc-jose", now=NOW)
    assert statuses(findings) == expected


def test_a_typ_other_than_jwt_is_a_warning_under_ob3() -> None:
    findings = check_claims({"alg": "EdDSA", "typ": "JOSE"}, {}, {}, profile="ob3")
    assert statuses(findings) == [("warning", None), ("passed", None)]
    assert "typ" in findings[0].message


def test_a_subject_among_several_matches_sub() -> None:
    several = credential(credentialSubject=[{"id": "did:example:a"}, {"id": "did:example:b"}])
    findings = check_claims({"alg": "EdDSA"}, {"sub": "did:example:b"}, several, profile="vc-jose")
    assert statuses(findings) == [("passed", None)]


# -- signing errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "options", "message"),
    [
        (credential(), {"profile": "sd-jwt"}, "Unknown VC-JWT profile"),
        (["not", "an", "object"], {}, "Only a JSON object"),
        (credential(iss="x"), {}, "named like JWT claims"),
        (credential(validFrom="not a date"), {}, "validFrom"),
    ],
)
def test_what_cannot_be_signed_is_refused(
    document: Any, options: dict[str, Any], message: str, keys: dict[str, PrivateKey]
) -> None:
    with pytest.raises(ProofError, match=message):
        sign_jwt(document, keys["ed25519"], **options)


# -- conformance: the VC-JWTs of the 1EdTech validator -----------------------------------------


def vc_jwt_fixtures() -> list[Any]:
    """The fixtures the manifest records a JOSE header for, but OB 2.0 signed assertions."""
    if not conformance.available():
        return []
    return [
        pytest.param(case, id=case["file"])
        for case in conformance.cases("1edtech-validator", "fixtures")
        if "jws_header" in (case.get("checked_here") or {})
        # OB 2.0 signed assertions are JWS too, but microcred.vc.ob2 verifies them.
        and not case["file"].startswith("ob20/")
    ]


def fixture_token(case: dict[str, Any]) -> str:
    data = conformance.path("1edtech-validator", case["file"]).read_bytes()
    if case["format"] in ("png", "svg"):
        return unbake(data).payload
    return data.decode("utf-8")


# What we find beyond the manifest's record of each fixture, and why.
# These baked tokens have no sub claim, which OB 3.0 section 8.2.4.1 requires; the upstream
# validator does not check it, and expects them valid. We fail the claim (see
# ONEDTECH_DIFFERENCES in test_pipeline_conformance for the outcome).
CLAIM_FINDINGS = {
    f"ob30/simple-jwt{version}.{kind}": [("failed", "sub")]
    for version in ("", "_v1")
    for kind in ("png", "svg")
}


@pytest.mark.parametrize("case", vc_jwt_fixtures())
def test_1edtech_vc_jwts_verify_as_the_manifest_records(case: dict[str, Any]) -> None:
    token = fixture_token(case)
    header, _, _ = decode_jwt(token)
    assert (
        header.items()
        >= {
            name: value
            for name, value in case["checked_here"]["jws_header"].items()
            if name != "jwk"
        }.items()
    )
    if case["checked_here"]["jws_signature_verifies"] is not True:
        # No jwk, and a kid (did:velocity) or none at all: the key cannot be found offline.
        with pytest.raises(ResolutionError):
            verify_jwt(token, fetcher=LocalFetcher({}), now=NOW)
        return
    result = verify_jwt(token, fetcher=LocalFetcher({}), now=NOW)
    assert result.algorithm == case["checked_here"]["jws_header"]["alg"]
    expected = CLAIM_FINDINGS.get(case["file"], [("passed", None)])
    assert statuses(result.findings) == expected


def test_the_credentials_inside_the_1edtech_clr_jwt_verify_too() -> None:
    token = conformance.path("1edtech-validator", "clr20", "simple.jwt").read_text()
    clr = verify_jwt(token, now=NOW).credential
    nested = clr["credentialSubject"]["verifiableCredential"]
    assert nested
    for inner in nested:
        result = verify_jwt(inner, now=NOW)
        assert "AchievementCredential" in result.credential["type"]
        assert statuses(result.findings) == [("passed", None)]
