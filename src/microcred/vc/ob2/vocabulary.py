"""The Open Badges 2.0 vocabulary, and its terms resolved against a document's contexts.

JSON-LD is not expanded: ``type`` values and extension properties are
resolved term by term against the documents' contexts (bundled, supplied, or
inline), which is all the OB 2.0 checks need.
"""

from __future__ import annotations

import re
from typing import Any

from microcred.vc.datamodel import as_list

OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
OBI = "https://w3id.org/openbadges#"
# The classes of the OB 2.0 vocabulary, by the IRI their terms expand to.
CLASSES = {
    OBI + "Assertion": "Assertion",
    OBI + "BadgeClass": "BadgeClass",
    OBI + "Issuer": "Issuer",
    OBI + "Profile": "Profile",
    OBI + "RevocationList": "RevocationList",
    OBI + "Criteria": "Criteria",
    OBI + "Image": "Image",
    OBI + "Evidence": "Evidence",
    OBI + "Extension": "Extension",
    OBI + "IdentityObject": "IdentityObject",
    OBI + "VerificationObject": "VerificationObject",
    OBI + "HostedBadge": "HostedBadge",
    OBI + "SignedBadge": "SignedBadge",
    "https://w3id.org/security#Key": "CryptographicKey",
    "https://w3id.org/credentials#Credential": "Endorsement",
    "http://schema.org/AlignmentObject": "AlignmentObject",
}
PROFILE_CLASSES = {"Issuer", "Profile"}
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")


def context_terms(document: Any) -> dict[str, Any]:
    """Return the term definitions of a context document (its ``@context`` object)."""
    context = document.get("@context") if isinstance(document, dict) else None
    merged: dict[str, Any] = {}
    for entry in as_list(context):
        if isinstance(entry, dict):
            merged.update(entry)
    return merged


def expand(value: str, terms: dict[str, Any]) -> str | None:
    """Return the IRI a term or compact IRI stands for; ``None`` when it is undefined.

    A term the context defines expands to its ``@id``; ``prefix:suffix``
    expands through the prefix; an absolute IRI stays as it is; other words
    expand against ``@vocab`` if there is one.
    """
    definition = terms.get(value)
    if isinstance(definition, dict):
        definition = definition.get("@id")
    if isinstance(definition, str) and not definition.startswith("@"):
        return _expand_iri(definition, terms)
    if ":" in value:
        return _expand_iri(value, terms)
    vocabulary = terms.get("@vocab")
    return vocabulary + value if isinstance(vocabulary, str) else None


def _expand_iri(value: str, terms: dict[str, Any]) -> str | None:
    """Expand a compact IRI ``prefix:suffix``; return an absolute IRI unchanged."""
    prefix, colon, suffix = value.partition(":")
    if not colon:
        return None
    base = terms.get(prefix)
    if isinstance(base, dict):
        base = base.get("@id")
    if isinstance(base, str) and not suffix.startswith("//"):
        return base + suffix
    return value if SCHEME.match(prefix) else None
