"""Who may reach the judging pages and routes of an organisation.

Reviews and feedback belong to a person, not a role: their checks (only the assigned
reviewer, only the learner) are in test_judging*.py.
"""

from __future__ import annotations

import pytest

from microcred.assessment import services
from microcred.assessment.models import Review, Submission
from tests.platform.assessment.factories import (
    default_components,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_learner,
)
from tests.platform.assessment.judging import FAIL, PASS, assessed, scores, with_assessor
from tests.platform.authz import Route, api, cases, check, page

EXAM = {"key": "exam", "kind": "result", "label": "Exam", "minimum": 0, "maximum": 100}


def _results_version(world):
    version = make_assessed_version(
        world.organisation, plan={"components": [*default_components(), EXAM]}
    )
    learner = make_learner()
    make_enrolment(version, learner)
    return {"achievement": str(version.achievement_uuid), "learner": learner.username}


def _awaiting_signoff(world):
    setting = assessed(organisation=world.organisation, signoff=True)
    review = with_assessor(setting)
    services.score_review(
        actor=setting.assessor, review=review, scores=scores(setting.version, PASS)
    )
    return {"submission": str(Submission.objects.get(pk=review.submission_id).uuid)}


def _awaiting_moderator(world):
    """Markers who disagree, then a free qualified assessor to moderate."""
    setting = assessed(organisation=world.organisation, share="1")
    make_assessor(world.organisation)
    review = with_assessor(setting)
    services.score_review(
        actor=setting.assessor, review=review, scores=scores(setting.version, PASS)
    )
    second = Review.objects.get(submission=review.submission, role="second")
    services.score_review(
        actor=second.reviewer, review=second, scores=scores(setting.version, FAIL)
    )
    make_assessor(world.organisation)
    return {"submission": str(review.submission.uuid)}


STUDIO = "/studio/orgs/{org}/assessment"
API = "/api/v1/orgs/{org}/assessment"
ROUTES = [
    Route("GET", f"{STUDIO}/queue", page(), role="assessor"),
    Route("GET", f"{STUDIO}/moderation", page(), role="assessor"),
    Route("GET", f"{STUDIO}/results", page(), role="assessor"),
    Route("GET", f"{STUDIO}/signoff", page(), role="registrar"),
    Route(
        "POST",
        f"{STUDIO}/signoff/{{submission}}",
        page(302),
        role="registrar",
        prepare=_awaiting_signoff,
    ),
    Route(
        "POST",
        f"{STUDIO}/moderation/{{submission}}/moderator",
        page(302),
        role="assessor",
        prepare=_awaiting_moderator,
    ),
    Route("GET", f"{API}/moderation", api(), role="assessor"),
    Route(
        "POST",
        "/api/v1/submissions/{submission}/moderator",
        api(201),
        role="assessor",
        prepare=_awaiting_moderator,
    ),
    Route("GET", f"{API}/signoff", api(), role="registrar"),
    Route(
        "POST",
        "/api/v1/submissions/{submission}/signoff",
        api(),
        role="registrar",
        prepare=_awaiting_signoff,
    ),
    Route(
        "POST",
        f"{API}/results",
        api(),
        role="assessor",
        prepare=_results_version,
        body={"achievement": "{achievement}", "csv": "learner,component,value\n{learner},exam,5"},
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route, actor):
    check(client, route, actor)
