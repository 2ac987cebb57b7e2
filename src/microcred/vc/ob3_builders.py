"""Build Open Badges 3.0 objects from plain values, each validated where it is built.

One builder per class of the data model (Open Badges 3.0, appendix B): a
``Profile``, an ``Achievement`` with its ``Alignment``, ``ResultDescription``
and ``RubricCriterionLevel`` objects, a ``Result``, an ``Evidence``, an
``IdentityObject`` and the ``AchievementCredential`` that carries them. The
platform's apps gather the values (ids and URLs included) and call these; no
other code writes Open Badges JSON.

Each builder returns the object as JSON and checks it against the models of
:mod:`microcred.vc.ob3` before returning, so a wrong value is refused where it
enters, not when the credential is signed. A term outside an Open Badges
vocabulary (``achievementType``, ``resultType``...) is refused too unless it is
marked as an extension (``ext:``). The error is :class:`OB3ValueError`; its
``field`` is the JSON path of the property inside the object being built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from microcred.vc.datamodel import ROOT, VC_V2_CONTEXT, Problem
from microcred.vc.dates import format_datetime
from microcred.vc.errors import OB3ValueError
from microcred.vc.ob3 import (
    ACHIEVEMENT_TYPES,
    EXTENSION_PREFIX,
    OB3_CONTEXT,
    VOCABULARIES,
    Achievement,
    Alignment,
    Evidence,
    IdentityObject,
    Profile,
    Result,
    ResultDescription,
    ResultStatusType,
    RubricCriterionLevel,
    advisory_problems,
    model_problems,
    validate_ob3,
)

CONTEXTS = (VC_V2_CONTEXT, OB3_CONTEXT)
# The European Learning Model's learningSetting (formal, non-formal, informal learning), which
# Open Badges 3.0 lacks; a local context is an additional @context item the OB 3.0 schema allows.
LEARNING_SETTING_CONTEXT = {
    "learningSetting": "http://data.europa.eu/snb/model/elm/learningSetting"
}
CREDENTIAL_TYPES = ("VerifiableCredential", "OpenBadgeCredential")
# The genre of the Evidence that points at a version's public quality assurance report.
QUALITY_REPORT = "Quality assurance report"
_VOCABULARY_CODES = frozenset(f"ob3.{term}.unknown" for term in VOCABULARIES)


def _checked(model: type[BaseModel], built: dict[str, Any]) -> dict[str, Any]:
    """Return ``built`` if it is a valid ``model``; raise :class:`OB3ValueError` otherwise.

    A term outside a vocabulary, only a warning in a credential received, is
    an error in one being built: the issuer can still say ``ext:``.
    """
    problems = model_problems(model, built, prefix="ob3")
    problems += [
        replace(problem, severity="error")
        for problem in advisory_problems(built, ROOT, prefix="ob3")
        if problem.code in _VOCABULARY_CODES
    ]
    raise_for(model.__name__, problems)
    return built


def _refuse(name: str, path: str, message: str, code: str) -> None:
    """Raise :class:`OB3ValueError` for a rule the models of :mod:`~microcred.vc.ob3` leave out."""
    raise_for(name, [Problem(path, message, code)])


def raise_for(
    name: str, problems: list[Problem], error: type[OB3ValueError] = OB3ValueError
) -> None:
    """Raise ``error`` naming every error among ``problems`` of the ``name`` being built.

    Shared with the CLR 2.0 builders (:mod:`microcred.vc.clr_builders`).
    """
    errors = [problem for problem in problems if problem.severity == "error"]
    if not errors:
        return
    first = errors[0]
    raise error(
        f"{name}: {'; '.join(f'{p.path}: {p.message}' for p in errors)}",
        code=first.code,
        field=first.path,
        data={"object": name, "problems": [problem.as_dict() for problem in errors]},
    )


def present(**values: Any) -> dict[str, Any]:
    """Return the values that are given: None, empty strings and empty lists are left out.

    Shared with the CLR 2.0 builders, so both leave out the same absent values.
    """
    return {key: value for key, value in values.items() if value not in (None, "", [], ())}


def with_context(document: dict[str, Any]) -> dict[str, Any]:
    """Return a Profile or Achievement as a JSON-LD document of its own, with ``@context``."""
    return {"@context": list(CONTEXTS), **document}


# -- Profile -------------------------------------------------------------------------------


def build_address(*, country_code: str, region: str | None = None) -> dict[str, Any]:
    """Return an ``Address`` of a country (ISO 3166-1 alpha-2) and, when known, a region.

    The code goes into ``addressCountry`` as schema.org recommends, and into
    ``addressCountryCode``.
    """
    return present(
        type=["Address"],
        addressCountry=country_code,
        addressCountryCode=country_code,
        addressRegion=region,
    )


def build_identifier_entry(*, identifier: str, identifier_type: str) -> dict[str, Any]:
    """Return an ``IdentifierEntry``; ``identifier_type`` is from IdentifierTypeEnum or ``ext:``."""
    return {"type": "IdentifierEntry", "identifier": identifier, "identifierType": identifier_type}


def build_profile(
    *,
    id: str,
    name: str,
    url: str | None = None,
    email: str | None = None,
    description: str | None = None,
    address: dict[str, Any] | None = None,
    other_identifiers: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Return a ``Profile`` (appendix B, Profile) without ``@context``, as credentials embed it.

    ``id`` is what verifiers check keys against (a DID, for an issuer).
    """
    profile = present(
        id=id,
        type=["Profile"],
        name=name,
        url=url,
        email=email,
        description=description,
        address=address,
        otherIdentifier=list(other_identifiers),
    )
    return _checked(Profile, profile)


