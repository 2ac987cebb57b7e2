"""Helpers for the judging tests: an assessed version with its policy, and rubric scores by name.

The catalogue factories' rubric has two criteria: "Assessment design" (Beginning 1,
Proficient 2, Exemplary 3) and "Feedback" (Beginning 1, Proficient 2), both with
Proficient as the minimum, and a pass mark of 4 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import TestCase

from microcred.assessment import services
from microcred.assessment.models import AssessmentSettings, Review, Submission
from microcred.catalogue.models import MicroCredentialVersion, RubricCriterion
from microcred.organisations.models import Organisation
from tests.platform.assessment.factories import (
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_review,
    make_submission,
)
from tests.platform.factories import make_organisation

# Exemplary and Proficient: 5 points, a clear pass.
PASS = {"Assessment design": "Exemplary", "Feedback": "Proficient"}
# Every criterion at its minimum: 4 points, a pass on the mark.
ON_THE_MARK = {"Assessment design": "Proficient", "Feedback": "Proficient"}
# Beginning everywhere: 2 points, a clear fail.
FAIL = {"Assessment design": "Beginning", "Feedback": "Beginning"}


@dataclass
class Setting:
    organisation: Organisation
    version: MicroCredentialVersion
    assessor: Any


def assessed(
    *,
    peer_reviews: int = 0,
    max_attempts: int = 3,
    share: str = "0",
    margin: int = 0,
    signoff: bool = False,
    organisation: Organisation | None = None,
) -> Setting:
    """Return a published version with a plan, the organisation's policy and one assessor."""
    organisation = organisation or make_organisation()
    version = make_assessed_version(
        organisation, plan={"peer_reviews": peer_reviews, "max_attempts": max_attempts}
    )
    AssessmentSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "moderation_share": share,
            "borderline_margin": margin,
            "registrar_signoff": signoff,
        },
    )
    return Setting(organisation, version, make_assessor(organisation))


def scores(version: MicroCredentialVersion, chosen: dict[str, str]) -> dict[str, Any]:
    """Return ``score_review``'s scores for levels chosen by criterion and level name."""
    result = {}
    for criterion in RubricCriterion.objects.filter(rubric__version=version):
        level = criterion.levels.get(name=chosen[criterion.name])
        result[str(criterion.pk)] = {
            "level": level.pk,
            "feedback": f"{criterion.name}: {level.name}.",
        }
    return result


def with_assessor(setting: Setting, **submission: Any) -> Review:
    """Return an assessor review of a fresh learner's submitted attempt."""
    enrolment = make_enrolment(setting.version)
    made = make_submission(enrolment, **submission)
    return make_review(made, setting.assessor, "assessor")


def scored(setting: Setting, review: Review, chosen: dict[str, str] = PASS) -> Submission:
    """Score ``review`` as its reviewer with the levels ``chosen``; return the attempt as it
    then stands, with its enrolment and any award (issued once the decision commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.score_review(
            actor=review.reviewer, review=review, scores=scores(setting.version, chosen)
        )
    return Submission.objects.select_related("enrolment__award").get(pk=review.submission_id)
