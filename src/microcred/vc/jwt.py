"""VC-JWT: credentials secured as a compact JWS (RFC 7515), signed and verified.

Two profiles:

- ``ob3``, Open Badges 3.0 section 8.2 (JSON Web Token Proof Format). The
  JOSE header has ``alg``, ``typ`` ``JWT`` and ``kid`` or ``jwk``; the payload
  is the credential plus the JWT claims ``iss`` (issuer id), ``jti`` (id),
  ``nbf`` (validFrom), ``exp`` (validUntil) and ``sub``
  (credentialSubject.id). A VC Data Model 1.1 credential goes into the ``vc``
  claim instead, with issuanceDate and expirationDate (section 8.2.6, note).
- ``vc-jose``, Securing Verifiable Credentials using JOSE and COSE, section
  3.1: the payload is the credential itself; ``typ`` ``vc+jwt``, ``cty`` ``vc``.

The JWS is a few lines over the key classes of :mod:`microcred.vc.keys`, so
that a key resolved from a DID verifies a JWT as it verifies a Data Integrity
proof. joserfc converts JWKs; its JWS layer is not used because it caps
payloads at 128 kB (a CLR with images is larger) and warns on every use of
``EdDSA``, the algorithm name Open Badges uses.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.text import sentence
from microcred.vc.dates import format_datetime, parse_datetime
from microcred.vc.did import SCHEME, resolve_verification_method
from microcred.vc.errors import InputError, InvalidSignature, ProofError, ResolutionError, VCError
from microcred.vc.http import Fetcher
from microcred.vc.inputs import parse_json
from microcred.vc.keys import PrivateKey, PublicKey, public_key_from_jwk
from microcred.vc.report import Check, CheckStatus

PROFILES = ("ob3", "vc-jose")
# The registered claim names of RFC 7519 section 4.1: JWT metadata, not credential properties.
JWT_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
VC_JOSE_TYPES = ("vc+jwt", "vc+ld+json+jwt", "vc+ld+jwt")
# Header alg -> the jws_algorithm of the keys that verify it. "Ed25519" is the
# fully specified name of RFC 9864 for what Open Badges calls "EdDSA".
ALGORITHMS = {"EdDSA": "EdDSA", "Ed25519": "EdDSA", "RS256": "RS256", "ES256": "ES256"}
VC_V1 = "https://www.w3.org/2018/credentials/v1"
BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")
# The NumericDates Python's datetime can show: 0001-01-01 to 9999-12-31 (and not NaN).
NUMERIC_DATES = (-62135596800, 253402300799)
CLAIMS_CHECK = "jwt.claims"
# OB 3.0 section 8.2.4.1: these MUST be present when the credential has what they stand for.
REQUIRED_CLAIMS = ("iss", "jti", "nbf", "sub")


@dataclass(frozen=True)
class JwtVerification:
    """A VC-JWT whose signature verified, with what its claims say about the credential.

    ``findings`` are ``jwt.claims`` checks for the report; ``controller`` is
    who controls the key when ``kid`` resolved to one, and
    ``controller_verified`` whether the controller itself lists the key.
    """

    credential: dict[str, Any]
    header: dict[str, Any]
    payload: dict[str, Any]
    profile: str
    algorithm: str
    key: PublicKey
    key_id: str | None
    controller: str | None
    controller_verified: bool
    findings: list[Check]


def sign_jwt(
    credential: dict[str, Any],
    key: PrivateKey,
    *,
    kid: str | None = None,
    embed_jwk: bool = False,
    profile: str = "ob3",
    now: datetime | None = None,
) -> str:
    """Return ``credential`` secured as a compact JWS.

    ``kid`` is the verification method URL verifiers dereference; with
    ``embed_jwk`` the public JWK goes into the header too. With neither, an
    Ed25519 or P-256 key names its did:key and an RSA key embeds its JWK, so
    that the token always says where its key is (OB 3.0 section 8.2.3).
    ``now`` becomes the ``iat`` claim of the ``ob3`` profile.
    """
    if profile not in PROFILES:
        raise ProofError(
            sentence(
                "Unknown VC-JWT profile %(profile)s; choose one of %(profiles)s.",
                profile=repr(profile),
                profiles=", ".join(PROFILES),
            ),
            data={"profile": profile},
        )
    if not isinstance(credential, dict):
        raise ProofError(sentence("Only a JSON object (a credential) can be signed."))
    public = key.public
    if kid is None and not embed_jwk:
        kid = getattr(public, "did_key_verification_method", None)
        embed_jwk = kid is None
    header: dict[str, Any] = {"alg": public.jws_algorithm}
    if profile == "ob3":
        header["typ"] = "JWT"
        payload = _ob3_payload(credential, now)
    else:
        header.update(typ="vc+jwt", cty="vc")
        payload = credential
    if kid is not None:
        header["kid"] = kid
    if embed_jwk:
        header["jwk"] = public.jwk
    signing_input = f"{_encode_json(header)}.{_encode_json(payload)}"
    return f"{signing_input}.{_b64encode(key.sign(signing_input.encode('ascii')))}"


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Return the JOSE header, the payload and the credential of a compact JWS, unverified.

    The credential is the ``vc`` claim when there is one (VC Data Model 1.1),
    else the payload without the registered JWT claims. Raise
    :class:`InputError` for anything that is not a compact JWS of JSON objects.
    """
    if not isinstance(token, str):
        raise InputError(sentence("A JWT is a string of three base64url parts separated by dots."))
    parts = token.strip().split(".")
    if len(parts) == 5:
        raise InputError(
            sentence("This is an encrypted JWT (JWE); microcred reads signed ones (JWS).")
        )
    if len(parts) != 3:
        raise InputError(
            sentence(
                "Not a compact JWS: expected three base64url parts separated by dots, "
                "found %(count)s.",
                count=len(parts),
            )
        )
    header = _json_part(parts[0], "header")
    payload = _json_part(parts[1], "payload")
    _b64decode(parts[2], "signature")
    if not isinstance(header.get("alg"), str):
        raise InputError(
            sentence("The JOSE header has no alg (the signature algorithm)."), field="alg"
        )
    if header.get("b64") is False:
        raise InputError(
            sentence("Unencoded JWS payloads (RFC 7797, b64: false) are not supported.")
        )
    return header, payload, _credential(payload)


