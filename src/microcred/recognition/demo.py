"""The recognition part of the demo: a transfer value, a waiting application, grading tables.

The University of Lakeside lets the professional-learning institute's "Visualising School
Data" count for the component "data-visualisation" of its pathway "Data Science
Foundations" (the pathway targets the version ``data-science-foundations``; the pathways
demo builds the pathway itself). A learner's application for recognition waits for
Lakeside's evaluators, and both institutions publish grading tables of one field, so
that their grades convert on the public conversion page.

The site's demo passes how it makes accounts and publishes specifications (through quality
assurance, as the organisation's staff would), so this module needs no copy of either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from microcred.accounts.services import User, find_user
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.errors import NotFound
from microcred.organisations import services as organisations
from microcred.organisations.services import Role
from microcred.recognition import services

UNIVERSITY, INSTITUTE = "lakeside", "northfield"
TARGET = "data-science-foundations"
COMPONENT = "data-visualisation"
EVALUATORS = (("lakeside-evaluator", "Eli Evans"), ("lakeside-evaluator2", "Emma Stone"))
RUBRIC = {
    "pass_rule": "Every criterion at 'Proficient' or above.",
    "criteria": [
        {
            "name": "Dashboard for a school",
            "outcomes": [1, 2, 3],
            "minimum_level": "Proficient",
            "levels": [
                {
                    "name": "Developing",
                    "points": 1,
                    "description": "The dashboard shows the school's data but its charts do not "
                    "answer the questions the report asks, or mislead.",
                },
                {
                    "name": "Proficient",
                    "points": 2,
                    "description": "Each chart answers a stated question about the school's "
                    "data, is readable without colour, and the report says what it shows.",
                },
            ],
        }
    ],
}
COMMON: dict[str, Any] = {
    "assessment_type": "A dashboard built from the learner's own school data, with a report, "
    "judged against the rubric.",
    "participation_form": "online",
    "quality_assurance": "Internal review by the quality committee.",
    "languages": ["en"],
    "achievement_type": "MicroCredential",
    "eqf_level": 6,
    "rubric": RUBRIC,
}
# The institute's equivalent of the university's Data Visualisation (5 ECTS, EQF 6).
EQUIVALENT = {
    **COMMON,
    "slug": "visualising-school-data",
    "title": "Visualising School Data",
    "description": "Designs honest, readable charts and dashboards from school data.",
    "criteria": "Submit a dashboard built from your school's data and a report on its design.",
    "outcomes": [
        "Choose the chart that answers a question about a data set.",
        "Design dashboards that people with impaired sight can read.",
        "Critique visualisations that mislead.",
    ],
    "workload_hours": Decimal("140"),
    "credits": {"ECTS": "5", "HOURS": "140"},
    "field_of_study": "Statistics",
}
# The pathway's target, published here only when the pathways demo has not made it.
TARGET_SPEC = {
    **COMMON,
    "slug": TARGET,
    "title": "Data Science Foundations",
    "description": "The stacked credential of three data science micro-credentials: "
    "programming, modelling and visualisation.",
    "criteria": "Hold Data Analysis with Python, Statistical Modelling and Data Visualisation "
    "(or a recognised equivalent).",
    "outcomes": [
        "Analyse a data set end to end with Python.",
        "Model data statistically and judge the model's quality.",
        "Communicate findings with sound visualisations.",
    ],
    "workload_hours": Decimal("420"),
    "credits": {"ECTS": "15", "HOURS": "420"},
    "field_of_study": "Statistics",
}
# Synthetic distributions of passing grades in one field (ISCED-F 0114), best grade first.
GRADING_TABLES = {
    UNIVERSITY: ("Dutch 1-10", [["10", 1], ["9", 6], ["8", 23], ["7", 40], ["6", 30]]),
    INSTITUTE: ("Distinction, Merit, Pass", [["Distinction", 15], ["Merit", 35], ["Pass", 50]]),
}
GRADING_FIELD = "0114 Teacher training with subject specialisation"


def load_recognition_demo(
    *,
    now: datetime,
    user: Callable[[str, str], User],
    publish: Callable[[Any, dict[str, Any]], Any],
) -> Iterator[str]:
    """Publish the transfer value and the grading tables, and leave an application waiting.

    ``user(username, name)`` makes a demo account; ``publish(organisation, spec)`` takes a
    specification through quality assurance and publishes it, as the site's demo does.
    """
    university = organisations.get_organisation(UNIVERSITY)
    institute = organisations.get_organisation(INSTITUTE)
    owner = find_user(f"{UNIVERSITY}-owner")
    if owner is None:
        raise RuntimeError("The site's demo creates the university's owner first.")
    evaluators = [user(username, name) for username, name in EVALUATORS]
    for evaluator in evaluators:
        organisations.add_member(
            actor=owner, organisation=university, user=evaluator.username, roles=[Role.EVALUATOR]
        )
    evaluator = evaluators[0]
    target = _version(university, TARGET_SPEC, publish)
    equivalent = _version(institute, EQUIVALENT, publish)
    services.create_transfer_value(
        actor=evaluator,
        organisation_slug=UNIVERSITY,
        target_version=target,
        source_version=equivalent,
        credits={"ECTS": 5},
        component=COMPONENT,
        description="Same outcomes, level and workload as our Data Visualisation.",
        now=now - timedelta(days=40),
    )
    for slug, (system, grades) in GRADING_TABLES.items():
        staff = evaluator if slug == UNIVERSITY else find_user(f"{slug}-owner")
        if staff is None:
            raise RuntimeError(f"The site's demo creates {slug}'s owner first.")
        services.create_grading_table(
            actor=staff,
            organisation_slug=slug,
            field_of_study=GRADING_FIELD,
            grading_system=system,
            grades=grades,
            now=now - timedelta(days=40),
        )
    learner = find_user("ben")
    if learner is None:
        raise RuntimeError("The site's demo creates the learner ben first.")
    credential = next(
        award for award in awards.get_learner_awards(learner) if award.status == "active"
    )
    services.apply_for_recognition(
        actor=learner,
        version=catalogue.get_version(organisation=UNIVERSITY, slug="data-analysis-python"),
        statement="For three years I analysed my school's assessment data with Python "
        "(pandas, matplotlib): cleaning exports, finding gaps, and charting them for staff.",
        learning_setting="informal",
        credentials=[
            services.Submission(credential.signed_credential.encode("utf-8"), "credential.json")
        ],
        evidence=[{"text": "Three notebooks of the analyses, shown on request."}],
        now=now - timedelta(days=3),
    )
    yield (
        f"Recognition: {university.name} lets {institute.name}'s {EQUIVALENT['title']!r} count "
        f"for {COMPONENT!r} of Data Science Foundations (a transfer value, also in CTDL); "
        f"ben's application for recognition waits for {EVALUATORS[0][0]} and "
        f"{EVALUATORS[1][0]} (four eyes); both institutions publish a grading table "
        "(/grades/convert)."
    )


def _version(
    organisation: Any, spec: dict[str, Any], publish: Callable[[Any, dict[str, Any]], Any]
) -> Any:
    """Return the organisation's published version of ``spec['slug']``, publishing it first
    when the demo has none."""
    try:
        return catalogue.get_version(organisation=organisation.slug, slug=spec["slug"])
    except NotFound:
        return publish(organisation, dict(spec))
