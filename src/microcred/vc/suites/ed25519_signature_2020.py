"""Ed25519Signature2020: the Linked Data Proof suite before Data Integrity (vc-di-eddsa appendix).

Hashing is that of eddsa-rdfc-2022 (URDNA2015, which RDFC-1.0 equals, proof
hash first); the proof has its own ``type`` and no ``cryptosuite``. Its terms
are defined by the suite context, which the document must list.
"""

from __future__ import annotations

from typing import Any

from microcred.text import sentence
from microcred.vc.errors import ProofError
from microcred.vc.suites.eddsa_rdfc_2022 import EddsaRdfc2022

SUITE_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


class Ed25519Signature2020(EddsaRdfc2022):
    name = "Ed25519Signature2020"
    proof_type = "Ed25519Signature2020"
    legacy = "eddsa-rdfc-2022"

    def proof_from_options(
        self, document: dict[str, Any], options: dict[str, Any]
    ) -> dict[str, Any]:
        """Refuse documents that do not list the suite context, which defines the proof's terms."""
        contexts = document.get("@context")
        if SUITE_CONTEXT not in (contexts if isinstance(contexts, list) else [contexts]):
            raise ProofError(
                sentence(
                    "An Ed25519Signature2020 proof needs %(suite_context)s in the "
                    "document's @context.",
                    suite_context=SUITE_CONTEXT,
                ),
                field="@context",
            )
        return dict(options)