def verify_jwt(
    token: str, *, fetcher: Fetcher | None = None, now: datetime | None = None
) -> JwtVerification:
    """Verify the signature of a VC-JWT and compare its claims with its credential.

    Open Badges 3.0 section 8.2.6: the key comes from ``kid`` (a did:key,
    did:web or URL dereferenced through ``fetcher``; a ``kid`` such as
    ``#key-1`` is taken relative to ``iss``) or else from ``jwk``. Raise
    :class:`InputError` for a token that is not a JWS, :class:`ProofError`
    for a refused algorithm or header, :class:`ResolutionError` when the key
    cannot be found and :class:`InvalidSignature` when the signature does not
    match. Claims that disagree with the credential are findings, not errors.
    """
    header, payload, credential = decode_jwt(token)
    algorithm = _check_algorithm(header)
    if "crit" in header:
        raise ProofError(
            sentence(
                "The JWT header marks extensions as critical (%(crit)s); microcred "
                "understands none, so it must refuse the token (RFC 7515 section "
                "4.1.11).",
                crit=repr(header["crit"]),
            ),
            code="jwt.unsupported_header",
            field="crit",
        )
    key_id, key, controller, controller_verified = _verification_key(header, payload, fetcher)
    if key.jws_algorithm != ALGORITHMS[algorithm]:
        raise ProofError(
            sentence(
                "The JWT header says %(algorithm)s, but the key %(key_id)s is an "
                "%(key_algorithm)s key.",
                algorithm=algorithm,
                key_id=key_id or sentence("in its header"),
                key_algorithm=key.algorithm,
            ),
            code="jwt.algorithm_mismatch",
            field="alg",
        )
    signing_input, _, signature = token.strip().rpartition(".")
    try:
        key.verify(_b64decode(signature, "signature"), signing_input.encode("ascii"))
    except InvalidSignature as error:
        raise InvalidSignature(
            sentence(
                "The JWT signature does not match: the token changed after signing, or the key "
                "is not the one that signed."
            ),
            field="signature",
        ) from error
    profile = "vc-jose" if header.get("typ") in VC_JOSE_TYPES else "ob3"
    return JwtVerification(
        credential=credential,
        header=header,
        payload=payload,
        profile=profile,
        algorithm=algorithm,
        key=key,
        key_id=key_id,
        controller=controller,
        controller_verified=controller_verified,
        findings=check_claims(header, payload, credential, profile=profile, now=now),
    )


