"""eddsa-rdfc-2022: Ed25519 over RDFC-1.0 canonical N-Quads (vc-di-eddsa section 3.2)."""

from __future__ import annotations

from typing import Any

from microcred.text import sentence
from microcred.vc import rdfc
from microcred.vc.errors import ProofError
from microcred.vc.jsonld import ContextLoader
from microcred.vc.suites.base import Cryptosuite


class EddsaRdfc2022(Cryptosuite):
    name = "eddsa-rdfc-2022"

    def proof_configuration(
        self, document: dict[str, Any], options: dict[str, Any], *, path: str
    ) -> dict[str, Any]:
        """Give the proof configuration the document's ``@context`` (section 3.2.5, step 4)."""
        config = super().proof_configuration(document, options, path=path)
        if "@context" not in document:
            raise ProofError(
                sentence(
                    "%(name)s secures JSON-LD documents, and this document has no @context.",
                    name=self.name,
                ),
                field="@context",
            )
        config["@context"] = document["@context"]
        return config

    def canonicalize(
        self,
        value: dict[str, Any],
        *,
        loader: ContextLoader,
        shared_nodes: rdfc.SharedNodes | None = None,
    ) -> bytes:
        """Return the RDFC-1.0 canonical N-Quads of ``value`` (section 3.2.3), UTF-8 encoded."""
        return rdfc.canonicalize(value, loader=loader, shared=shared_nodes).encode("utf-8")
