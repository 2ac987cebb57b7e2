"""Structural rules of the W3C Verifiable Credentials Data Model 2.0 (and 1.1).

One validator serves both directions: when issuing, :func:`check_credential`
rejects bad input before anything is signed; when verifying,
:func:`validate_credential` and :func:`validate_presentation` report every
:class:`Problem` with the JSON path it concerns. Section numbers refer to
VC Data Model 2.0 unless marked "1.1".

These checks read the JSON as it is. Failures that only show once the
JSON-LD contexts are processed are left to the JSON-LD layer
(:func:`microcred.vc.rdfc.canonicalize`, JSON-LD safe mode):

- a term the active context does not define, such as a ``type`` left
  unmapped after ``"@vocab": null`` (section 4.3);
- redefining a term the base context protects, such as
  ``VerifiableCredential`` (section 4.3, JSON-LD 1.1 protected terms);
- a term mapped to something that is not an absolute IRI (section 4.5).

The helpers at the end (:class:`Problem`, :func:`child`, :func:`is_url`...)
are shared by the Open Badges and CLR validators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from microcred.text import sentence
from microcred.vc.dates import parse_datetime
from microcred.vc.errors import StructureError, VCError

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
ROOT = "$"

Severity = Literal["error", "warning"]

# Objects that section 5 and 4.10-4.11 require to carry a type, with whether an id is required.
TYPED_OBJECTS = {
    "credentialStatus": False,
    "credentialSchema": True,
    "refreshService": False,
    "termsOfUse": False,
    "evidence": False,
}
LANGUAGE_VALUE_KEYS = {"@value", "@language", "@direction"}
ENVELOPED_CREDENTIAL = "EnvelopedVerifiableCredential"


@dataclass(frozen=True)
class Problem:
    """One way a document departs from a data model.

    ``path`` is a JSON path into the document as received
    (``$.credentialSubject[0].id``), ``code`` a stable identifier
    (``datamodel.issuer.missing``) and ``message`` a sentence that says what
    is wrong and how to fix it.
    """

    path: str
    message: str
    code: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "code": self.code}


def validate_credential(document: Any) -> list[Problem]:
    """Return every way ``document`` departs from the VC data model (2.0, or 1.1 by its context)."""
    return list(_credential_problems(document, ROOT))


def validate_presentation(document: Any) -> list[Problem]:
    """Return every way ``document`` departs from a verifiable presentation (section 4.13).

    Credentials inside it are validated too, with paths into the presentation.
    """
    return list(_presentation_problems(document, ROOT))


def check_credential(document: Any) -> None:
    """Raise :class:`StructureError` when ``document`` is not a valid credential.

    ``data["errors"]`` lists each error as ``{"path", "message", "code"}``;
    warnings do not raise.
    """
    raise_for_errors(validate_credential(document), what="credential")


def raise_for_errors(problems: list[Problem], *, what: str) -> None:
    """Raise :class:`StructureError` listing the errors among ``problems``, if there are any."""
    errors = [problem for problem in problems if problem.severity == "error"]
    if not errors:
        return
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise StructureError(
        sentence(
            "The %(what)s is not well formed: %(path)s: %(message)s%(more)s",
            what=what,
            path=first.path,
            message=first.message,
            more=more,
        ),
        field=first.path,
        data={"errors": [error.as_dict() for error in errors]},
    )


def data_model_version(document: dict[str, Any]) -> Literal["1.1", "2.0"]:
    """Return the data model a document claims by its first context; 2.0 unless it says 1.1."""
    contexts = as_list(document.get("@context"))
    return "1.1" if contexts and contexts[0] == VC_V1_CONTEXT else "2.0"


# -- credentials -------------------------------------------------------------------------


def _credential_problems(document: Any, path: str) -> Iterator[Problem]:
    if not isinstance(document, dict):
        yield Problem(
            path, sentence("A verifiable credential must be a JSON object."), "datamodel.not_object"
        )
        return
    yield from _check_context(document, path)
    yield from _check_id(document, path)
    yield from _check_type(document, path, "VerifiableCredential")
    yield from _check_issuer(document, path)
    yield from _check_subjects(document, path)
    yield from _check_validity(document, path)
    for key, id_required in TYPED_OBJECTS.items():
        yield from _check_typed_objects(document, path, key, id_required=id_required)
    yield from _check_status_ids(document, path)
    for key in ("name", "description"):
        yield from _check_language_value(document, path, key)
    yield from _check_proofs(document, path)


def _check_context(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.3 (1.1: 4.1): @context is an ordered set led by the base context."""
    context_path = child(path, "@context")
    if "@context" not in document:
        yield Problem(
            context_path,
            sentence(
                "@context is missing: add it with %(vc_v2_context)s as its first item.",
                vc_v2_context=VC_V2_CONTEXT,
            ),
            "datamodel.context.missing",
        )
        return
    contexts = as_list(document["@context"])
    listed = isinstance(document["@context"], list)
    if not contexts or contexts[0] not in (VC_V2_CONTEXT, VC_V1_CONTEXT):
        yield Problem(
            child(context_path, 0) if contexts and listed else context_path,
            sentence(
                "The first @context item must be %(vc_v2_context)s (or "
                "%(vc_v1_context)s for a VC 1.1 document); put the base context first.",
                vc_v2_context=VC_V2_CONTEXT,
                vc_v1_context=VC_V1_CONTEXT,
            ),
            "datamodel.context.base",
        )
    for index, item in enumerate(contexts):
        if isinstance(item, dict) or (isinstance(item, str) and is_url(item)):
            continue
        yield Problem(
            child(context_path, index) if listed else context_path,
            sentence(
                "Each @context item must be a URL or a context object; %(item)s is neither.",
                item=repr(item),
            ),
            "datamodel.context.item",
        )


