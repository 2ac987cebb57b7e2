"""Expanded JSON-LD to RDF quads (JSON-LD 1.1 Processing Algorithms, sections 7.2 and 8.1-8.3).

The quads are those pyld 3.3 produces through its node map (Node Map
Generation, then Deserialize JSON-LD to RDF): a node's values are merged
without duplicates by pyld's comparison (``@value``, ``@type``,
``@language``, ``@index``; the ``@id`` of nodes), lists are never merged,
``@direction`` is left out of literals (no ``rdfDirection``). Blank node
labels are new ones; canonicalization relabels them anyway.

Safe mode: where pyld would skip a quad (a relative or malformed IRI, a blank
node predicate) this raises :class:`JsonLdError` instead, and it refuses
language tags that are not well-formed BCP 47 and IRIs holding characters
N-Quads cannot carry, which pyld would write as they are.
"""

from __future__ import annotations

import math
import re
from typing import Any

from microcred.vc._nquads import RDF_LANGSTRING, XSD_STRING, Quad, iri, literal
from microcred.vc._shared_nodes import SharedNodes, Written
from microcred.vc.errors import JsonLdError, VCError
from microcred.vc.jcs import canonicalize_json

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = iri(RDF + "type")
RDF_FIRST = iri(RDF + "first")
RDF_REST = iri(RDF + "rest")
RDF_NIL = iri(RDF + "nil")
RDF_JSON = RDF + "JSON"
XSD_BOOLEAN = XSD + "boolean"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"