# -- Achievement ---------------------------------------------------------------------------


def build_alignment(
    *,
    target_name: str,
    target_url: str,
    target_framework: str | None = None,
    target_type: str | None = None,
    target_code: str | None = None,
    target_description: str | None = None,
) -> dict[str, Any]:
    """Return an ``Alignment`` to a skill, a framework level or an outcome (appendix B)."""
    alignment = present(
        type=["Alignment"],
        targetName=target_name,
        targetUrl=target_url,
        targetFramework=target_framework,
        targetType=target_type,
        targetCode=target_code,
        targetDescription=target_description,
    )
    return _checked(Alignment, alignment)


def build_rubric_criterion_level(
    *, id: str, name: str, points: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """Return a ``RubricCriterionLevel``; a Result's ``achievedLevel`` names its ``id``."""
    level = present(
        id=id, type=["RubricCriterionLevel"], name=name, points=points, description=description
    )
    return _checked(RubricCriterionLevel, level)


def build_result_description(
    *,
    id: str,
    name: str,
    result_type: str,
    rubric_criterion_levels: Iterable[dict[str, Any]] = (),
    required_level: str | None = None,
    value_min: str | None = None,
    value_max: str | None = None,
    required_value: str | None = None,
    alignments: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Return a ``ResultDescription``: what a Result of an award measures (appendix B).

    ``required_level`` must be the id of one of ``rubric_criterion_levels``.
    """
    levels = list(rubric_criterion_levels)
    description = present(
        id=id,
        type=["ResultDescription"],
        name=name,
        resultType=result_type,
        rubricCriterionLevel=levels,
        requiredLevel=required_level,
        valueMin=value_min,
        valueMax=value_max,
        requiredValue=required_value,
        alignment=list(alignments),
    )
    _checked(ResultDescription, description)
    if required_level is not None and required_level not in {level.get("id") for level in levels}:
        _refuse(
            "ResultDescription",
            "$.requiredLevel",
            f"requiredLevel {required_level!r} is not the id of one of its rubricCriterionLevel.",
            "ob3.result.requiredLevel",
        )
    return description


def build_image(*, id: str, caption: str | None = None) -> dict[str, Any]:
    """Return an ``Image`` object (OB 3.0 expects the object, not a bare URL)."""
    return present(id=id, type="Image", caption=caption)


def achievement_type_term(name: str) -> str:
    """Return the ``achievementType`` for ``name``: itself when Open Badges 3.0 defines it
    (appendix B, AchievementType), else marked as an extension (``ext:Module``), as the
    extensible enumeration requires of other terms."""
    if name in ACHIEVEMENT_TYPES or name.startswith(EXTENSION_PREFIX):
        return name
    return f"{EXTENSION_PREFIX}{name}"


def build_achievement(
    *,
    id: str,
    name: str,
    description: str,
    criteria_url: str | None = None,
    criteria_narrative: str | None = None,
    creator: dict[str, Any] | None = None,
    achievement_type: str | None = None,
    alignments: Iterable[dict[str, Any]] = (),
    credits_available: float | None = None,
    field_of_study: str | None = None,
    human_code: str | None = None,
    in_language: str | None = None,
    tags: Iterable[str] = (),
    image: dict[str, Any] | None = None,
    version: str | None = None,
    result_descriptions: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Return an ``Achievement`` (appendix B) without ``@context``, for a credential's subject.

    The criteria are a page (``criteria_url``), a narrative, or both; one is required.
    """
    if not criteria_url and not criteria_narrative:
        _refuse(
            "Achievement",
            "$.criteria",
            "criteria need an id (a page describing them) or a narrative.",
            "ob3.criteria.empty",
        )
    achievement = present(
        id=id,
        type=["Achievement"],
        achievementType=achievement_type,
        name=name,
        description=description,
        criteria=present(id=criteria_url, narrative=criteria_narrative),
        creator=creator,
        humanCode=human_code,
        version=version,
        alignment=list(alignments),
        creditsAvailable=credits_available,
        fieldOfStudy=field_of_study,
        inLanguage=in_language,
        tag=list(tags),
        image=image,
        resultDescription=list(result_descriptions),
    )
    return _checked(Achievement, achievement)


# -- what an award carries -----------------------------------------------------------------


def build_result(
    *,
    result_description: str | None = None,
    achieved_level: str | None = None,
    value: str | None = None,
    status: ResultStatusType | None = None,
) -> dict[str, Any]:
    """Return a ``Result`` (appendix B): a level reached, a value, or a status.

    ``result_description`` is the id of one of the achievement's result
    descriptions; the credential builder checks that it is.
    """
    result = present(
        type=["Result"],
        resultDescription=result_description,
        achievedLevel=achieved_level,
        value=value,
        status=status,
    )
    return _checked(Result, result)


def build_evidence(
    *,
    id: str | None = None,
    name: str | None = None,
    narrative: str | None = None,
    description: str | None = None,
    genre: str | None = None,
) -> dict[str, Any]:
    """Return an ``Evidence`` (appendix B): a URL (``id``) or a narrative, or both."""
    if not id and not narrative:
        _refuse("Evidence", ROOT, "evidence needs a URL (id) or a narrative.", "ob3.evidence.empty")
    evidence = present(
        id=id,
        type=["Evidence"],
        name=name,
        narrative=narrative,
        description=description,
        genre=genre,
    )
    return _checked(Evidence, evidence)


def build_quality_report_evidence(url: str) -> dict[str, Any]:
    """Return the Evidence that points at the public QA report of the achievement's version,
    so that whoever holds the credential can see how it was checked before it was issued."""
    return build_evidence(
        id=url,
        name=QUALITY_REPORT,
        genre=QUALITY_REPORT,
        description=(
            "The public report of the quality assurance this micro-credential passed before it "
            "was published: the automatic checks, the human review and the next review date."
        ),
    )


def is_quality_report_evidence(evidence: Any) -> bool:
    """Return whether an Evidence entry is the QA report reference the platform adds."""
    return isinstance(evidence, dict) and evidence.get("genre") == QUALITY_REPORT


def identity_hash(identity: str, salt: str) -> str:
    """Return the OB 3.0 IdentityHash of ``identity``: ``sha256$`` + hex(SHA-256(identity + salt)).

    Open Badges 3.0 appendix B, IdentityHash; the same form as Open Badges 2.0
    hashed recipients, so verifiers check it the way they always have.
    """
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def build_email_identity(email: str, *, salt: str) -> dict[str, Any]:
    """Return an ``IdentityObject`` that hides an email address behind a salted hash."""
    identity = {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": identity_hash(email, salt),
        "salt": salt,
    }
    return _checked(IdentityObject, identity)


def build_name_identity(name: str) -> dict[str, Any]:
    """Return an ``IdentityObject`` of type ``name`` in plain text, as people expect to read it."""
    identity = {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": name,
    }
    return _checked(IdentityObject, identity)


# -- the credential ------------------------------------------------------------------------


def build_achievement_credential(
    *,
    id: str,
    name: str,
    issuer: dict[str, Any] | str,
    achievement: dict[str, Any],
    valid_from: datetime,
    valid_until: datetime | None = None,
    subject_id: str | None = None,
    identifiers: Iterable[dict[str, Any]] = (),
    results: Iterable[dict[str, Any]] = (),
    narrative: str | None = None,
    evidence: Iterable[dict[str, Any]] = (),
    credential_status: dict[str, Any] | None = None,
    learning_setting: str | None = None,
) -> dict[str, Any]:
    """Return the unsigned ``OpenBadgeCredential`` (OB 3.0 section 4, VC Data Model 2.0).

    ``validFrom`` is the date of issuing. ``learning_setting`` (``non-formal`` or
    ``informal``, the European Learning Model's ``learningSetting``) says how the learning
    was acquired when it was recognised rather than assessed; Open Badges 3.0 has no term
    for it, so it is an extension of the AchievementSubject, defined by a local context
    (:data:`LEARNING_SETTING_CONTEXT`) that maps it to ELM's property: a term no context
    defines would be dropped from the signed data. ``credential_status`` is one entry:
    the data model (appendix B, AchievementCredential) allows at most one, and
    1EdTech's JSON Schema refuses a list. The whole credential is checked as
    :func:`~microcred.vc.ob3.validate_ob3` checks a received one, results
    against the achievement's result descriptions included.
    """
    if credential_status is not None and not isinstance(credential_status, dict):
        _refuse(
            "AchievementCredential",
            "$.credentialStatus",
            "credentialStatus must be one status entry (an object): Open Badges 3.0 allows one.",
            "ob3.credentialStatus.not_one",
        )
    subject = present(
        type=["AchievementSubject"],
        id=subject_id,
        identifier=list(identifiers),
        achievement=achievement,
        result=list(results),
        narrative=narrative,
        learningSetting=learning_setting,
    )
    credential = present(
        **{
            "@context": [*CONTEXTS, LEARNING_SETTING_CONTEXT]
            if learning_setting
            else list(CONTEXTS)
        },
        id=id,
        type=list(CREDENTIAL_TYPES),
        name=name,
        issuer=issuer,
        validFrom=format_datetime(valid_from),
        validUntil=format_datetime(valid_until) if valid_until is not None else None,
        credentialSubject=subject,
        evidence=list(evidence),
        credentialStatus=credential_status,
    )
    raise_for("AchievementCredential", validate_ob3(credential))
    return credential
