"""Checking ELM documents the way the EU does: SHACL shapes for 3.1, JSON Schema for 3.2.

The shapes, the context and the schemas are read in place from the conformance corpus
(``elm/``). JSON-LD becomes RDF offline: the ``edc-ap`` context is handed to pyld's
document loader with the contexts microcred bundles, so nothing is fetched.

Import the fixtures into a test module (``from tests.elm_conformance import shacl``);
building the shapes graph takes a moment, so it is built once per test session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest
import rdflib
from pyld import jsonld
from pyshacl import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from microcred.frameworks.elm import CONTEXT_EDC
from microcred.vc.jsonld import ContextLoader
from tests import conformance

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
CRED = "https://www.w3.org/2018/credentials#"
ELM = "http://data.europa.eu/snb/model/elm/"
# What sealing adds to an EDC (the EU's unsigned sample lacks exactly these).
ISSUED = CRED + "issued"
EIDAS = ELM + "eidasLegalIdentifier"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str


class Shacl:
    """The EDC shapes (no-cv and full) and the JSON-LD context they are read with."""

    def __init__(self) -> None:
        folder = ("elm", "edc-3.1")
        self.shapes = rdflib.Graph()
        self.shapes.parse(conformance.path(*folder, "EDC-generic-no-cv.ttl"))
        self.shapes.parse(conformance.path(*folder, "EDC-generic-full.ttl"))
        self.context = conformance.load_json(*folder, "edc-ap-context.jsonld")
        self.loader = ContextLoader({CONTEXT_EDC: self.context})

    def graph(self, document: dict[str, Any]) -> rdflib.Graph:
        quads = jsonld.to_rdf(
            document, {"format": "application/n-quads", "documentLoader": self.loader}
        )
        graph = rdflib.Graph()
        graph.parse(data=quads, format="nquads")
        return graph

    def violations(self, document: dict[str, Any]) -> set[Violation]:
        """Return the violations of the shapes, leaving out the "does not conform to node
        shape X" results that only repeat a nested node's own violation."""
        _, report, _ = validate(
            self.graph(document), shacl_graph=self.shapes, advanced=True, allow_warnings=True
        )
        return {
            Violation(
                str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath))
            )
            for result in report.subjects(rdflib.RDF.type, SH.ValidationResult)
            if report.value(result, SH.resultSeverity) == SH.Violation
            and report.value(result, SH.sourceConstraintComponent) != SH.NodeConstraintComponent
        }

    def iri(self, term: str) -> str:
        """The property IRI of a JSON term of the ``edc-ap`` context (or VC 1.1's)."""
        definition = self.context["@context"].get(term)
        if definition is None:
            return CRED + term
        value = definition["@id"] if isinstance(definition, dict) else definition
        prefix, _, rest = value.partition(":")
        expanded = self.context["@context"].get(prefix)
        return (expanded if isinstance(expanded, str) else expanded["@id"]) + rest


def sealing(document: dict[str, Any]) -> set[Violation]:
    """The two violations an unsealed EDC has: no ``issued``, no issuer eIDAS identifier."""
    issuer = document["issuer"]
    return {Violation(document["id"], ISSUED), Violation(issuer["id"], EIDAS)}


class EdcSchema:
    """The ELM 3.2 EDC JSON Schema with the EBSI attestation schema it refers to."""

    def __init__(self) -> None:
        folder = ("elm", "ebsi-3.2")
        self.schema = conformance.load_json(*folder, "europass-edc-schema.json")
        attestation = conformance.load_json(*folder, "attestation-schema.json")
        base = self.schema["$id"].rsplit("/", 1)[0]
        self.registry: Registry[Any] = Registry().with_resources(
            [
                (
                    f"{base}/vcdm2.0-attestation-schema/schema.json",
                    DRAFT202012.create_resource(attestation),
                ),
                (self.schema["$id"], DRAFT202012.create_resource(self.schema)),
            ]
        )

    def errors(self, document: Any, definition: str | None = None) -> list[str]:
        """Return the schema's errors for ``document`` (against one ``$defs`` entry if named)."""
        schema = (
            self.schema
            if definition is None
            else {"$ref": f"{self.schema['$id']}#/$defs/{definition}"}
        )
        validator = jsonschema.Draft202012Validator(
            schema,
            registry=self.registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        return [
            f"{error.json_path}: {error.message[:300]}" for error in validator.iter_errors(document)
        ]


@pytest.fixture(scope="session")
def shacl() -> Shacl:
    return Shacl()


@pytest.fixture(scope="session")
def edc_schema() -> EdcSchema:
    return EdcSchema()


def without_context(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "@context"}