def check_claims(
    header: dict[str, Any],
    payload: dict[str, Any],
    credential: dict[str, Any],
    *,
    profile: str = "ob3",
    now: datetime | None = None,
) -> list[Check]:
    """Compare the JWT claims with the credential they carry; return ``jwt.claims`` checks.

    Open Badges 3.0 section 8.2.6.1: ``iss`` must match the issuer id, ``sub``
    credentialSubject.id, ``nbf`` validFrom, ``jti`` the id, and ``exp``
    sets validUntil. A claim that disagrees fails. Under ``ob3`` a missing
    ``iss``, ``jti``, ``nbf`` or ``sub`` fails when the credential has the
    value it stands for (the section says MUST; the 1EdTech validator's
    fixtures that omit ``sub`` are listed in the conformance tests), and a
    missing ``exp`` is a warning. Under ``vc-jose`` the claims are optional, and the
    ``vc`` claim is forbidden (VC-JOSE-COSE section 3.1.3). A date claim for
    which the credential has no date is checked against ``now``.
    """
    findings: list[Check] = []
    vcdm1 = _is_vcdm1(credential)
    start, end = ("issuanceDate", "expirationDate") if vcdm1 else ("validFrom", "validUntil")
    expected = {
        "iss": ("issuer.id", _issuer_id(credential)),
        "jti": ("id", credential.get("id")),
        "sub": ("credentialSubject.id", _subject_ids(credential) or None),
        "nbf": (start, credential.get(start)),
        "exp": (end, credential.get(end)),
    }
    compared = []
    for claim, (field, value) in expected.items():
        if claim not in payload:
            if profile == "ob3" and value is not None:
                required = claim in REQUIRED_CLAIMS
                findings.append(
                    _finding(
                        CheckStatus.FAILED if required else CheckStatus.WARNING,
                        sentence(
                            "The JWT has no %(claim)s claim; Open Badges 3.0 section 8.2.4.1 "
                            "requires it (the credential's %(field)s).",
                            claim=claim,
                            field=field,
                        )
                        if required
                        else sentence(
                            "The JWT has no %(claim)s claim; Open Badges 3.0 section 8.2.4.1 "
                            "asks for it (the credential's %(field)s).",
                            claim=claim,
                            field=field,
                        ),
                        claim=claim,
                    )
                )
            continue
        compared.append(claim)
        problem = _claim_problem(claim, payload[claim], field, value, now)
        if problem:
            findings.append(
                _finding(CheckStatus.FAILED, problem, claim=claim, value=payload[claim])
            )
    if profile == "vc-jose" and ("vc" in payload or "vp" in payload):
        findings.append(
            _finding(
                CheckStatus.FAILED,
                sentence(
                    "A vc+jwt payload is the credential itself; the vc and vp claims must not "
                    "be present (VC-JOSE-COSE section 3.1.3)."
                ),
                claim="vc",
            )
        )
    if profile == "ob3" and str(header.get("typ", "JWT")).upper() != "JWT":
        findings.append(
            _finding(
                CheckStatus.WARNING,
                sentence(
                    "The JOSE header typ is %(typ)s; Open Badges 3.0 section 8.2.3 wants "
                    "JWT when present.",
                    typ=repr(header["typ"]),
                ),
                typ=header["typ"],
            )
        )
    if not any(f.status is CheckStatus.FAILED for f in findings):
        message = (
            sentence(
                "The JWT claims %(claims)s agree with the credential.", claims=", ".join(compared)
            )
            if compared
            else sentence("The JWT carries no claims to compare with the credential.")
        )
        findings.append(_finding(CheckStatus.PASSED, message))
    return findings


