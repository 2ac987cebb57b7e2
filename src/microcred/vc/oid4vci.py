"""OpenID for Verifiable Credential Issuance 1.0: the wallet's proof of possession.

A wallet proves that it holds the key the credential is to be bound to with a
``jwt`` proof (OID4VCI 1.0 appendix F.1): a compact JWS of type
``openid4vci-proof+jwt`` whose header names the key (``kid``, a DID URL, or
``jwk``) and whose claims give the credential issuer as ``aud``, the time of
signing as ``iat`` and the ``c_nonce`` the issuer handed out as ``nonce``.
This module checks the token and returns who signed it; the issuer checks the
nonce against what it handed out.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from microcred.vc.did import resolve_verification_method
from microcred.vc.errors import (
    InputError,
    InvalidSignature,
    KeyFormatError,
    ProofError,
    ResolutionError,
)
from microcred.vc.jwt import ALGORITHMS, decode_jwt
from microcred.vc.keys import public_key_from_jwk

__all__ = ["PROOF_TYPE", "PossessionProof", "verify_proof_jwt"]

PROOF_TYPE = "openid4vci-proof+jwt"
# How far iat may be from the issuer's clock: the wallet signs right before it asks.
MAX_AGE = timedelta(minutes=5)
MAX_SKEW = timedelta(seconds=60)


@dataclass(frozen=True)
class PossessionProof:
    """A verified ``jwt`` proof: the DID (or ``did:jwk``) the credential binds to, and its nonce."""

    holder: str
    nonce: str | None


def verify_proof_jwt(token: Any, *, audience: str, now: datetime) -> PossessionProof:
    """Verify a ``jwt`` key proof and return the holder it names and the nonce it carries.

    Raise :class:`ProofError` with code ``invalid_proof`` for anything that
    is not a valid proof for ``audience`` signed at about ``now`` (OID4VCI 1.0
    section 8.3.1.2 and appendix F.1). The holder is the DID of ``kid`` (a
    did:key or did:jwk URL), or a ``did:jwk`` made from a header ``jwk``.
    """
    try:
        header, payload, _ = decode_jwt(token)
    except InputError as error:
        raise _invalid(f"The proof's jwt is not a compact JWS: {error.message}", "jwt") from None
    if header.get("typ") != PROOF_TYPE:
        raise _invalid(f"The proof's JOSE header typ must be {PROOF_TYPE}.", "jwt.typ")
    algorithm = header["alg"]
    if algorithm not in ALGORITHMS:
        raise _invalid(
            f"The proof's alg {algorithm!r} is not supported; use one of "
            f"{', '.join(sorted(ALGORITHMS))}.",
            "jwt.alg",
        )
    holder, key = _holder_key(header)
    if key.jws_algorithm != ALGORITHMS[algorithm]:
        raise _invalid(f"The proof's alg {algorithm} does not fit its key.", "jwt.alg")
    signing_input, _, signature = str(token).strip().rpartition(".")
    try:
        key.verify(_b64decode(signature), signing_input.encode("ascii"))
    except InvalidSignature:
        raise _invalid("The proof's signature does not verify with its key.", "jwt") from None
    audiences = payload.get("aud")
    if audience not in (audiences if isinstance(audiences, list) else [audiences]):
        raise _invalid(f"The proof's aud must be the credential issuer {audience}.", "jwt.aud")
    issued = payload.get("iat")
    if not isinstance(issued, int | float) or isinstance(issued, bool):
        raise _invalid("The proof needs iat, the time it was signed (seconds).", "jwt.iat")
    age = now.timestamp() - issued
    if age > MAX_AGE.total_seconds() or age < -MAX_SKEW.total_seconds():
        raise _invalid("The proof's iat is too far from now: sign a fresh proof.", "jwt.iat")
    nonce = payload.get("nonce")
    if nonce is not None and not isinstance(nonce, str):
        raise _invalid("The proof's nonce must be a string.", "jwt.nonce")
    return PossessionProof(holder=holder, nonce=nonce)


def _holder_key(header: dict[str, Any]) -> tuple[str, Any]:
    """Return the holder's DID and public key named by the header's ``kid`` or ``jwk``."""
    kid, jwk = header.get("kid"), header.get("jwk")
    if (kid is None) == (jwk is None):
        raise _invalid("The proof's header must name its key by kid (a DID URL) or jwk.", "jwt")
    if kid is not None:
        if not isinstance(kid, str) or not kid.startswith(("did:key:", "did:jwk:")):
            raise _invalid("The proof's kid must be a did:key or did:jwk URL.", "jwt.kid")
        try:
            return kid.partition("#")[0], resolve_verification_method(kid).key
        except ResolutionError as error:
            raise _invalid(
                f"The proof's kid does not resolve: {error.message}", "jwt.kid"
            ) from None
    try:
        key = public_key_from_jwk(jwk, field="jwk")
    except KeyFormatError as error:
        raise _invalid(f"The proof's jwk is not a public key: {error.message}", "jwt.jwk") from None
    public = {
        name: value for name, value in key.jwk.items() if name in ("kty", "crv", "x", "y", "n", "e")
    }
    encoded = json.dumps(public, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return f"did:jwk:{base64.urlsafe_b64encode(encoded).rstrip(b'=').decode('ascii')}", key


def _b64decode(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except ValueError:
        raise _invalid("The proof's signature is not base64url.", "jwt") from None


def _invalid(message: str, field: str) -> ProofError:
    return ProofError(message, code="invalid_proof", field=f"proof.{field}")
