"""Signed verification: an RS256 JWS, an issuer's CryptographicKey and its RevocationList.

OB 2.0 "Signed Verification": the compact JWS must verify with a key the
issuer authorises ("VerificationObject", ``creator``; "CryptographicKey"),
and the assertion must not be on the issuer's "RevocationList".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cryptography.exceptions import InvalidSignature as BadSignature
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from microcred.text import sentence
from microcred.vc.datamodel import as_list
from microcred.vc.errors import FetchError
from microcred.vc.ob2.documents import Presented, b64url
from microcred.vc.ob2.session import Session
from microcred.vc.report import CheckStatus


def verify_signed(session: Session, presented: Presented, issuer: dict[str, Any] | None) -> None:
    """Check the JWS with an authorised issuer key, then the revocation list.

    OB 2.0 "Signed Verification" and "RevocationList".
    """
    assertion, header = presented.document, presented.header or {}
    header_part, payload_part, signature_part = (presented.token or "").split(".")
    if header.get("alg") != "RS256":
        session.add(
            "ob2.signature",
            CheckStatus.FAILED,
            sentence(
                "Signed OB 2.0 assertions use RS256; this JWS uses %(alg)s.",
                alg=repr(header.get("alg")),
            ),
        )
    elif issuer is None:
        session.add(
            "ob2.signature",
            CheckStatus.FAILED,
            sentence("The issuer Profile could not be read, so its keys are unknown."),
        )
    else:
        _check_jws(
            session,
            f"{header_part}.{payload_part}".encode("ascii"),
            signature_part,
            assertion,
            issuer,
        )
    _check_revocation_list(session, assertion, issuer)


def _check_jws(
    session: Session,
    signing_input: bytes,
    signature_part: str,
    assertion: dict[str, Any],
    issuer: dict[str, Any],
) -> None:
    """Verify the signature (RS256: RSASSA-PKCS1-v1_5, SHA-256) with the issuer's keys."""
    signature = b64url(signature_part, "signature")
    reasons: list[str] = []
    for key_id, key in _signing_keys(session, assertion, issuer, reasons):
        try:
            public_key = serialization.load_pem_public_key(key["publicKeyPem"].encode("utf-8"))
        except (ValueError, UnsupportedAlgorithm) as exc:
            reasons.append(f"the key {key_id} has an unreadable publicKeyPem ({exc})")
            continue
        if not isinstance(public_key, rsa.RSAPublicKey):
            reasons.append(f"the key {key_id} is not an RSA key")
            continue
        try:
            public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        except BadSignature:
            reasons.append(f"the signature does not match the key {key_id}")
            continue
        session.add(
            "ob2.signature",
            CheckStatus.PASSED,
            sentence(
                "The JWS signature verifies with the issuer's key %(key_id)s.",
                key_id=key_id,
            ),
            key=key_id,
        )
        return
    session.add(
        "ob2.signature",
        CheckStatus.FAILED,
        "The signature cannot be verified: " + ("; ".join(reasons) or "no key") + ".",
    )


def _signing_keys(
    session: Session, assertion: dict[str, Any], issuer: dict[str, Any], reasons: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield the keys to try: ``verification.creator``, else the issuer's ``publicKey``.

    A key is authorised when its ``owner`` is the issuer or the issuer's
    ``publicKey`` lists it (OB 2.0 "VerificationObject", ``creator``).
    """
    verification = assertion.get("verification")
    creator = verification.get("creator") if isinstance(verification, dict) else None
    listed = as_list(issuer.get("publicKey"))
    listed_ids = {_node_id(key) for key in listed}
    candidates = [creator] if creator is not None else listed
    if not candidates:
        reasons.append("neither verification.creator nor the issuer's publicKey names a key")
    issuer_id = issuer.get("id")
    for candidate in candidates:
        key_id = _node_id(candidate) or "(embedded key)"
        if isinstance(candidate, dict) and "publicKeyPem" in candidate:
            key: Any = candidate
        else:
            try:
                key = session.fetch_json(key_id)
            except FetchError as exc:
                reasons.append(f"the key {key_id} cannot be fetched ({exc})")
                continue
        if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
            reasons.append(f"the key {key_id} has no publicKeyPem")
            continue
        owner = key.get("owner")
        if owner is not None and owner != issuer_id:
            reasons.append(f"the key {key_id} belongs to {owner}, not to the issuer {issuer_id}")
            continue
        if owner is None and key_id not in listed_ids:
            reasons.append(f"the issuer {issuer_id} does not list the key {key_id}")
            continue
        yield key_id, key


def _node_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _check_revocation_list(
    session: Session, assertion: dict[str, Any], issuer: dict[str, Any] | None
) -> None:
    """Look the assertion up in the issuer's ``revocationList`` (OB 2.0 "RevocationList")."""
    if issuer is None:
        session.skip("ob2.revocation", "Without the issuer, its revocation list is unknown.")
        return
    url = issuer.get("revocationList")
    if url is None:
        session.add(
            "ob2.revocation",
            CheckStatus.PASSED,
            sentence("The issuer publishes no revocation list."),
        )
        return
    try:
        document = session.fetch_json(url) if isinstance(url, str) else url
    except FetchError as exc:
        session.add(
            "ob2.revocation",
            CheckStatus.FAILED,
            sentence(
                "The issuer's revocation list cannot be fetched: %(reason)s",
                reason=exc.message,
            ),
        )
        return
    entries = document.get("revokedAssertions") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        session.add(
            "ob2.revocation",
            CheckStatus.FAILED,
            sentence(
                "The revocation list at %(url)s has no revokedAssertions array.",
                url=url,
            ),
        )
        return
    identifiers = {assertion.get("id"), assertion.get("uid")} - {None}
    for entry in entries:
        # An entry is the revoked assertion's id, or an object with its id or uid.
        listed = {entry.get("id"), entry.get("uid")} if isinstance(entry, dict) else {entry}
        if listed & identifiers:
            session.revoked(entry.get("revocationReason") if isinstance(entry, dict) else None)
            return
    session.add(
        "ob2.revocation",
        CheckStatus.PASSED,
        sentence("The assertion is not on the issuer's revocation list."),
    )
