"""The Open Badges 2.0 data model: a node's context, its types and its properties.

Every problem found here is an ``ob2.structure`` finding with the JSON path
it concerns (OB 2.0 "Data Model").
"""

from __future__ import annotations

import json
import re
from typing import Any

from microcred.text import sentence
from microcred.vc.datamodel import as_list
from microcred.vc.errors import DocumentLoaderError
from microcred.vc.ob2.rules import RULES
from microcred.vc.ob2.session import Session
from microcred.vc.ob2.vocabulary import (
    CLASSES,
    OB2_CONTEXTS,
    PROFILE_CLASSES,
    context_terms,
    expand,
)

IDENTITY_HASH = re.compile(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")
RECIPIENT_TYPES = ("email", "url", "telephone", "id")


def read_context(session: Session, document: dict[str, Any], path: str) -> dict[str, Any]:
    """Return the term definitions of ``document``'s ``@context``, checking it names OB 2.0.

    Other context URLs (extensions) that are not available only warn:
    the checks here do not depend on them. When the context is unusable,
    the OB 2.0 context stands in so the remaining checks still say
    something useful.
    """
    where = f"{path}.@context"
    entries = document.get("@context")
    if entries is None:
        session.structure.error(
            sentence("@context is missing; it must be https://w3id.org/openbadges/v2."), where
        )
        return session.ob2_terms()
    terms: dict[str, Any] = {}
    unavailable = []
    names_ob2 = False
    for entry in as_list(entries):
        if isinstance(entry, dict):
            # An inline context: the OB 2.0 terms written out, as some issuers publish.
            terms.update(entry)
            names_ob2 = True
        elif isinstance(entry, str):
            names_ob2 = names_ob2 or entry in OB2_CONTEXTS
            try:
                terms.update(context_terms(session.loader.get(entry)))
            except DocumentLoaderError:
                unavailable.append(entry)
        else:
            session.structure.error(
                sentence(
                    "A context must be a URL or an object, not %(entry)s.",
                    entry=repr(entry),
                ),
                where,
            )
    if not names_ob2:
        session.structure.error(
            sentence(
                "@context must be https://w3id.org/openbadges/v2 (or include it), not %(value)s.",
                value=json.dumps(entries),
            ),
            where,
        )
        return {**session.ob2_terms(), **terms}
    if unavailable:
        session.structure.warning(
            sentence(
                "The context(s) %(unavailable)s are not available; the terms they "
                "define were not checked.",
                unavailable=", ".join(unavailable),
            ),
            where,
        )
    return terms


def check_node(
    session: Session,
    node: dict[str, Any],
    context: dict[str, Any],
    path: str,
    *,
    expected: str | None = None,
) -> set[str] | None:
    """Check a node's types and properties; return its OB 2.0 classes (``None`` if untyped)."""
    findings = session.structure
    types = node.get("type", node.get("@type"))
    if types is None or types == []:
        findings.error(sentence("type is missing; it names the object's class."), f"{path}.type")
        return None
    classes = set()
    for name in as_list(types):
        iri = expand(name, context) if isinstance(name, str) else None
        if iri is None:
            findings.error(
                sentence(
                    "The type %(name)s is neither defined by the context nor an absolute IRI.",
                    name=repr(name),
                ),
                f"{path}.type",
            )
        elif iri in CLASSES:
            classes.add(CLASSES[iri])
    if expected is not None:
        accepted = PROFILE_CLASSES if expected in PROFILE_CLASSES else {expected}
        if not classes & accepted:
            findings.error(
                sentence(
                    "Expected %(expected)s, found type %(types)s.",
                    expected=article(expected),
                    types=repr(types),
                ),
                f"{path}.type",
            )
    for name in sorted(classes):
        for prop, check, missing in RULES.get(name, ()):
            value = node.get(prop)
            where = f"{path}.{prop}"
            if value is None:
                if missing == "error":
                    findings.error(
                        sentence(
                            "%(name)s must have %(prop)s.",
                            name=article(name, start=True),
                            prop=prop,
                        ),
                        where,
                    )
                elif missing == "warning":
                    findings.warning(
                        sentence(
                            "%(name)s should have %(prop)s.",
                            name=article(name, start=True),
                            prop=prop,
                        ),
                        where,
                    )
                continue
            problem = check(value)
            if problem:
                findings.error(
                    sentence(
                        "%(prop)s %(problem)s.",
                        prop=prop,
                        problem=problem,
                    ),
                    where,
                )
    return classes


def check_identity(session: Session, identity_object: Any) -> None:
    """Check the recipient IdentityObject (OB 2.0 "IdentityObject")."""
    if not isinstance(identity_object, dict):
        return  # reported by the Assertion rules
    findings = session.structure
    kind = identity_object.get("type")
    if not isinstance(kind, str):
        findings.error(
            sentence("recipient.type must name the identity's kind."), "$.recipient.type"
        )
    elif kind not in RECIPIENT_TYPES:
        findings.warning(
            sentence(
                "recipient.type %(kind)s is not one of %(recipient_types)s.",
                kind=repr(kind),
                recipient_types=", ".join(RECIPIENT_TYPES),
            ),
            "$.recipient.type",
        )
    hashed = identity_object.get("hashed")
    if not isinstance(hashed, bool):
        findings.error(sentence("recipient.hashed must be true or false."), "$.recipient.hashed")
    identity = identity_object.get("identity")
    if not isinstance(identity, str) or not identity:
        findings.error(sentence("recipient.identity is missing."), "$.recipient.identity")
    elif hashed is True and not IDENTITY_HASH.match(identity):
        findings.error(
            sentence(
                "recipient.identity must be sha256$ (64 hex digits) or md5$ (32) when hashed."
            ),
            "$.recipient.identity",
        )
    salt = identity_object.get("salt")
    if salt is not None and not isinstance(salt, str):
        findings.error(sentence("recipient.salt must be a string."), "$.recipient.salt")


def main_class(classes: set[str] | None) -> str | None:
    """Return the class a document is verified as: Assertion, BadgeClass, Issuer, Profile first."""
    for name in ("Assertion", "BadgeClass", "Issuer", "Profile"):
        if classes and name in classes:
            return name
    return min(classes) if classes else None


def article(name: str, *, start: bool = False) -> str:
    """Return ``name`` after its indefinite article ("a BadgeClass", "an Issuer")."""
    word = "an" if name[:1] in "AEIOU" else "a"
    return f"{word.capitalize() if start else word} {name}"