# pyld's absolute-IRI test, less the characters an N-Quads IRI cannot hold
# (and lone surrogates, which have no UTF-8 form to hash).
_WELL_FORMED_IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+-.]*:[^\s<>\"{}|^`\\\x00-\x1f\x7f\ud800-\udfff]*"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BCP47 = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_IRI_MEMO_LIMIT = 4096
_iri_terms: dict[str, str] = {}


def to_quads(expanded: list[Any], shared: SharedNodes | None = None) -> list[Quad]:
    """Return the quads of an expanded JSON-LD document, duplicates as pyld writes them.

    With ``shared``, a node object it holds (by identity: the expanded form a
    :class:`SharedNodes` gave) is written as it was the first time, under new blank node
    labels, rather than worked out again.
    """
    writer = _Writer(shared)
    for node in expanded:
        writer.node(node, "")
    return writer.quads


class _Writer:
    """The quads of one document, and the node map state pyld would keep for them."""

    def __init__(self, shared: SharedNodes | None = None) -> None:
        self.quads: list[Quad] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.labels: dict[str, str] = {}
        self.counter = 0
        self.shared = shared
        # While a shared node is being written: every quad written, for the node to keep.
        self.log: Written | None = None
        self.labelled_count = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"_:f{self.counter}"

    def labelled(self, label: str) -> str:
        """Return the blank node a document's ``_:`` label names (one node per label)."""
        self.labelled_count += 1
        term = self.labels.get(label)
        if term is None:
            term = self.labels[label] = f"_:d{len(self.labels)}"
        return term

    def emit(self, quad: Quad, key: Any) -> None:
        """Add ``quad`` unless the node already has this value (pyld's add_value)."""
        if self.log is not None:
            self.log.append((quad, key))
        marker = (quad[3], quad[0], quad[1], key)
        if marker not in self.seen:
            self.seen.add(marker)
            self.quads.append(quad)

    def append(self, quad: Quad) -> None:
        """Add a quad of a list (lists are never merged)."""
        if self.log is not None:
            self.log.append((quad, None))
        self.quads.append(quad)

    def node(self, node: dict[str, Any], graph: str) -> str:
        """Write a node object's quads into ``graph``; return its subject term."""
        identifier = node.get("@id")
        # A shared node is written the same way wherever it is, but for its blank nodes'
        # labels: in the default graph, with an IRI, and with no blank node the document
        # labels (whose meaning depends on the rest of the document).
        if self.shared is None or graph or identifier is None or identifier.startswith("_:"):
            return self._write_node(node, graph, identifier)
        written = self.shared.written(node)
        if written is not None:
            self._rewrite(written)
            return _iri_term(identifier, "the @id")
        outer, self.log = self.log, []
        labelled = self.labelled_count
        try:
            subject = self._write_node(node, graph, identifier)
        finally:
            written, self.log = self.log, outer
        if outer is not None:
            outer.extend(written)
        if self.labelled_count == labelled:
            self.shared.keep_written(node, written)
        return subject

    def _rewrite(self, written: Written) -> None:
        """Write again what a shared node wrote, each of its blank nodes under a new label."""
        renamed: dict[str, str] = {}

        def term(value: str) -> str:
            if not value.startswith("_:"):
                return value
            new = renamed.get(value)
            if new is None:
                new = renamed[value] = self.fresh()
            return new

        for quad, key in written:
            subject, predicate, object_, graph = quad
            # Terms are N-Quads text: only a blank node's starts with "_" (an IRI's with "<", a
            # literal's with a quote), and most quads name none.
            if subject[0] == "_" or object_[0] == "_" or graph[:1] == "_":
                quad = (term(subject), predicate, term(object_), term(graph))
                if key is not None and key[0] == "node":
                    key = ("node", term(key[1]))
            if key is None:
                self.append(quad)
            else:
                self.emit(quad, key)

    def _write_node(self, node: dict[str, Any], graph: str, identifier: str | None) -> str:
        if identifier is None or identifier.startswith("_:"):
            subject = self.fresh() if identifier is None else self.labelled(identifier)
        else:
            subject = _iri_term(identifier, "the @id")
        for name, values in node.items():
            if name == "@type":
                for type_ in values:
                    term = self.labelled(type_) if type_.startswith("_:") else _type_term(type_)
                    self.emit((subject, RDF_TYPE, term, graph), ("@type", term))
            elif name == "@graph":
                for item in values:
                    self.node(item, subject)
            elif name == "@included":
                for item in values:
                    self.node(item, graph)
            elif name == "@reverse":
                for property_, items in values.items():
                    predicate = _predicate(property_)
                    for item in items:
                        other = self.node(item, graph)
                        self.emit((other, predicate, subject, graph), ("node", subject))
            elif not name.startswith("@"):
                predicate = _predicate(name)
                for item in values:
                    self.value(item, graph, subject, predicate)
        return subject

    def value(self, item: dict[str, Any], graph: str, subject: str, predicate: str) -> None:
        if "@list" in item:
            self.append((subject, predicate, self.collection(item["@list"], graph), graph))
        elif "@value" in item:
            self.emit((subject, predicate, _literal(item, predicate), graph), _value_key(item))
        else:
            object_ = self.node(item, graph)
            self.emit((subject, predicate, object_, graph), ("node", object_))

    def collection(self, items: list[Any], graph: str) -> str:
        """Write an RDF collection (section 8.3, List to RDF Conversion); return its head."""
        if not items:
            return RDF_NIL
        head = subject = self.fresh()
        for index, item in enumerate(items):
            if "@list" in item:
                object_ = self.collection(item["@list"], graph)
            elif "@value" in item:
                object_ = _literal(item, RDF_FIRST)
            else:
                object_ = self.node(item, graph)
            self.append((subject, RDF_FIRST, object_, graph))
            rest = self.fresh() if index < len(items) - 1 else RDF_NIL
            self.append((subject, RDF_REST, rest, graph))
            subject = rest
        return head


def _value_key(item: dict[str, Any]) -> tuple[Any, ...]:
    """The identity pyld gives a value: 1 and 1.0 are one, true and 1 are two."""
    value = item["@value"]
    return (
        "value",
        isinstance(value, bool),
        _hashable(value),
        item.get("@type"),
        item.get("@language"),
        item.get("@index"),
    )


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return frozenset((name, _hashable(item)) for name, item in value.items())
    if isinstance(value, list):
        return tuple(map(_hashable, value))
    return value


def _literal(item: dict[str, Any], predicate: str) -> str:
    """Return the literal term of a value object (pyld's _object_to_rdf)."""
    value = item["@value"]
    datatype = item.get("@type")
    if datatype == "@json":
        try:
            text = canonicalize_json(value).decode("utf-8")
        except VCError as error:
            raise JsonLdError(
                f"A JSON literal of {predicate} cannot be canonicalized: {error.message}",
                data={"predicate": predicate},
            ) from error
        return literal(text, RDF_JSON)
    if datatype is not None and not (
        isinstance(datatype, str) and _WELL_FORMED_IRI.fullmatch(datatype)
    ):
        raise _bad_iri(str(datatype), "a datatype")
    if isinstance(value, bool):
        return literal("true" if value else "false", datatype or XSD_BOOLEAN)
    if isinstance(value, float) and not value.is_integer():
        return literal(_double(value), datatype or XSD_DOUBLE)
    if datatype == XSD_DOUBLE:
        try:
            return literal(_double(float(value)), XSD_DOUBLE)
        except ValueError:
            return literal(_text(value, predicate), XSD_DOUBLE)
    if isinstance(value, int | float):
        if abs(value) >= 1e21:
            return literal(_double(value), datatype or XSD_DOUBLE)
        return literal(str(int(value)), datatype or XSD_INTEGER)
    language = item.get("@language")
    if language is not None:
        if not _BCP47.fullmatch(language):
            raise JsonLdError(
                f"The language tag {language!r} on a value of {predicate} is not a "
                "well-formed BCP 47 tag.",
                code="jsonld.invalid",
                data={"language": language, "predicate": predicate},
            )
        return literal(_text(value, predicate), RDF_LANGSTRING, language)
    return literal(_text(value, predicate), datatype or XSD_STRING)


def _text(value: str, predicate: str) -> str:
    """Return ``value`` unless it holds a lone surrogate (no UTF-8 form to hash and sign)."""
    if not value.isascii() and _SURROGATE.search(value):
        raise JsonLdError(
            f"A value of {predicate} holds a lone surrogate, which is not Unicode text.",
            data={"predicate": predicate},
        )
    return value


def _double(value: float) -> str:
    """Return the canonical lexical form of an ``xsd:double`` (section 8.2, as pyld writes it)."""
    text = f"{value:.15E}"
    if not math.isfinite(value):
        return text
    mantissa, exponent = text.split("E")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}E{int(exponent)}"


def _predicate(value: str) -> str:
    if value.startswith("_:"):
        raise JsonLdError(
            f"The property {value!r} is a blank node; RDF has no blank node predicates.",
            code="jsonld.undefined_term",
            data={"term": value},
        )
    return _iri_term(value, "a property")


def _type_term(value: str) -> str:
    try:
        return _iri_term(value, "a type")
    except JsonLdError as error:
        raise JsonLdError(
            f"The type {value!r} is not defined by the document's @context and is not "
            "an absolute IRI.",
            code="jsonld.undefined_term",
            data={"term": value},
        ) from error


def _iri_term(value: str, role: str) -> str:
    term = _iri_terms.get(value)
    if term is None:
        if not _WELL_FORMED_IRI.fullmatch(value):
            raise _bad_iri(value, role)
        term = iri(value)
        if len(_iri_terms) < _IRI_MEMO_LIMIT:
            _iri_terms[value] = term
    return term


def _bad_iri(value: str, role: str) -> JsonLdError:
    return JsonLdError(
        f"{role.capitalize()} {value!r} is not an absolute IRI that RDF can hold.",
        code="jsonld.relative_iri",
        data={"value": value},
    )
