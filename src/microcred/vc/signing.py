"""Sign a credential with any suite microcred speaks: one entry point for CLI and apps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal, overload

from microcred.text import sentence
from microcred.vc import dataintegrity
from microcred.vc import jwt as vcjwt
from microcred.vc.errors import ProofError
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader
from microcred.vc.suites import DocumentHashes, ProofHashes

VC_JWT = "vc-jwt"


# A compact JWS for vc-jwt, so that callers who ask for one need not check.
@overload
def sign(
    credential: dict[str, Any],
    *,
    key: Any,
    suite: Literal["vc-jwt"],
    verification_method: str | None = None,
    created: datetime | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
) -> str: ...


@overload
def sign(
    credential: dict[str, Any],
    *,
    key: Any,
    suite: str = "eddsa-rdfc-2022",
    verification_method: str | None = None,
    created: datetime | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
) -> dict[str, Any] | str: ...


def sign(
    credential: dict[str, Any],
    *,
    key: Any,
    suite: str = "eddsa-rdfc-2022",
    verification_method: str | None = None,
    created: datetime | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
) -> dict[str, Any] | str:
    """Return ``credential`` signed: a new JSON document, or a compact JWS for ``vc-jwt``.

    ``verification_method`` defaults to the key's did:key, so a key from
    ``microcred keys generate`` signs credentials anyone can verify offline.
    """
    return next(
        sign_many(
            [credential],
            key=key,
            suite=suite,
            verification_method=verification_method,
            created=created,
            loader=loader,
        )
    )


def sign_many(
    credentials: Iterable[dict[str, Any]],
    *,
    key: Any,
    suite: str = "eddsa-rdfc-2022",
    verification_method: str | None = None,
    created: datetime | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
    proof_hashes: ProofHashes | None = None,
    document_hashes: DocumentHashes | None = None,
) -> Iterator[dict[str, Any] | str]:
    """Return an iterator of ``credentials`` signed as :func:`sign` signs one, sharing the work.

    Every proof of the batch has the same configuration, so a Data Integrity
    suite canonicalizes it once for the batch (per distinct ``@context``)
    instead of once per credential: for eddsa-rdfc-2022 that is half of the
    JSON-LD work. Pass ``proof_hashes`` and ``document_hashes`` (empty dicts)
    to :func:`microcred.vc.verify_batch` too, and verifying what was just
    signed canonicalizes nothing again. Credentials are signed lazily, in order.
    """
    if suite == VC_JWT:
        # Without a method, sign_jwt names a did:key or embeds the public JWK (RSA).
        return (
            vcjwt.sign_jwt(_credential(credential), key, kid=verification_method, now=created)
            for credential in credentials
        )
    return dataintegrity.sign_many(
        map(_credential, credentials),
        key=key,
        suite=suite,
        verification_method=verification_method or default_verification_method(key),
        created=created,
        loader=loader,
        proof_hashes=proof_hashes,
        document_hashes=document_hashes,
    )


def _credential(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProofError(sentence("Only a JSON object (a credential) can be signed."))
    return value


def default_verification_method(key: Any) -> str:
    """Return the did:key verification method of an Ed25519 key; other keys need one given."""
    public = getattr(key, "public", None)
    method: str | None = getattr(public, "did_key_verification_method", None)
    if method is None:
        raise ProofError(
            sentence(
                "This key has no did:key form; give --verification-method (the URL where verifiers "
                "find the public key)."
            ),
            field="verificationMethod",
        )
    return method
