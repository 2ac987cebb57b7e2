"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, fast and in safe mode.

``canonicalize`` is Transformation for eddsa-rdfc-2022 (vc-di-eddsa section
3.2.3): JSON-LD expansion, deserialization to RDF, RDFC-1.0. How it is made
fast (docs/decisions/0002-fast-canonicalization.md):

1. contexts are processed once per loader and kept with what expansion needs
   of each term (:mod:`._jsonld_contexts`);
2. a compiled expansion does what pyld's does for the JSON-LD that
   credentials use (:mod:`._jsonld_expand`); other documents go through
   pyld's own expansion (:mod:`._jsonld_fallback`);
3. expanded JSON-LD becomes text quads (:mod:`._jsonld_rdf`), which RDFC-1.0
   canonicalizes as string work (:mod:`._rdfc10`).

Both paths give pyld's bytes, with three deliberate differences:

- safe mode. What JSON-LD would drop or leave relative (an undefined term,
  a relative ``@id`` or type, a free-floating value...) raises
  :class:`JsonLdError` naming the JSON path, as jsonld.js does with
  ``safe: true`` and as Data Integrity expects; pyld 3.3 has no such mode;
- literals are escaped as RDFC-1.0 says (control characters as ``\\b``,
  ``\\f``, ``\\u0001``...), as rdf-canonize does; pyld writes them raw;
- a quad that mentions a blank node twice counts once for that node's
  first-degree hash (the spec's "set of quads", as rdf-canonize does);
  pyld counts it twice.
"""

from __future__ import annotations

from typing import Any

from microcred.vc import _jsonld_expand, _jsonld_fallback, _nquads, _rdfc10
from microcred.vc._jsonld_contexts import UnsupportedFeature, cache_for
from microcred.vc._jsonld_rdf import to_quads
from microcred.vc._shared_nodes import SharedNodes
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader

__all__ = ["SharedNodes", "canonicalize", "canonicalize_nquads", "expand"]


def canonicalize(
    document: Any, *, loader: ContextLoader = DEFAULT_LOADER, shared: SharedNodes | None = None
) -> str:
    """Return the canonical N-Quads (RDFC-1.0) of a JSON-LD document.

    ``shared`` lets the documents of a batch that hold the same node objects
    (a cohort's achievement) canonicalize them once (:class:`SharedNodes`).
    Raise :class:`JsonLdError` when the document is not valid JSON-LD or
    would lose data on the way to RDF, and :class:`DocumentLoaderError`
    when ``loader`` cannot supply one of its contexts.
    """
    cache = cache_for(loader)
    try:
        quads = to_quads(_jsonld_expand.expand(document, cache, shared), shared)
    except UnsupportedFeature:
        quads = to_quads(_jsonld_fallback.expand(document, cache))
    return _rdfc10.canonical_nquads(quads)


def canonicalize_nquads(text: str, *, hash_algorithm: str = "sha256") -> str:
    """Return the RDFC-1.0 canonical form of an RDF dataset written as N-Quads.

    ``hash_algorithm`` is ``"sha256"`` (the default of RDFC-1.0) or
    ``"sha384"``. Raise :class:`InputError` for text that is not N-Quads and
    :class:`JsonLdError` (code ``rdfc.too_complex``) for a dataset whose
    blank nodes are too alike to canonicalize within the work limit.
    """
    return _rdfc10.canonical_nquads(_nquads.parse(text), hash_algorithm=hash_algorithm)


def expand(document: Any, *, loader: ContextLoader = DEFAULT_LOADER) -> list[Any]:
    """Return the expanded form of a JSON-LD document (JSON-LD 1.1 API, expand()), in safe mode."""
    cache = cache_for(loader)
    try:
        return _jsonld_expand.expand(document, cache)
    except UnsupportedFeature:
        return _jsonld_fallback.expand(document, cache)
