"""Comprehensive Learner Record 2.0: the ClrCredential and the credentials it carries.

A CLR is a credential about a learner that holds other credentials (usually
Open Badges ``AchievementCredential``s, each with its own proof), the
achievements they award and the associations between those achievements,
such as one course being part of a programme (CLR 2.0, appendix B).

:func:`validate_clr` checks the CLR's own structure; the credentials inside
it are checked, and verified, one by one through :func:`nested_credentials`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from microcred.text import sentence
from microcred.vc.datamodel import (
    ENVELOPED_CREDENTIAL,
    ROOT,
    Problem,
    as_list,
    child,
    is_compact_jws,
    items_with_paths,
)
from microcred.vc.errors import InputError
from microcred.vc.jwt import decode_jwt
from microcred.vc.ob3 import (
    URI,
    Achievement,
    IdentityObject,
    OBModel,
    OneOrMany,
    TypeIncluding,
    VerifiableCredentialBase,
    advisory_problems,
    context_problems,
    identity_problems,
    model_problems,
    name_problems,
)

CLR_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/context"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

# AssociationType (appendix B), the CASE association types CLR 2.0 adopts.
ASSOCIATION_TYPES = frozenset(
    (
        "exactMatchOf",
        "exemplar",
        "hasSkillLevel",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    )
)


def _nested_credential(value: Any) -> Any:
    if isinstance(value, dict) or is_compact_jws(value):
        return value
    raise PydanticCustomError(
        "not_credential",
        "Each verifiableCredential must be a credential object or a compact JWS (a VC-JWT).",
    )


NestedCredential = Annotated[Any, AfterValidator(_nested_credential)]


class Association(OBModel):
    type: TypeIncluding[Literal["Association"]] = Field(description='"Association"')
    associationType: str = Field(description="how the source relates to the target")
    sourceId: URI = Field(description="the id of the source achievement")
    targetId: URI = Field(description="the id of the target achievement")


class ClrSubject(OBModel):
    id: URI | None = None
    type: TypeIncluding[Literal["ClrSubject"]] = Field(description='"ClrSubject"')
    identifier: OneOrMany[IdentityObject] | None = None
    achievement: OneOrMany[Achievement] | None = None
    verifiableCredential: OneOrMany[NestedCredential] = Field(
        min_length=1, description="the learner's credentials the CLR holds"
    )
    association: OneOrMany[Association] | None = None


class ClrCredential(VerifiableCredentialBase):
    type: TypeIncluding[Literal["ClrCredential"]] = Field(description='"ClrCredential"')
    partial: bool | None = None
    credentialSubject: ClrSubject = Field(description="the learner and their credentials")


def validate_clr(document: Any) -> list[Problem]:
    """Return every way ``document`` departs from CLR 2.0 (appendix B).

    The nested credentials are only checked to be credentials; validate and
    verify each one from :func:`nested_credentials`.
    """
    if not isinstance(document, dict):
        return [Problem(ROOT, sentence("A ClrCredential must be a JSON object."), "clr.not_object")]
    problems = model_problems(ClrCredential, document, prefix="clr")
    problems += context_problems(document, CLR_CONTEXT_PREFIX, CLR_CONTEXT, prefix="clr")
    problems += name_problems(document, prefix="clr")
    subject = document.get("credentialSubject")
    if isinstance(subject, dict):
        subject_path = child(ROOT, "credentialSubject")
        problems += identity_problems(subject, subject_path, prefix="clr")
        problems += association_problems(subject, subject_path)
    problems += advisory_problems(document, ROOT, prefix="clr")
    return problems


def association_problems(subject: dict[str, Any], path: str) -> list[Problem]:
    """Warn about associations the CLR cannot resolve (appendix B, Association).

    ``associationType`` comes from the AssociationType vocabulary, and
    ``sourceId`` and ``targetId`` name achievements: those of the subject or
    of its credentials. A VC-JWT (bare or enveloped) is decoded, without
    verifying it, to read its achievement; when a credential cannot be read
    so, its achievement is unknown and references are not checked.
    """
    nested = [
        _readable(credential)
        for _, credential in nested_credentials({"credentialSubject": subject})
    ]
    achievements = [
        achievement
        for credential in nested
        if isinstance(credential, dict) and isinstance(credential.get("credentialSubject"), dict)
        for achievement in as_list(credential["credentialSubject"].get("achievement"))
    ] + as_list(subject.get("achievement"))
    known = {achievement.get("id") for achievement in achievements if isinstance(achievement, dict)}
    resolvable = all(
        isinstance(credential, dict) and "credentialSubject" in credential for credential in nested
    )
    problems = []
    for item_path, association in items_with_paths(subject, path, "association"):
        if not isinstance(association, dict):
            continue
        kind = association.get("associationType")
        if isinstance(kind, str) and kind not in ASSOCIATION_TYPES:
            problems.append(
                Problem(
                    child(item_path, "associationType"),
                    sentence(
                        "associationType %(kind)s is not a CLR 2.0 association type; use one of"
                        " %(value)s.",
                        kind=repr(kind),
                        value=", ".join(sorted(ASSOCIATION_TYPES)),
                    ),
                    "clr.associationType.unknown",
                    "warning",
                )
            )
        for key in ("sourceId", "targetId"):
            reference = association.get(key)
            if resolvable and isinstance(reference, str) and reference not in known:
                problems.append(
                    Problem(
                        child(item_path, key),
                        sentence(
                            "%(key)s %(reference)s is not the id of an achievement in this CLR, so "
                            "the association cannot be shown.",
                            key=key,
                            reference=repr(reference),
                        ),
                        "clr.association.unresolved",
                        "warning",
                    )
                )
    return problems


def nested_credentials(document: dict[str, Any]) -> list[tuple[str, dict[str, Any] | str]]:
    """Return each credential inside a CLR with its JSON path, to verify it on its own.

    A credential is a JSON object or a compact JWS (VC-JWT). An
    ``EnvelopedVerifiableCredential`` (VC 2.0 section 4.13.1) whose ``data:``
    URL holds a JWT yields that JWT; one in another encoding is returned as
    it is, so that verifying it fails visibly rather than being skipped.
    Entries that are neither objects nor JWS are left out:
    :func:`validate_clr` reports them.
    """
    found: list[tuple[str, dict[str, Any] | str]] = []
    for path, subject in items_with_paths(document, ROOT, "credentialSubject"):
        if not isinstance(subject, dict):
            continue
        for item_path, item in items_with_paths(subject, path, "verifiableCredential"):
            if isinstance(item, dict) and ENVELOPED_CREDENTIAL in as_list(item.get("type")):
                found.append((item_path, _enveloped_jwt(item.get("id")) or item))
            elif isinstance(item, dict) or is_compact_jws(item):
                found.append((item_path, item))
    return found


def _readable(credential: dict[str, Any] | str) -> dict[str, Any] | str:
    """Return a nested VC-JWT's credential, decoded but not verified, to read what it says;
    anything else as it is."""
    if not isinstance(credential, str):
        return credential
    try:
        return decode_jwt(credential)[2]
    except InputError:
        return credential


def _enveloped_jwt(url: Any) -> str | None:
    """Return the JWT of a ``data:application/vc+jwt,<JWT>`` URL (VC-JOSE-COSE), if it is one."""
    if not (isinstance(url, str) and url.startswith("data:")):
        return None
    media_type, _, token = url.removeprefix("data:").partition(",")
    if media_type.split(";")[0].endswith("+jwt") and is_compact_jws(token):
        return token
    return None
