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

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext

from microcred.catalogue.models import (
    MicroCredentialVersion,
    ParticipationForm,
    Rubric,
)
from microcred.core import public_urls
from microcred.frameworks.credits import SYSTEMS, credits_for, format_amount
from microcred.organisations import services as organisations
from microcred.vc import ob3_builders as ob3

ESCO_FRAMEWORK = "ESCO"
ESCO_TARGET_TYPE = "ceasn:Competency"
EQF_FRAMEWORK = "European Qualifications Framework"
EQF_LEVEL_URI = "http://data.europa.eu/snb/eqf/{level}"
NOT_STATED = gettext_noop("Not stated")


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
    ects = next((c.value for c in version.credits.all() if c.system == "ECTS"), None)
    rubric = Rubric.objects.filter(version=version).first()
    return ob3.build_achievement(
        id=identifier,
        achievement_type=ob3.achievement_type_term(version.achievement_type),
        name=version.title,
        description=version.description or version.statement_of_purpose or version.title,
        criteria_url=version_url(version),
        criteria_narrative=criteria_narrative(version),
        creator=organisations.get_profile(organisation, embedded=True),
        human_code=version.microcredential.slug,
        version=str(version.number),
        alignments=_alignments(version, outcomes),
        credits_available=float(ects) if ects is not None else None,
        field_of_study=version.field_of_study,
        in_language=version.languages[0] if version.languages else None,
        tags=version.tags or (),
        image=ob3.build_image(id=f"{identifier}/image", caption=version.title)
        if version.image
        else None,
        result_descriptions=_result_descriptions(version, rubric, identifier) if rubric else (),
    )


def get_achievement_document(version: MicroCredentialVersion) -> dict[str, Any]:
    """Return the Achievement as a JSON-LD document of its own, with ``@context``."""
    return ob3.with_context(get_achievement(version))


def _alignments(version: MicroCredentialVersion, outcomes: list[Any]) -> list[dict[str, Any]]:
    alignments: list[dict[str, Any]] = []
    seen: set[str] = set()
    for outcome in outcomes:
        for skill in outcome.alignments.all():
            if skill.uri in seen:
                continue
            seen.add(skill.uri)
            esco = skill.framework == ESCO_FRAMEWORK
            alignments.append(
                ob3.build_alignment(
                    target_name=skill.label,
                    target_url=skill.uri,
                    target_framework=skill.framework,
                    target_type=ESCO_TARGET_TYPE if esco else None,
                    target_code=skill.uri.rstrip("/").rsplit("/", 1)[-1] if esco else None,
                )
            )
    if version.eqf_level is not None:
        alignments.append(
            ob3.build_alignment(
                target_name=f"EQF level {version.eqf_level}",
                target_url=EQF_LEVEL_URI.format(level=version.eqf_level),
                target_framework=EQF_FRAMEWORK,
                target_code=str(version.eqf_level),
            )
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
        minimum = next((level for level in levels if level.pk == criterion.minimum_level_id), None)
        descriptions.append(
            ob3.build_result_description(
                id=criterion_result_id(identifier, criterion),
                name=criterion.name,
                result_type="RubricCriterionLevel",
                rubric_criterion_levels=[
                    ob3.build_rubric_criterion_level(
                        id=level_result_id(identifier, criterion, level),
                        name=level.name,
                        points=str(level.points),
                        description=level.description,
                    )
                    for level in levels
                ],
                required_level=level_result_id(identifier, criterion, minimum)
                if minimum is not None
                else None,
                alignments=[
                    ob3.build_alignment(
                        target_name=f"Learning outcome {outcome.position}",
                        target_description=outcome.text,
                        target_url=f"{page}#outcome-{outcome.position}",
                    )
                    for outcome in criterion.outcomes.order_by("position")
                ],
            )
        )
    if rubric.pass_points is not None:
        descriptions.append(
            ob3.build_result_description(
                id=total_result_id(identifier),
                name="Total points",
                result_type="RubricScore",
                value_min="0",
                value_max=str(maximum),
                required_value=str(rubric.pass_points),
            )
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


def annex_elements(version: MicroCredentialVersion, language: str = "en") -> list[tuple[str, Any]]:
    """Return every Annex I element a specification carries, as ``(label, value)`` in plain
    words, in the Recommendation's order; ``value`` is text, but a list of texts for the
    learning outcomes.

    The words are English unless ``language`` says otherwise: the signed Achievement and the
    records keep English whatever the reader's language, a page asks for its own. What the
    designer wrote stays as written.

    The learner, the date of issuing and the grade belong to an award, not here.
    """
    with translation.override(language):
        return _annex_elements(version)


def _annex_elements(version: MicroCredentialVersion) -> list[tuple[str, Any]]:
    organisation = version.microcredential.organisation
    outcomes = [outcome.text for outcome in version.outcomes.order_by("position")]
    not_stated = gettext(NOT_STATED)
    country = version.country or not_stated
    if organisation.region and version.country == organisation.country:
        country = f"{version.country}, {organisation.region}"
    level = (
        gettext("EQF level %(level)s") % {"level": version.eqf_level}
        if version.eqf_level
        else gettext("Not applicable")
    )
    return [
        (gettext("Title"), version.title),
        (gettext("Country or region of the issuer"), country),
        (gettext("Awarding body"), version.awarding_body or organisation.name),
        (gettext("Learning outcomes"), outcomes or [not_stated]),
        (gettext("Notional workload"), _workload(version)),
        (gettext("Level"), level),
        (gettext("Type of assessment"), version.assessment_type or not_stated),
        (gettext("Form of participation"), _participation(version)),
        (gettext("Type of quality assurance"), version.quality_assurance or not_stated),
        (
            gettext("Prerequisites needed to enrol"),
            version.prerequisites or pgettext("annex element", "None"),
        ),
        (
            gettext("Supervision and identity verification during assessment"),
            _supervision(version),
        ),
        (
            gettext("Integration and stackability options"),
            version.stackability or gettext("Stand-alone"),
        ),
        (
            gettext("Further information"),
            version.further_information or pgettext("annex element", "None"),
        ),
    ]


def _workload(version: MicroCredentialVersion) -> str:
    if version.workload_hours is None:
        return gettext(NOT_STATED)
    hours = format_amount(version.workload_hours)
    stated = [
        f"{format_amount(credit.value)} {SYSTEMS[credit.system].name}"
        for credit in version.credits.all()
        if credit.system != "HOURS"
    ]
    if not stated:
        stated = [
            gettext("about %(amount)s ECTS credits")
            % {"amount": format_amount(credits_for("ECTS", version.workload_hours))}
        ]
    return gettext("%(hours)s hours of learning (%(credits)s)") % {
        "hours": hours,
        "credits": ", ".join(stated),
    }


def _participation(version: MicroCredentialVersion) -> str:
    if not version.participation_form:
        return gettext(NOT_STATED)
    form = str(ParticipationForm(version.participation_form).label)
    return f"{form}, {version.delivery_mode}" if version.delivery_mode else form


def _supervision(version: MicroCredentialVersion) -> str:
    supervised = version.supervised
    if version.identity_verification:
        return (
            gettext("Supervised, with identity verification: %(how)s")
            if supervised
            else gettext("Unsupervised, with identity verification: %(how)s")
        ) % {"how": version.identity_verification}
    return (
        gettext("Supervised, with no identity verification")
        if supervised
        else gettext("Unsupervised, with no identity verification")
    )
