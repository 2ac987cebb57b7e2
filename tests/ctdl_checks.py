"""Checks every CTDL export passes: its terms against the CTDL and CTDL-ASN schemas, and a
JSON-LD expansion with the CTDL context (read from the conformance corpus, offline) that
keeps every term."""

from __future__ import annotations

from functools import cache
from typing import Any

from pyld import jsonld

from microcred.frameworks.ctdl import CONTEXT, vocabulary_problems
from microcred.vc.jsonld import ContextLoader
from tests import conformance


@cache
def schema() -> dict[str, Any]:
    """Return CTDL and CTDL-ASN as one schema: competencies and frameworks are CTDL-ASN's."""
    terms = conformance.load_json("ctdl", "ctdl", "schema.json")["@graph"]
    asn = conformance.load_json("ctdl", "ctdlasn", "schema.json")["@graph"]
    return {"@graph": [*terms, *asn]}


def problems(document: dict[str, Any]) -> list[str]:
    return vocabulary_problems(document, schema())


def expand(document: dict[str, Any]) -> Any:
    context = conformance.load_json("ctdl", "ctdl", "context.json")
    return jsonld.expand(document, {"documentLoader": ContextLoader({CONTEXT: context})})


def compact_terms(value: Any) -> int:
    """Count the properties of every node of a compact document (language maps are values)."""
    if isinstance(value, list):
        return sum(compact_terms(item) for item in value)
    if not isinstance(value, dict):
        return 0
    if "@graph" in value:
        return compact_terms(value["@graph"])
    if "@type" not in value and "@id" not in value:
        return 0
    return sum(
        (0 if name.startswith("@") else 1) + compact_terms(item) for name, item in value.items()
    )


def expanded_terms(value: Any) -> int:
    """Count the properties (full IRIs) of every node of an expanded document."""
    if isinstance(value, list):
        return sum(expanded_terms(item) for item in value)
    if not isinstance(value, dict):
        return 0
    return sum(
        (0 if name.startswith("@") else 1) + expanded_terms(item) for name, item in value.items()
    )


def unexpanded_iris(value: Any) -> set[str]:
    """Return the properties, types and ids of an expanded document that are no web address:
    a prefix the context does not define (``publicationStatus:Published``) stays as it was."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= unexpanded_iris(item)
    elif isinstance(value, dict):
        for name, item in value.items():
            names = [name] if not name.startswith("@") else []
            if name == "@type":
                names = item if isinstance(item, list) else [item]
            elif name == "@id":
                names = [item]
            found |= {iri for iri in names if not iri.startswith(("http://", "https://"))}
            found |= unexpanded_iris(item)
    return found


def assert_clean(document: dict[str, Any]) -> None:
    """Every term is CTDL, allowed where it is used, and survives expansion as a web address."""
    assert problems(document) == []
    expanded = expand(document)
    assert expanded_terms(expanded) == compact_terms(document) > 0
    assert unexpanded_iris(expanded) == set()
