"""The Data Integrity cryptographic suites microcred speaks, keyed by the spec's name.

Like Django's password hashers: each suite is a small class with
``create_proof`` and ``verify_proof``; :func:`suite_for_proof` picks the one
a proof names. ``DataIntegrityProof`` proofs name their suite in
``cryptosuite``; older suites (``Ed25519Signature2020``) in ``type``.
"""

from __future__ import annotations

from typing import Any

from microcred.text import sentence
from microcred.vc.errors import ProofError
from microcred.vc.suites.base import (
    BoundedProofHashes,
    Cryptosuite,
    DocumentHashes,
    ProofHashes,
    PublicKey,
    SigningKey,
)
from microcred.vc.suites.ed25519_signature_2020 import Ed25519Signature2020
from microcred.vc.suites.eddsa_2022 import Eddsa2022
from microcred.vc.suites.eddsa_jcs_2022 import EddsaJcs2022
from microcred.vc.suites.eddsa_rdfc_2022 import EddsaRdfc2022

__all__ = [
    "SUITES",
    "BoundedProofHashes",
    "Cryptosuite",
    "DocumentHashes",
    "ProofHashes",
    "PublicKey",
    "SigningKey",
    "get_suite",
    "suite_for_proof",
]

SUITES: dict[str, Cryptosuite] = {
    suite.name: suite
    for suite in (EddsaRdfc2022(), EddsaJcs2022(), Ed25519Signature2020(), Eddsa2022())
}


def get_suite(name: str) -> Cryptosuite:
    """Return the suite called ``name``; raise :class:`ProofError` for an unknown one."""
    suite = SUITES.get(name)
    if suite is None:
        raise ProofError(
            sentence(
                "Unknown proof suite %(name)s; microcred knows %(suites)s.",
                name=repr(name),
                suites=", ".join(SUITES),
            ),
            code="proof.unknown_suite",
            data={"suite": name},
        )
    return suite


def suite_for_proof(proof: dict[str, Any], *, path: str = "proof") -> Cryptosuite:
    """Return the suite that verifies ``proof``, from its ``type`` and ``cryptosuite``.

    Data Integrity 1.0 section 3.1 (DataIntegrityProof): the suite is named
    by ``cryptosuite``; a legacy proof type names itself.
    """
    proof_type = proof.get("type")
    if not isinstance(proof_type, str):
        raise ProofError(
            sentence("The proof has no type (a string such as DataIntegrityProof)."),
            code="proof.malformed",
            field=f"{path}.type",
        )
    if proof_type == "DataIntegrityProof":
        name, field = proof.get("cryptosuite"), f"{path}.cryptosuite"
        if not isinstance(name, str):
            raise ProofError(
                sentence("A DataIntegrityProof names its cryptosuite (such as eddsa-rdfc-2022)."),
                code="proof.malformed",
                field=field,
            )
    else:
        name, field = proof_type, f"{path}.type"
    suite = SUITES.get(name)
    if suite is None or (suite.proof_type != proof_type):
        raise ProofError(
            sentence(
                "Unknown proof suite %(name)s; microcred verifies %(suites)s.",
                name=repr(name),
                suites=", ".join(SUITES),
            ),
            code="proof.unknown_suite",
            field=field,
            data={"suite": name},
        )
    return suite
