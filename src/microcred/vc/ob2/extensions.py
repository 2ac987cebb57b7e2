"""Extensions: validate each with the JSON Schema its context declares (OB 2.0 "Extensions").

An extension context lists ``obi:validation`` entries, each a
``validatesType`` and a ``validationSchema``. A node typed ``Extension``
whose other type matches is compacted to the extension's terms and
validated with the schema; a node whose contexts declare schemas, none of
them for its type, fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from microcred.text import sentence
from microcred.vc.datamodel import as_list
from microcred.vc.errors import DocumentLoaderError, FetchError
from microcred.vc.ob2.session import Findings, Session
from microcred.vc.ob2.vocabulary import OB2_CONTEXTS, OBI, context_terms, expand
from microcred.vc.report import Check, CheckStatus


@dataclass(frozen=True)
class _Validation:
    """One ``obi:validation`` entry, with the terms (OB 2.0's and its context's) it is read in."""

    validates: str
    schema: str
    terms: dict[str, Any]


def check_extensions(session: Session, document: dict[str, Any], context: dict[str, Any]) -> None:
    """Validate the extensions of ``document`` with the JSON Schemas their contexts declare."""
    findings = Findings("ob2.extensions")
    nodes = list(_extension_nodes(document, "$"))
    document_urls = as_list(document.get("@context"))
    for node, path in nodes:
        own = as_list(node.get("@context"))
        node_terms = {**context}
        for entry in own:
            node_terms.update(entry if isinstance(entry, dict) else session.terms_of(entry))
        types = {expand(t, node_terms) for t in as_list(node.get("type")) if isinstance(t, str)}
        urls = dict.fromkeys(
            url
            for url in [*document_urls, *own]
            if isinstance(url, str) and url not in OB2_CONTEXTS
        )
        validations = [item for url in urls for item in _validations(session, url)]
        matching = [item for item in validations if item.validates in types]
        if not validations:
            findings.warning(
                sentence(
                    "No context of this extension declares a JSON Schema; it was not validated."
                ),
                path,
            )
        elif not matching:
            declared = ", ".join(sorted({item.validates for item in validations}))
            findings.error(
                sentence(
                    "The extension's type matches no validatesType of its contexts (%(declared)s).",
                    declared=declared,
                ),
                path,
            )
        for validation in matching:
            _validate_extension(session, node, node_terms, validation, findings, path)
    if nodes and not findings.checks:
        findings.checks.append(
            Check(
                "ob2.extensions",
                CheckStatus.PASSED,
                sentence(
                    "%(count)s extension(s) match their JSON Schemas.",
                    count=len(nodes),
                ),
            )
        )
    session.checks.extend(findings.checks)


def _validations(session: Session, url: str) -> list[_Validation]:
    """Return the ``obi:validation`` entries the context document at ``url`` declares."""
    try:
        document = session.loader.get(url)
    except DocumentLoaderError:
        return []
    terms = {**session.ob2_terms(), **context_terms(document)}
    found = []
    for key, entries in document.items() if isinstance(document, dict) else ():
        if expand(key, terms) != OBI + "validation":
            continue
        for entry in as_list(entries):
            values = (
                {expand(k, terms): v for k, v in entry.items()} if isinstance(entry, dict) else {}
            )
            validates = values.get(OBI + "validatesType")
            schema = values.get(OBI + "validationSchema")
            if isinstance(validates, str) and isinstance(schema, str):
                found.append(_Validation(expand(validates, terms) or validates, schema, terms))
    return found


def _validate_extension(
    session: Session,
    node: dict[str, Any],
    node_terms: dict[str, Any],
    validation: _Validation,
    findings: Findings,
    path: str,
) -> None:
    """Validate one extension node with the schema of ``validation``."""
    # Imported here: only OB 2.0 extensions need them, and importing them took a tenth of
    # the command line's start.
    import jsonschema
    from referencing.exceptions import Unresolvable

    try:
        schema = session.fetch_json(validation.schema)
        if not isinstance(schema, dict):
            raise jsonschema.SchemaError("a JSON Schema is a JSON object")
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
    except FetchError as exc:
        findings.warning(
            sentence(
                "The schema %(schema)s is not available, so the extension was not "
                "validated: %(reason)s",
                schema=validation.schema,
                reason=exc,
            ),
            path,
        )
        return
    except jsonschema.SchemaError as exc:
        findings.warning(
            sentence(
                "%(schema)s is not a valid JSON Schema: %(message)s",
                schema=validation.schema,
                message=exc.message,
            ),
            path,
        )
        return
    instance = _compact(node, node_terms, validation.terms)
    try:
        problems = list(validator_class(schema).iter_errors(instance))
    except Unresolvable as exc:
        # Schemas are not allowed to make us fetch more: a remote $ref stays unresolved.
        findings.warning(
            sentence(
                "%(schema)s refers to a schema not available: %(reason)s",
                schema=validation.schema,
                reason=exc,
            ),
            path,
        )
        return
    for problem in problems:
        where = "/".join(str(part) for part in problem.absolute_path) or "the extension"
        findings.error(
            sentence(
                "The extension does not match its schema %(schema)s: %(where)s: %(message)s",
                schema=validation.schema,
                where=where,
                message=problem.message,
            ),
            path,
        )


def _compact(
    node: dict[str, Any], node_terms: dict[str, Any], target_terms: dict[str, Any]
) -> dict[str, Any]:
    """Rename ``node``'s properties to the terms of ``target_terms`` (shallow compaction)."""
    names: dict[str, str] = {}
    for term in target_terms:
        iri = expand(term, target_terms)
        if iri is not None and not term.startswith("@"):
            names[iri] = term
    out = {}
    for key, value in node.items():
        if key == "@context":
            continue
        iri = expand(key, node_terms)
        out[names.get(iri, iri) if iri else key] = value
    return out


def _extension_nodes(value: Any, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every object typed ``Extension`` with its JSON path."""
    if isinstance(value, dict):
        if "Extension" in as_list(value.get("type")):
            yield value, path
        for key, item in value.items():
            if key != "@context":
                yield from _extension_nodes(item, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _extension_nodes(item, f"{path}[{number}]")
