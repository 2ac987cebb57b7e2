"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents.

Placeholder implementation on pyld; the public functions keep their signatures.
"""

from __future__ import annotations

from typing import Any

from pyld import jsonld

from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader


def canonicalize(document: Any, *, loader: ContextLoader = DEFAULT_LOADER) -> str:
    """Return the canonical N-Quads (RDFC-1.0) of a JSON-LD document."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader, "safe": True},
    )
