"""Factories for catalogue tests: designers, complete drafts, published versions."""

from __future__ import annotations

from typing import Any

from microcred.accounts.models import User
from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion
from microcred.organisations.models import Organisation, Role
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import publish

ESCO_ASSESS_STUDENTS = "http://data.europa.eu/esco/skill/6fe019dd-027f-45f3-b19c-d27f7ae00980"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def complete_fields(**overrides: Any) -> dict[str, Any]:
    """Every element a version needs to be published, and most of the optional ones."""
    fields: dict[str, Any] = {
        "description": "Design fair assessments for a classroom and give useful feedback.",
        "workload_hours": "55",
        "eqf_level": 6,
        "assessment_type": "A portfolio of three assessments, marked against the rubric.",
        "participation_form": "online",
        "supervised": True,
        "identity_verification": "Video call with photo identity check.",
        "quality_assurance": "Internal quality assurance by the faculty's examination board.",
        "prerequisites": "A teaching qualification.",
        "stackability": "Counts towards the Postgraduate Certificate in Education.",
        "criteria": "Submit a portfolio that meets the rubric.",
        "languages": ["en", "nl"],
        "tags": ["assessment", "teaching"],
        "field_of_study": "Education",
        "outcomes": [
            {"text": "Design classroom assessments", "skills": [{"uri": ESCO_ASSESS_STUDENTS}]},
            "Give feedback that helps students learn",
        ],
        "credits": {"ECTS": "2", "HOURS": "55"},
        "rubric": {
            "pass_rule": "Every criterion at Proficient or above.",
            "pass_points": 4,
            "criteria": [
                {
                    "name": "Assessment design",
                    "outcomes": [1],
                    "levels": [
                        {
                            "name": "Beginning",
                            "points": 1,
                            "description": "Tasks do not match the outcome they claim to test.",
                        },
                        {"name": "Proficient", "points": 2, "description": "Valid and fair."},
                        {
                            "name": "Exemplary",
                            "points": 3,
                            "description": "Valid, fair, and varied for different learners.",
                        },
                    ],
                    "minimum_level": "Proficient",
                },
                {
                    "name": "Feedback",
                    "outcomes": [2],
                    "levels": [
                        {
                            "name": "Beginning",
                            "points": 1,
                            "description": "Feedback marks errors without saying what to do.",
                        },
                        {
                            "name": "Proficient",
                            "points": 2,
                            "description": "Feedback says what to improve and how.",
                        },
                    ],
                    "minimum_level": "Proficient",
                },
            ],
        },
    }
    fields.update(overrides)
    return fields


def make_designer(organisation: Organisation) -> User:
    return add_member(organisation, make_user(password=None), Role.DESIGNER)


def make_draft(
    organisation: Organisation | None = None,
    *,
    actor: User | None = None,
    title: str = "Classroom assessment",
    complete: bool = True,
    **overrides: Any,
) -> MicroCredentialVersion:
    organisation = organisation or make_organisation()
    actor = actor or make_designer(organisation)
    fields = complete_fields(**overrides) if complete else overrides
    return services.create_microcredential(
        actor=actor, organisation=organisation, title=title, **fields
    )


def make_published(
    organisation: Organisation | None = None, **overrides: Any
) -> MicroCredentialVersion:
    """A draft published through quality assurance (vetted issuer, approved review)."""
    return publish(make_draft(organisation, **overrides))