def _claim_problem(
    claim: str, value: Any, field: str, expected: Any, now: datetime | None
) -> str | None:
    """Say what is wrong with one claim, or return None when it agrees."""
    if claim in ("nbf", "exp"):
        return _date_claim_problem(claim, value, field, expected, now)
    if claim == "sub":
        if expected is not None and value in expected:
            return None
        return sentence(
            "The sub claim is %(value)s, but credentialSubject.id is %(expected)s.",
            value=repr(value),
            expected=repr(_one(expected)),
        )
    if value == expected:
        return None
    return sentence(
        "The %(claim)s claim is %(value)s, but the credential's %(field)s is %(expected)s.",
        claim=claim,
        value=repr(value),
        field=field,
        expected=repr(expected),
    )


def _date_claim_problem(
    claim: str, value: Any, field: str, expected: Any, now: datetime | None
) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return sentence(
            "The %(claim)s claim must be a NumericDate (seconds since 1970), not %(value)s.",
            claim=claim,
            value=repr(value),
        )
    if not NUMERIC_DATES[0] <= value <= NUMERIC_DATES[1]:
        return sentence(
            "The %(claim)s claim %(value)s is not a date between the years 1 and 9999.",
            claim=claim,
            value=repr(value),
        )
    if expected is None:
        # OB 3.0 section 8.2.6.1: exp sets validUntil; the claims are the only dates there are.
        moment = math.floor(value)
        if now is not None and claim == "exp" and moment <= now.timestamp():
            return sentence(
                "The JWT expired at %(value)s (its exp claim).",
                value=_iso(moment),
            )
        if now is not None and claim == "nbf" and moment > now.timestamp():
            return sentence(
                "The JWT is not valid before %(value)s (its nbf claim).",
                value=_iso(moment),
            )
        return None
    try:
        seconds = math.floor(parse_datetime(expected).timestamp())
    except VCError as error:
        return sentence(
            "The credential's %(field)s is not a date-time: %(message)s",
            field=field,
            message=error.message,
        )
    if seconds == math.floor(value):
        return None
    return sentence(
        "The %(claim)s claim is %(value)s, but the credential's %(field)s is %(expected)s.",
        claim=claim,
        value=_iso(math.floor(value)),
        field=field,
        expected=expected,
    )


def _finding(status: CheckStatus, message: str, **data: Any) -> Check:
    return Check(id=CLAIMS_CHECK, status=status, message=message, data=data)


def _check_algorithm(header: dict[str, Any]) -> str:
    algorithm: str = header["alg"]
    if algorithm == "none" or algorithm.upper().startswith("HS"):
        why = (
            sentence("it carries no signature")
            if algorithm == "none"
            else sentence("a shared secret proves nothing about who issued the credential")
        )
        raise ProofError(
            sentence(
                "The JWT algorithm %(algorithm)s is refused: %(why)s.",
                algorithm=repr(algorithm),
                why=why,
            ),
            code="jwt.algorithm_refused",
            field="alg",
        )
    if algorithm not in ALGORITHMS:
        raise ProofError(
            sentence(
                "The JWT algorithm %(algorithm)s is not supported; microcred verifies "
                "%(algorithms)s.",
                algorithm=repr(algorithm),
                algorithms=", ".join(ALGORITHMS),
            ),
            code="jwt.algorithm_unsupported",
            field="alg",
        )
    return algorithm


