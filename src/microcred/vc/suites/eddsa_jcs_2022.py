"""eddsa-jcs-2022: Ed25519 over JCS (RFC 8785) canonical JSON (vc-di-eddsa section 3.3)."""

from __future__ import annotations

from typing import Any

from microcred.text import sentence
from microcred.vc.errors import ProofError, VCError
from microcred.vc.jcs import canonicalize_json
from microcred.vc.jsonld import ContextLoader
from microcred.vc.rdfc import SharedNodes
from microcred.vc.suites.base import Cryptosuite


class EddsaJcs2022(Cryptosuite):
    name = "eddsa-jcs-2022"

    def proof_from_options(
        self, document: dict[str, Any], options: dict[str, Any]
    ) -> dict[str, Any]:
        """Copy the document's ``@context`` into the proof (section 3.3.1, step 2).

        The signed proof keeps it, so the proof can later travel in a proof
        set whose document gained more contexts.
        """
        proof = dict(options)
        if "@context" in document:
            proof["@context"] = document["@context"]
        return proof

    def document_to_verify(
        self, document: dict[str, Any], options: dict[str, Any], *, path: str
    ) -> dict[str, Any]:
        """Hash the document under the proof's ``@context`` (section 3.3.2, step 4).

        The document's ``@context`` must start with the proof's, in order.
        """
        if "@context" not in options:
            return document
        signed = _as_list(options["@context"])
        if _as_list(document.get("@context"))[: len(signed)] != signed:
            raise ProofError(
                sentence(
                    "The document's @context does not start with the @context the proof was "
                    "made with."
                ),
                code="proof.context_mismatch",
                field=f"{path}.@context",
            )
        return {**document, "@context": options["@context"]}

    def canonicalize(
        self,
        value: dict[str, Any],
        *,
        loader: ContextLoader,
        shared_nodes: SharedNodes | None = None,
    ) -> bytes:
        """Return the JCS form of ``value`` (section 3.3.3); JSON-LD contexts and
        ``shared_nodes`` play no part."""
        try:
            return canonicalize_json(value)
        except VCError as error:
            raise ProofError(error.message, code=error.code) from error


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