def _check_id(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.4: an id, when present, is a single URL."""
    if "id" in document:
        yield from _check_url(document["id"], child(path, "id"), "datamodel.id.invalid", "id")


def _check_type(document: dict[str, Any], path: str, required: str) -> Iterator[Problem]:
    """Section 4.5: type is present and includes the base type of the document."""
    type_path = child(path, "type")
    if "type" not in document:
        yield Problem(
            type_path,
            sentence(
                'type is missing: add "type": ["%(required)s", ...].',
                required=required,
            ),
            "datamodel.type.missing",
        )
        return
    problems = list(_check_type_value(document["type"], type_path, "datamodel.type.invalid"))
    yield from problems
    if not problems and required not in as_list(document["type"]):
        yield Problem(
            type_path,
            sentence(
                'type must include "%(required)s".',
                required=required,
            ),
            "datamodel.type.required_value",
        )


def _check_type_value(value: Any, path: str, code: str) -> Iterator[Problem]:
    """Section 4.5: one or more terms or absolute URLs (strings without spaces)."""
    values = as_list(value)
    if not values or not all(isinstance(item, str) and _is_type_name(item) for item in values):
        yield Problem(
            path,
            sentence(
                "type must be a term or URL, or a list of them; %(value)s is not.",
                value=repr(value),
            ),
            code,
        )


def _is_type_name(value: str) -> bool:
    if not value or _SPACE.search(value):
        return False
    return ":" not in value or is_url(value)


def _check_issuer(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.7: issuer is a URL, or an object whose id is a URL."""
    issuer_path = child(path, "issuer")
    if "issuer" not in document:
        yield Problem(
            issuer_path,
            sentence(
                "issuer is missing: add the URL (for example a DID) that identifies the issuer."
            ),
            "datamodel.issuer.missing",
        )
        return
    issuer = document["issuer"]
    if isinstance(issuer, str):
        yield from _check_url(issuer, issuer_path, "datamodel.issuer.invalid", "issuer")
    elif isinstance(issuer, dict):
        if "id" not in issuer:
            yield Problem(
                child(issuer_path, "id"),
                sentence("The issuer object has no id: add the URL that identifies the issuer."),
                "datamodel.issuer.id",
            )
        else:
            yield from _check_url(
                issuer["id"], child(issuer_path, "id"), "datamodel.issuer.id", "issuer id"
            )
        for key in ("name", "description"):
            yield from _check_language_value(issuer, issuer_path, key)
    else:
        yield Problem(
            issuer_path,
            sentence(
                "issuer must be a URL or an object with an id; %(issuer)s is neither.",
                issuer=repr(issuer),
            ),
            "datamodel.issuer.invalid",
        )


def _check_subjects(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.8: credentialSubject is one or more objects, each with at least one claim."""
    subject_path = child(path, "credentialSubject")
    if "credentialSubject" not in document:
        yield Problem(
            subject_path,
            sentence(
                "credentialSubject is missing: add an object with the claims about the subject."
            ),
            "datamodel.credentialSubject.missing",
        )
        return
    items = list(items_with_paths(document, path, "credentialSubject"))
    if not items:
        yield Problem(
            subject_path,
            sentence("credentialSubject must hold at least one subject object."),
            "datamodel.credentialSubject.invalid",
        )
    for item_path, subject in items:
        if not isinstance(subject, dict):
            yield Problem(
                item_path,
                sentence(
                    "Each credentialSubject must be a JSON object; %(subject)s is not.",
                    subject=repr(subject),
                ),
                "datamodel.credentialSubject.invalid",
            )
        elif not subject:
            yield Problem(
                item_path,
                sentence("This credentialSubject is empty: give it an id or at least one claim."),
                "datamodel.credentialSubject.empty",
            )
        elif "id" in subject:
            yield from _check_url(
                subject["id"], child(item_path, "id"), "datamodel.id.invalid", "subject id"
            )


def _check_validity(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.9 (1.1: 4.6, 4.8): dates are XML Schema date-times and in order."""
    if data_model_version(document) == "1.1":
        start_key, end_key, need_zone = "issuanceDate", "expirationDate", False
        if start_key not in document:
            yield Problem(
                child(path, start_key),
                sentence(
                    "issuanceDate is missing: a VC 1.1 credential must say when it was issued."
                ),
                "datamodel.issuanceDate.missing",
            )
    else:
        start_key, end_key, need_zone = "validFrom", "validUntil", True
    moments: dict[str, datetime] = {}
    for key in (start_key, end_key):
        if key not in document:
            continue
        try:
            moments[key] = parse_datetime(document[key], require_timezone=need_zone)
        except VCError as error:
            yield Problem(
                child(path, key),
                sentence(
                    "%(key)s is not a valid date-time: %(message)s",
                    key=key,
                    message=error.message,
                ),
                f"datamodel.{key}.invalid",
            )
    if len(moments) == 2 and moments[start_key] > moments[end_key]:
        yield Problem(
            child(path, end_key),
            sentence(
                "%(end_key)s (%(end)s) is before %(start_key)s (%(start)s); "
                "the validity period must not end before it starts.",
                end_key=end_key,
                end=document[end_key],
                start_key=start_key,
                start=document[start_key],
            ),
            "datamodel.validity.order",
        )


def _check_typed_objects(
    document: dict[str, Any], path: str, key: str, *, id_required: bool
) -> Iterator[Problem]:
    """Sections 4.10, 4.11, 5.4-5.6: each entry is an object with a type (and a URL id)."""
    for item_path, item in items_with_paths(document, path, key):
        if not isinstance(item, dict):
            yield Problem(
                item_path,
                sentence(
                    "Each %(key)s entry must be a JSON object with a type; %(item)s is not.",
                    key=key,
                    item=repr(item),
                ),
                f"datamodel.{key}.invalid",
            )
            continue
        if "type" in item:
            yield from _check_type_value(
                item["type"], child(item_path, "type"), f"datamodel.{key}.type"
            )
        else:
            yield Problem(
                child(item_path, "type"),
                sentence(
                    "This %(key)s entry has no type: add the type that says how to use it.",
                    key=key,
                ),
                f"datamodel.{key}.type",
            )
        if "id" in item:
            yield from _check_url(item["id"], child(item_path, "id"), f"datamodel.{key}.id", "id")
        elif id_required:
            yield Problem(
                child(item_path, "id"),
                sentence(
                    "This %(key)s entry has no id: add the URL of the schema.",
                    key=key,
                ),
                f"datamodel.{key}.id",
            )


def _check_status_ids(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.10: status entries that carry ids carry distinct ones."""
    seen: set[str] = set()
    for item_path, item in items_with_paths(document, path, "credentialStatus"):
        status_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(status_id, str):
            continue
        if status_id in seen:
            yield Problem(
                child(item_path, "id"),
                sentence(
                    "Two credentialStatus entries share the id %(status_id)s; give each its own.",
                    status_id=status_id,
                ),
                "datamodel.credentialStatus.duplicate_id",
            )
        seen.add(status_id)


def _check_language_value(document: dict[str, Any], path: str, key: str) -> Iterator[Problem]:
    """Sections 4.6 and 11.1: a string, a language value object, or a list of them."""
    if key not in document:
        return
    for item_path, value in items_with_paths(document, path, key):
        if isinstance(value, str) or _is_language_value(value):
            continue
        yield Problem(
            item_path,
            sentence(
                '%(key)s must be a string or a language value object ({"@value": ..., '
                '"@language": ..., "@direction": ...} and nothing else).',
                key=key,
            ),
            f"datamodel.{key}.invalid",
        )


def _is_language_value(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= LANGUAGE_VALUE_KEYS
        and isinstance(value.get("@value"), str)
        and isinstance(value.get("@language", ""), str)
        and value.get("@direction", "ltr") in ("ltr", "rtl")
    )


def _check_proofs(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.12 and Data Integrity section 2.1: each embedded proof is an object with a type."""
    for item_path, proof in items_with_paths(document, path, "proof"):
        if not isinstance(proof, dict):
            yield Problem(
                item_path, sentence("Each proof must be a JSON object."), "datamodel.proof.invalid"
            )
        elif "type" not in proof:
            yield Problem(
                child(item_path, "type"),
                sentence('This proof has no type: add one, such as "DataIntegrityProof".'),
                "datamodel.proof.type",
            )


# -- presentations -----------------------------------------------------------------------


def _presentation_problems(document: Any, path: str) -> Iterator[Problem]:
    if not isinstance(document, dict):
        yield Problem(
            path,
            sentence("A verifiable presentation must be a JSON object."),
            "datamodel.not_object",
        )
        return
    yield from _check_context(document, path)
    yield from _check_id(document, path)
    yield from _check_type(document, path, "VerifiablePresentation")
    yield from _check_holder(document, path)
    yield from _check_presented_credentials(document, path)
    yield from _check_typed_objects(document, path, "termsOfUse", id_required=False)
    yield from _check_proofs(document, path)


def _check_holder(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Section 4.13: holder, when present, is a URL or an object whose id is a URL."""
    if "holder" not in document:
        return
    holder, holder_path = document["holder"], child(path, "holder")
    if isinstance(holder, dict):
        if "id" not in holder:
            yield Problem(
                child(holder_path, "id"),
                sentence("The holder object has no id: add the URL that identifies the holder."),
                "datamodel.holder.id",
            )
        else:
            yield from _check_url(
                holder["id"], child(holder_path, "id"), "datamodel.holder.id", "holder id"
            )
    else:
        yield from _check_url(holder, holder_path, "datamodel.holder.invalid", "holder")


def _check_presented_credentials(document: dict[str, Any], path: str) -> Iterator[Problem]:
    """Sections 4.13 and 4.13.1: credential objects, or enveloped credentials."""
    for item_path, item in items_with_paths(document, path, "verifiableCredential"):
        if not isinstance(item, dict):
            yield Problem(
                item_path,
                sentence(
                    "Each verifiableCredential must be a credential object; put a JWT or "
                    "other encoded credential in an %(enveloped_credential)s with a data: "
                    "URL id.",
                    enveloped_credential=ENVELOPED_CREDENTIAL,
                ),
                "datamodel.verifiableCredential.invalid",
            )
        elif ENVELOPED_CREDENTIAL in as_list(item.get("type")):
            yield from _check_enveloped(item, item_path)
        else:
            yield from _credential_problems(item, item_path)


def _check_enveloped(item: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _check_context(item, path)
    envelope = item.get("id")
    if not (isinstance(envelope, str) and envelope.startswith("data:")):
        yield Problem(
            child(path, "id"),
            sentence(
                "An %(enveloped_credential)s must carry the credential as a data: URL in its id.",
                enveloped_credential=ENVELOPED_CREDENTIAL,
            ),
            "datamodel.verifiableCredential.envelope",
        )


def _check_url(value: Any, path: str, code: str, label: str) -> Iterator[Problem]:
    if not is_url(value):
        yield Problem(
            path,
            sentence(
                "The %(label)s must be a single URL (such as https://... or did:...); "
                "%(value)s is not.",
                label=label,
                value=repr(value),
            ),
            code,
        )


# -- helpers shared with the Open Badges and CLR validators ------------------------------

# Python's \s is what str.isspace() calls a space.
_SPACE = re.compile(r"\s")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")


def child(path: str, key: str | int) -> str:
    """Return the JSON path of ``key`` under ``path`` (``$.issuer``, ``$['@context'][0]``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}['{key}']"


def as_list(value: Any) -> list[Any]:
    """Return a JSON-LD "one or many" value as a list (``None`` as an empty one)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def items_with_paths(document: dict[str, Any], path: str, key: str) -> Iterator[tuple[str, Any]]:
    """Yield each value of the one-or-many property ``key`` with its JSON path."""
    if key not in document:
        return
    value, key_path = document[key], child(path, key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield child(key_path, index), item
    else:
        yield key_path, value


def is_url(value: Any) -> bool:
    """Return whether ``value`` is an absolute URL: a scheme, a colon, and no spaces (RFC 3986)."""
    return isinstance(value, str) and _URL.match(value) is not None


def is_compact_jws(value: Any) -> bool:
    """Return whether ``value`` has the shape of a JWS in compact serialization (RFC 7515)."""
    return isinstance(value, str) and _COMPACT_JWS.match(value) is not None