def _verification_key(
    header: dict[str, Any], payload: dict[str, Any], fetcher: Fetcher | None
) -> tuple[str | None, PublicKey, str | None, bool]:
    """Return the key's id, the key, its controller and whether the controller confirms it.

    A ``kid`` URL wins over an embedded ``jwk``: it names a key its controller
    publishes, where a header ``jwk`` is only what the token says of itself.
    """
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise ProofError(sentence("The JOSE header kid must be a string."), field="kid")
    issuer = payload.get("iss")
    if kid and kid.startswith("#") and isinstance(issuer, str):
        kid = issuer + kid
    if kid and SCHEME.match(kid):
        resolved = resolve_verification_method(kid, fetcher=fetcher)
        return kid, resolved.key, resolved.controller, resolved.controller_verified
    if "jwk" in header:
        return None, public_key_from_jwk(header["jwk"], field="jwk"), None, False
    if kid:
        raise ResolutionError(
            sentence(
                "The JOSE header kid %(kid)s is not a URL and there is no jwk: the key "
                "cannot be found.",
                kid=repr(kid),
            ),
            data={"kid": kid},
        )
    raise ResolutionError(
        sentence(
            "The JOSE header names no key: it has neither kid nor jwk (Open Badges 3.0 section "
            "8.2.3 requires one of them)."
        )
    )


def _ob3_payload(credential: dict[str, Any], now: datetime | None) -> dict[str, Any]:
    """Return the JWT payload of OB 3.0 section 8.2.4.1 for ``credential``."""
    vcdm1 = _is_vcdm1(credential)
    subjects = _subject_ids(credential)
    claims = {
        "iss": _issuer_id(credential),
        "jti": credential.get("id"),
        "sub": subjects[0] if len(subjects) == 1 else None,
        "nbf": _numeric_date(credential, "issuanceDate" if vcdm1 else "validFrom"),
        "exp": _numeric_date(credential, "expirationDate" if vcdm1 else "validUntil"),
        "iat": math.floor(now.timestamp()) if now is not None else None,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    if vcdm1:
        return {"vc": credential, **claims}
    clashes = [name for name in JWT_CLAIMS if name in credential]
    if clashes:
        raise ProofError(
            sentence(
                "The credential has members named like JWT claims (%(clashes)s); they "
                "would be taken for the token's own claims.",
                clashes=", ".join(clashes),
            ),
            field=clashes[0],
        )
    return {**credential, **claims}


def _numeric_date(credential: dict[str, Any], field: str) -> int | None:
    value = credential.get(field)
    if value is None:
        return None
    try:
        return math.floor(parse_datetime(value).timestamp())
    except VCError as error:
        raise ProofError(
            sentence(
                "%(field)s: %(message)s",
                field=field,
                message=error.message,
            ),
            field=field,
        ) from error


def _is_vcdm1(credential: dict[str, Any]) -> bool:
    context = credential.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    return first == VC_V1


def _issuer_id(credential: dict[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _subject_ids(credential: dict[str, Any]) -> list[Any]:
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return [s["id"] for s in subjects if isinstance(s, dict) and "id" in s]


def _one(values: list[Any] | None) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _iso(seconds: int) -> str:
    return format_datetime(datetime.fromtimestamp(seconds, UTC))


def _credential(payload: dict[str, Any]) -> dict[str, Any]:
    if "vc" in payload:
        if not isinstance(payload["vc"], dict):
            raise InputError(
                sentence("The vc claim must be a JSON object (the credential)."), field="vc"
            )
        return payload["vc"]
    return {name: value for name, value in payload.items() if name not in JWT_CLAIMS}


def _json_part(segment: str, part: str) -> dict[str, Any]:
    try:
        value = parse_json(_b64decode(segment, part))
    except ValueError as exc:
        raise InputError(
            sentence(
                "The JWT %(part)s is not JSON: %(exc)s.",
                part=part,
                exc=exc,
            )
        ) from exc
    if not isinstance(value, dict):
        raise InputError(
            sentence(
                "The JWT %(part)s must be a JSON object.",
                part=part,
            )
        )
    return value


def _b64decode(segment: str, part: str) -> bytes:
    if not BASE64URL.match(segment) or len(segment) % 4 == 1:
        raise InputError(
            sentence(
                "The JWT %(part)s is not base64url.",
                part=part,
            )
        )
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except binascii.Error as exc:
        raise InputError(
            sentence(
                "The JWT %(part)s is not base64url: %(exc)s.",
                part=part,
                exc=exc,
            )
        ) from exc


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _encode_json(value: Any) -> str:
    return _b64encode(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
