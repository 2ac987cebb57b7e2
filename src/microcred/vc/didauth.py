"""DID Authentication: a holder proves control of a DID by signing a presentation.

A verifier (here: an issuer about to bind a credential to the holder) sends a
challenge and its domain in a Verifiable Presentation Request (VPR,
``DIDAuthentication`` query); the holder answers with a presentation whose
Data Integrity proof has the purpose ``authentication`` and repeats the
challenge and the domain (Data Integrity 1.0 section 2.1, VC API "DID
Authentication"). This module checks such a presentation and returns the DID
it authenticates; the caller decides what to do with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microcred.text import sentence
from microcred.vc.dataintegrity import verify_proofs
from microcred.vc.did import resolve_verification_method
from microcred.vc.errors import DocumentLoaderError, JsonLdError, ProofError, ResolutionError
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader

__all__ = ["did_authentication_request", "verify_did_authentication"]

AUTHENTICATION = "authentication"
# DID methods a wallet's key is resolved from without any network access.
SELF_DESCRIBING_METHODS = ("did:key:", "did:jwk:")


def did_authentication_request(
    *, challenge: str, domain: str, methods: tuple[str, ...] = ("key",)
) -> dict[str, Any]:
    """Return a Verifiable Presentation Request asking the holder to authenticate a DID."""
    return {
        "query": [
            {
                "type": "DIDAuthentication",
                "acceptedMethods": [{"method": method} for method in methods],
                "acceptedCryptosuites": [
                    {"cryptosuite": "eddsa-rdfc-2022"},
                    {"cryptosuite": "Ed25519Signature2020"},
                ],
            }
        ],
        "challenge": challenge,
        "domain": domain,
    }


def verify_did_authentication(
    presentation: Any,
    *,
    challenge: str,
    domain: str,
    now: datetime | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
) -> str:
    """Return the DID that ``presentation`` authenticates; raise :class:`ProofError` if none.

    The presentation must be a ``VerifiablePresentation`` with a ``holder``
    that is a did:key or did:jwk, and one proof, of purpose
    ``authentication``, made by a verification method of that DID, that
    repeats ``challenge`` and ``domain`` and whose signature verifies. Error
    codes: ``didauth.malformed``, ``didauth.wrong_challenge``,
    ``didauth.wrong_domain``, ``didauth.wrong_holder``, ``didauth.wrong_purpose``,
    ``didauth.invalid_proof``.
    """
    if not isinstance(presentation, dict):
        raise ProofError(
            sentence("verifiablePresentation must be a JSON object."),
            code="didauth.malformed",
            field="verifiablePresentation",
        )
    types = presentation.get("type")
    if "VerifiablePresentation" not in (types if isinstance(types, list) else [types]):
        raise ProofError(
            sentence("The presentation's type must include VerifiablePresentation."),
            code="didauth.malformed",
            field="verifiablePresentation.type",
        )
    holder = presentation.get("holder")
    holder = holder.get("id") if isinstance(holder, dict) else holder
    if not isinstance(holder, str) or not holder.startswith(SELF_DESCRIBING_METHODS):
        raise ProofError(
            sentence("The presentation's holder must be the wallet's DID (did:key or did:jwk)."),
            code="didauth.malformed",
            field="verifiablePresentation.holder",
        )
    proof = presentation.get("proof")
    if not isinstance(proof, dict):
        raise ProofError(
            sentence("The presentation needs exactly one proof (an object)."),
            code="didauth.malformed",
            field="verifiablePresentation.proof",
        )
    if proof.get("challenge") != challenge:
        raise ProofError(
            sentence("The proof's challenge is not the one this exchange sent."),
            code="didauth.wrong_challenge",
            field="verifiablePresentation.proof.challenge",
        )
    if proof.get("domain") != domain:
        raise ProofError(
            sentence(
                "The proof's domain must be %(domain)s.",
                domain=repr(domain),
            ),
            code="didauth.wrong_domain",
            field="verifiablePresentation.proof.domain",
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or method.partition("#")[0] != holder:
        raise ProofError(
            sentence("The proof was not made by a key of the holder's DID."),
            code="didauth.wrong_holder",
            field="verifiablePresentation.proof.verificationMethod",
        )

    def resolve_key(vm_id: str) -> Any:
        try:
            return resolve_verification_method(vm_id)
        except ResolutionError as error:
            raise ProofError(error.message, code="didauth.invalid_proof") from error

    try:
        [result] = verify_proofs(
            presentation,
            resolve_key=resolve_key,
            loader=loader,
            now=now,
            expected_purpose=AUTHENTICATION,
        )
    except (JsonLdError, DocumentLoaderError) as error:
        # The presentation itself cannot be read as JSON-LD: an unknown @context, a bad term.
        raise ProofError(
            sentence(
                "The presentation is not valid JSON-LD: %(message)s",
                message=error.message,
            ),
            code="didauth.malformed",
            field="verifiablePresentation",
        ) from None
    if not result.verified:
        wrong_purpose = result.error is not None and result.error.code == "proof.wrong_purpose"
        raise ProofError(
            result.message,
            code="didauth.wrong_purpose" if wrong_purpose else "didauth.invalid_proof",
            field="verifiablePresentation.proof",
        )
    return holder
