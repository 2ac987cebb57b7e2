"""A version as an Open Badges 3.0 ``Achievement``, and its Annex I elements in plain words.

How each element of the EU Council Recommendation on micro-credentials
(2022/C 243/02, Annex I) reaches the Achievement (OB 3.0, appendix B,
Achievement), in OB 3.0 terms only, so the JSON-LD has no undefined term:

========================================  =========================================
Annex I element                           Achievement
========================================  =========================================
title                                     ``name``
awarding body, country or region          ``creator``: the organisation's Profile
                                          (``address.addressCountryCode``); a
                                          different awarding body is named in the
                                          criteria narrative
learning outcomes                         ``criteria.narrative`` (numbered), each
                                          ESCO skill an ``alignment`` (targetType
                                          ``ceasn:Competency``: OB 3.0's vocabulary
                                          has no skill type, and ESCO skills are
                                          competences); each rubric criterion's
                                          result description aligns to its outcomes
                                          on the catalogue page
notional workload                         ``creditsAvailable`` (ECTS, where stated)
                                          and ``criteria.narrative``
level (EQF)                               an ``alignment`` to the EQF level
                                          (``http://data.europa.eu/snb/eqf/<n>``)
                                          and ``criteria.narrative``
type of assessment, form of               ``criteria.narrative``
participation, quality assurance,
prerequisites, supervision and
identity verification, stackability,
further information
grade achieved, learner, date of          the award (the credential), not here
issuing
========================================  =========================================

Open Badges names: ``achievementType``, ``fieldOfStudy``, ``humanCode`` (the
micro-credential's slug), ``inLanguage`` (the first language), ``tag``,
``version``, ``image`` (served at ``/achievements/<uuid>/image``) and
``resultDescription``: one per rubric criterion with its levels (resultType
``RubricCriterionLevel``, the minimum level as ``requiredLevel``), and one for
the total points when the pass rule is a total.
"""

from __future__ import annotations

from typing import Any

from microcred.catalogue.models import (
    MicroCredentialVersion,
    ParticipationForm,
    Rubric,
)
from microcred.core import public_urls
from microcred.frameworks.credits import SYSTEMS, credits_for, format_amount
from microcred.organisations import services as organisations
from microcred.vc.ob3 import OB3_CONTEXT

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ESCO_FRAMEWORK = "ESCO"
ESCO_TARGET_TYPE = "ceasn:Competency"
EQF_FRAMEWORK = "European Qualifications Framework"
EQF_LEVEL_URI = "http://data.europa.eu/snb/eqf/{level}"
NOT_STATED = "Not stated"


def achievement_id(version: MicroCredentialVersion) -> str:
    """Return the version's stable Achievement id, a URL that serves it."""
    return public_urls.achievement_id(version.achievement_uuid)


def version_url(version: MicroCredentialVersion) -> str:
    """Return the address of the version's page in the public catalogue."""
    return public_urls.catalogue_url(
        version.microcredential.organisation.slug, version.microcredential.slug, version.number
    )


def get_achievement(version: MicroCredentialVersion) -> dict[str, Any]:
    """Return the version as an Open Badges 3.0 ``Achievement`` (appendix B), without
    ``@context``: it is meant for the ``credentialSubject`` of a credential."""
    identifier = achievement_id(version)
    organisation = version.microcredential.organisation
    outcomes = list(version.outcomes.prefetch_related("alignments").order_by("position"))
    achievement: dict[str, Any] = {
        "id": identifier,
        "type": ["Achievement"],
        "achievementType": version.achievement_type,
        "name": version.title,
        "description": version.description or version.statement_of_purpose or version.title,
        "criteria": {"id": version_url(version), "narrative": criteria_narrative(version)},
        "creator": organisations.get_profile(organisation, embedded=True),
        "humanCode": version.microcredential.slug,
        "version": str(version.number),
    }
    if alignment := _alignments(version, outcomes):
        achievement["alignment"] = alignment
    if ects := next((c.value for c in version.credits.all() if c.system == "ECTS"), None):
        achievement["creditsAvailable"] = float(ects)
    if version.field_of_study:
        achievement["fieldOfStudy"] = version.field_of_study
    if version.languages:
        achievement["inLanguage"] = version.languages[0]
    if version.tags:
        achievement["tag"] = list(version.tags)
    if version.image:
        achievement["image"] = {
            "id": f"{identifier}/image",
            "type": "Image",
            "caption": version.title,
        }
    rubric = Rubric.objects.filter(version=version).first()
    if rubric is not None:
        achievement["resultDescription"] = _result_descriptions(version, rubric, identifier)
    return achievement


def get_achievement_document(version: MicroCredentialVersion) -> dict[str, Any]:
    """Return the Achievement as a JSON-LD document of its own, with ``@context``."""
    return {"@context": [VC_CONTEXT, OB3_CONTEXT], **get_achievement(version)}


def _alignments(version: MicroCredentialVersion, outcomes: list[Any]) -> list[dict[str, Any]]:
    alignments: list[dict[str, Any]] = []
    seen: set[str] = set()
    for outcome in outcomes:
        for skill in outcome.alignments.all():
            if skill.uri in seen:
                continue
            seen.add(skill.uri)
            alignment = {
                "type": ["Alignment"],
                "targetName": skill.label,
                "targetUrl": skill.uri,
                "targetFramework": skill.framework,
            }
            if skill.framework == ESCO_FRAMEWORK:
                alignment["targetType"] = ESCO_TARGET_TYPE
                alignment["targetCode"] = skill.uri.rstrip("/").rsplit("/", 1)[-1]
            alignments.append(alignment)
    if version.eqf_level is not None:
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {version.eqf_level}",
                "targetUrl": EQF_LEVEL_URI.format(level=version.eqf_level),
                "targetFramework": EQF_FRAMEWORK,
                "targetCode": str(version.eqf_level),
            }
        )
    return alignments


