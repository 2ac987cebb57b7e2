"""Who may call the learning routes and pages: a table per route and caller.

Submissions belong to a learner who is none of the six callers: staff of the organisation
see them by role, and evidence files only the owner (or reviewers assigned to it).
"""

from __future__ import annotations

import pytest

from tests.platform.assessment.factories import (
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_submission,
)
from tests.platform.authz import Route, api, cases, check, expect, page
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_user

# The organisation's staff with a role that sees submissions; others are told nothing.
SEES_SUBMISSIONS = expect(anonymous=401, outsider=404, member=404, holder=200, owner=200, admin=200)


def _submission(world):
    version = make_assessed_version(world.organisation)
    submission = make_submission(make_enrolment(version))
    return {"submission": submission.uuid, "evidence": submission.evidence.get().uuid}


def _draft(world):
    draft = make_draft(world.organisation)
    return {"credential": draft.microcredential.slug}


def _assessor(world):
    return {"assessor": add_member(world.organisation, make_user(), "assessor").username}


def _assignable(world):
    values = _submission(world)
    values["assessor"] = make_assessor(world.organisation).username
    return values


PLAN_BODY = {
    "components": [{"key": "goal", "kind": "goal", "label": "Your goal"}],
    "peer_reviews": 1,
}
PLAN_PATH = "/orgs/{org}/microcredentials/{credential}/versions/1/assessment-plan"

ROUTES = [
    Route("GET", "/api/v1/orgs/{org}/assessors", api(), role="owner"),
    Route(
        "POST",
        "/api/v1/orgs/{org}/assessors",
        api(201),
        role="owner",
        prepare=_assessor,
        body={"user": "{assessor}"},
    ),
    Route("GET", "/api/v1/orgs/{org}/assessment/queue", api(), role="assessor"),
    Route("PUT", "/api/v1" + PLAN_PATH, api(), role="designer", prepare=_draft, body=PLAN_BODY),
    Route(
        "GET",
        "/api/v1/submissions/{submission}",
        SEES_SUBMISSIONS,
        role="assessor",
        prepare=_submission,
    ),
    Route(
        "POST",
        "/api/v1/submissions/{submission}/assessor",
        expect(anonymous=401, outsider=404, member=404, holder=201, owner=201, admin=201),
        role="owner",
        member_role="designer",
        prepare=_assignable,
        body={"assessor": "{assessor}"},
    ),
    Route(
        "PATCH",
        "/api/v1/submissions/{submission}",
        expect(anonymous=401, outsider=404, member=404, holder=403, owner=403, admin=403),
        role="assessor",
        prepare=_submission,
        body={"texts": {"goal": "Not mine."}},
    ),
    Route("GET", "/studio/orgs/{org}/assessment/assessors", page(), role="owner"),
    Route(
        "GET",
        "/studio/orgs/{org}/credentials/{credential}/v1/assessment",
        page(),
        role="designer",
        prepare=_draft,
    ),
    Route(
        "GET",
        "/me/submissions/{submission}",
        {**SEES_SUBMISSIONS, "anonymous": 302},
        role="assessor",
        prepare=_submission,
    ),
    Route(
        "GET",
        "/evidence/{evidence}/file",
        expect(anonymous=404, outsider=404, member=404, holder=404, owner=200, admin=404),
        role="assessor",
        prepare=_submission,
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route, actor) -> None:
    check(client, route, actor)
