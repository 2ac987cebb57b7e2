"""RDF quads as canonical N-Quads terms, and a reader for N-Quads text.

A quad is a tuple of four terms, each already written as canonical N-Quads
(the serialization RDF Dataset Canonicalization 1.0 hashes and outputs):
``<iri>``, ``_:label``, or a literal such as
``"text"@en`` or ``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``; the
fourth term is ``""`` for the default graph. Keeping terms as text makes
the canonicalization algorithm plain string work: a term is a blank node
exactly when it starts with ``_:``.
"""

from __future__ import annotations

import re

from microcred.vc.errors import InputError

Quad = tuple[str, str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Canonical N-Quads escape these characters in literals, and only these: the
# ECHAR forms where one exists, \\u00XX (upper-case hex) for the other controls.
_LITERAL_ESCAPES = {code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]}
_LITERAL_ESCAPES.update(
    {
        ord("\b"): "\\b",
        ord("\t"): "\\t",
        ord("\n"): "\\n",
        ord("\f"): "\\f",
        ord("\r"): "\\r",
        ord('"'): '\\"',
        ord("\\"): "\\\\",
    }
)
_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f\\x7f"\\\\]')


def iri(value: str) -> str:
    """Return the N-Quads term of an IRI (the caller has checked it is well formed)."""
    return f"<{value}>"


def literal(value: str, datatype: str = XSD_STRING, language: str | None = None) -> str:
    """Return the canonical N-Quads term of a literal.

    Like pyld and rdf-canonize, an ``rdf:langString`` without a language is
    written as a plain string, and ``xsd:string`` is left implicit.
    """
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_LITERAL_ESCAPES)
    if datatype == RDF_LANGSTRING:
        return f'"{value}"@{language}' if language else f'"{value}"'
    if datatype == XSD_STRING:
        return f'"{value}"'
    return f'"{value}"^^<{datatype}>'


def serialize(quad: Quad) -> str:
    """Return one line of N-Quads, newline included."""
    subject, predicate, object_, graph = quad
    if graph:
        return f"{subject} {predicate} {object_} {graph} .\n"
    return f"{subject} {predicate} {object_} .\n"


# N-Quads grammar (RDF 1.1 N-Quads, section 5): one statement per line.
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = rf"<((?:[^\x00-\x20<>\"{{}}|^`\\]|{_UCHAR})*)>"
_BNODE = r"(_:[^\s<>\"#.](?:[^\s<>\"#]*[^\s<>\"#.])?)"
_STRING = rf"\"((?:[^\"\\\n\r]|\\[tbnrf\"'\\]|{_UCHAR})*)\""
_LANGTAG = r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
_STATEMENT = re.compile(
    rf"[ \t]*(?:{_IRIREF}|{_BNODE})[ \t]*{_IRIREF}[ \t]*"
    rf"(?:{_IRIREF}|{_BNODE}|{_STRING}(?:\^\^{_IRIREF}|{_LANGTAG})?)[ \t]*"
    rf"(?:(?:{_IRIREF}|{_BNODE})[ \t]*)?\.[ \t]*(?:#.*)?"
)
_BLANK_OR_COMMENT = re.compile(r"[ \t]*(?:#.*)?")
_ESCAPE = re.compile(rf"\\[tbnrf\"'\\]|{_UCHAR}")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(
        lambda m: _ECHARS[m[0][1]] if len(m[0]) == 2 else chr(int(m[0][2:], 16)), text
    )


def _node(iri_text: str | None, bnode: str | None) -> str:
    return iri(_unescape(iri_text)) if iri_text is not None else str(bnode)


def parse(text: str) -> list[Quad]:
    """Return the quads of N-Quads ``text``, each once (an RDF dataset is a set).

    Raise :class:`InputError` naming the line of the first statement that is
    not N-Quads.
    """
    quads: dict[Quad, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _STATEMENT.fullmatch(line)
        if match is None:
            if _BLANK_OR_COMMENT.fullmatch(line):
                continue
            raise InputError(f"Line {number} is not an N-Quads statement: {line[:80]!r}")
        s_iri, s_bnode, p_iri, o_iri, o_bnode, o_string, o_datatype, o_language, g_iri, g_bnode = (
            match.groups()
        )
        if o_string is None:
            object_ = _node(o_iri, o_bnode)
        elif o_language is not None:
            object_ = literal(_unescape(o_string), RDF_LANGSTRING, o_language)
        else:
            datatype = XSD_STRING if o_datatype is None else _unescape(o_datatype)
            object_ = literal(_unescape(o_string), datatype)
        graph = "" if g_iri is None and g_bnode is None else _node(g_iri, g_bnode)
        quads[(_node(s_iri, s_bnode), iri(_unescape(p_iri)), object_, graph)] = None
    return list(quads)