def criterion_result_id(identifier: str, criterion: Any) -> str:
    """Return the id of a rubric criterion's ResultDescription in the Achievement ``identifier``;
    an award's Result refers to it."""
    return f"{identifier}#criterion-{criterion.position}"


def level_result_id(identifier: str, criterion: Any, level: Any) -> str:
    """Return the id of a criterion level's RubricCriterionLevel (an award's ``achievedLevel``)."""
    return f"{criterion_result_id(identifier, criterion)}-level-{level.position}"


def total_result_id(identifier: str) -> str:
    """Return the id of the total points' ResultDescription, present when the rubric has a
    pass mark in points."""
    return f"{identifier}#total"


def _result_descriptions(
    version: MicroCredentialVersion, rubric: Rubric, identifier: str
) -> list[dict[str, Any]]:
    page = version_url(version)
    descriptions = []
    maximum = 0
    for criterion in rubric.criteria.prefetch_related("levels", "outcomes"):
        levels = list(criterion.levels.all())
        maximum += max((level.points for level in levels), default=0)
        criterion_id = criterion_result_id(identifier, criterion)
        description: dict[str, Any] = {
            "id": criterion_id,
            "type": ["ResultDescription"],
            "name": criterion.name,
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": [
                {
                    "id": level_result_id(identifier, criterion, level),
                    "type": ["RubricCriterionLevel"],
                    "name": level.name,
                    "points": str(level.points),
                    **({"description": level.description} if level.description else {}),
                }
                for level in levels
            ],
        }
        if criterion.minimum_level_id is not None:
            minimum = next(level for level in levels if level.pk == criterion.minimum_level_id)
            description["requiredLevel"] = level_result_id(identifier, criterion, minimum)
        if outcomes := list(criterion.outcomes.order_by("position")):
            description["alignment"] = [
                {
                    "type": ["Alignment"],
                    "targetName": f"Learning outcome {outcome.position}",
                    "targetDescription": outcome.text,
                    "targetUrl": f"{page}#outcome-{outcome.position}",
                }
                for outcome in outcomes
            ]
        descriptions.append(description)
    if rubric.pass_points is not None:
        descriptions.append(
            {
                "id": total_result_id(identifier),
                "type": ["ResultDescription"],
                "name": "Total points",
                "resultType": "RubricScore",
                "valueMin": "0",
                "valueMax": str(maximum),
                "requiredValue": str(rubric.pass_points),
            }
        )
    return descriptions


def criteria_narrative(version: MicroCredentialVersion) -> str:
    """Return the criteria in Markdown: what to do, the outcomes, and the Annex I elements."""
    sections = [version.criteria] if version.criteria else []
    details = []
    for label, value in annex_elements(version):
        if label == "Learning outcomes":
            numbered = "\n".join(f"{number}. {text}" for number, text in enumerate(value, 1))
            sections.append(f"Learning outcomes:\n\n{numbered}")
        elif label != "Title":
            details.append(f"- {label}: {value}")
    sections.append("\n".join(details))
    return "\n\n".join(sections)


def annex_elements(version: MicroCredentialVersion) -> list[tuple[str, Any]]:
    """Return every Annex I element a specification carries, as ``(label, value)`` in plain
    words, in the Recommendation's order; ``value`` is text, but a list of texts for the
    learning outcomes.

    The learner, the date of issuing and the grade belong to an award, not here.
    """
    organisation = version.microcredential.organisation
    outcomes = [outcome.text for outcome in version.outcomes.order_by("position")]
    country = version.country or NOT_STATED
    if organisation.region and version.country == organisation.country:
        country = f"{version.country}, {organisation.region}"
    return [
        ("Title", version.title),
        ("Country or region of the issuer", country),
        ("Awarding body", version.awarding_body or organisation.name),
        ("Learning outcomes", outcomes or [NOT_STATED]),
        ("Notional workload", _workload(version)),
        ("Level", f"EQF level {version.eqf_level}" if version.eqf_level else "Not applicable"),
        ("Type of assessment", version.assessment_type or NOT_STATED),
        ("Form of participation", _participation(version)),
        ("Type of quality assurance", version.quality_assurance or NOT_STATED),
        ("Prerequisites needed to enrol", version.prerequisites or "None"),
        ("Supervision and identity verification during assessment", _supervision(version)),
        ("Integration and stackability options", version.stackability or "Stand-alone"),
        ("Further information", version.further_information or "None"),
    ]


def _workload(version: MicroCredentialVersion) -> str:
    if version.workload_hours is None:
        return NOT_STATED
    hours = format_amount(version.workload_hours)
    stated = [
        f"{format_amount(credit.value)} {SYSTEMS[credit.system].name}"
        for credit in version.credits.all()
        if credit.system != "HOURS"
    ]
    if not stated:
        stated = [
            f"about {format_amount(credits_for('ECTS', version.workload_hours))} ECTS credits"
        ]
    return f"{hours} hours of learning ({', '.join(stated)})"


def _participation(version: MicroCredentialVersion) -> str:
    if not version.participation_form:
        return NOT_STATED
    form = ParticipationForm(version.participation_form).label
    return f"{form}, {version.delivery_mode}" if version.delivery_mode else form


def _supervision(version: MicroCredentialVersion) -> str:
    supervision = "Supervised" if version.supervised else "Unsupervised"
    if version.identity_verification:
        return f"{supervision}, with identity verification: {version.identity_verification}"
    return f"{supervision}, with no identity verification"
