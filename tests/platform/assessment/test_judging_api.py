"""The judging API: reviews, scores, feedback, moderation, sign-off and CSV results."""

from __future__ import annotations

import json

import pytest

from microcred.assessment.models import ReviewRole, Submission, SubmissionStatus
from tests.platform.api import Api
from tests.platform.assessment.factories import (
    default_components,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.assessment.judging import FAIL, PASS, assessed, scores, with_assessor
from tests.platform.awards.factories import make_registrar


def call(client, method, path, user, body=None):
    """Call the API as ``user``: each call may be made by someone else."""
    return Api(client, user)(method, path, body)


# Transactional: the award is issued when the decision commits, before the answer.
@pytest.mark.django_db(transaction=True)
def test_an_assessor_reads_and_scores_a_review(client):
    setting = assessed()
    review = with_assessor(setting)
    detail = call(client, "GET", f"/reviews/{review.uuid}", setting.assessor).json()
    assert detail["role"] == "assessor"
    assert [c["name"] for c in detail["criteria"]] == ["Assessment design", "Feedback"]
    assert detail["components"][2]["answers"][0]["prompt"] == "What worked well?"
    assert detail["learner"] == review.submission.enrolment.learner.get_full_name()

    body = {"scores": scores(setting.version, PASS), "feedback": "Good.", "outcome": "pass"}
    response = call(client, "POST", f"/reviews/{review.uuid}/scores", setting.assessor, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    assert response.json()["total_points"] == 5
    submission = Submission.objects.get(pk=review.submission_id)
    assert submission.outcome == "pass"
    assert submission.enrolment.award is not None


def test_bad_scores_are_422_with_the_field(client):
    setting = assessed()
    review = with_assessor(setting)
    given = scores(setting.version, PASS)
    first = next(iter(given))
    del given[first]
    response = call(
        client, "POST", f"/reviews/{review.uuid}/scores", setting.assessor, {"scores": given}
    )
    assert response.status_code == 422
    assert response.json()["field"] == f"scores.{first}.level"
    response = call(
        client,
        "POST",
        f"/reviews/{review.uuid}/scores",
        setting.assessor,
        {"scores": scores(setting.version, FAIL), "outcome": "pass"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "outcome"


def test_a_peer_review_is_anonymous_and_private_to_the_peer(client):
    setting = assessed(peer_reviews=1)
    submission = make_submission(make_enrolment(setting.version))
    peer = make_enrolment(setting.version).learner
    review = make_review(submission, peer, ReviewRole.PEER)
    detail = call(client, "GET", f"/reviews/{review.uuid}", peer).json()
    assert detail["learner"] == ""
    assert submission.enrolment.learner.last_name not in json.dumps(detail)
    for stranger in (make_learner(), submission.enrolment.learner, setting.assessor):
        assert call(client, "GET", f"/reviews/{review.uuid}", stranger).status_code == 404

    body = {"scores": scores(setting.version, PASS), "feedback": "Nice goal."}
    assert call(client, "POST", f"/reviews/{review.uuid}/scores", peer, body).status_code == 200
    feedback = call(
        client, "GET", f"/submissions/{submission.uuid}/feedback", submission.enrolment.learner
    ).json()
    assert [item["label"] for item in feedback] == ["Peer 1"]
    assert peer.username not in json.dumps(feedback)
    assert call(client, "GET", f"/submissions/{submission.uuid}/feedback", peer).status_code == 404


# Transactional: the award is issued when the decision commits, before the answer.
@pytest.mark.django_db(transaction=True)
def test_moderation_and_sign_off(client):
    setting = assessed(share="1", signoff=True)
    make_assessor(setting.organisation)
    registrar = make_registrar(setting.organisation)
    review = with_assessor(setting)
    slug = setting.organisation.slug
    body = {"scores": scores(setting.version, PASS)}
    call(client, "POST", f"/reviews/{review.uuid}/scores", setting.assessor, body)
    rows = call(client, "GET", f"/orgs/{slug}/assessment/moderation", setting.assessor).json()
    assert rows[0]["status"] == "moderation"
    assert rows[0]["agreed"] is None
    second = review.submission.reviews.get(role=ReviewRole.SECOND)
    call(client, "POST", f"/reviews/{second.uuid}/scores", second.reviewer, body)
    rows = call(client, "GET", f"/orgs/{slug}/assessment/moderation", setting.assessor).json()
    assert rows[0]["agreed"] is True

    waiting = call(client, "GET", f"/orgs/{slug}/assessment/signoff", registrar).json()
    assert [item["uuid"] for item in waiting] == [str(review.submission.uuid)]
    assert waiting[0]["award"] is None
    path = f"/submissions/{review.submission.uuid}/signoff"
    assert call(client, "POST", path, setting.assessor).status_code == 403
    response = call(client, "POST", path, registrar)
    assert response.status_code == 200
    assert response.json()["award"].startswith("https://microcred.test/credentials/")
    assert call(client, "POST", path, registrar).status_code == 409
    assert Submission.objects.get(pk=review.submission_id).status == SubmissionStatus.DECIDED


def test_csv_results_are_checked_then_applied(client):
    exam = {"key": "exam", "kind": "result", "label": "Exam", "minimum": 0, "maximum": 100}
    version = make_assessed_version(plan={"components": [*default_components(), exam]})
    organisation = version.microcredential.organisation
    make_enrolment(version, make_learner(username="ada", email="ada@example.org"))
    instructor = make_assessor(organisation)
    path = f"/orgs/{organisation.slug}/assessment/results"
    body = {"achievement": str(version.achievement_uuid), "csv": "learner,component,value\n"}

    bad = {**body, "csv": body["csv"] + "ada,exam,101\n"}
    checked = call(client, "POST", path, instructor, {**bad, "check_only": True}).json()
    assert checked["errors"][0]["line"] == 2
    response = call(client, "POST", path, instructor, bad)
    assert response.status_code == 422
    assert response.json()["code"] == "results.invalid_rows"
    assert response.json()["data"]["errors"][0]["column"] == "value"

    good = {**body, "csv": body["csv"] + "ada,exam,99\n"}
    assert call(client, "POST", path, instructor, good).json() == {"applied": 1, "errors": []}
    other = make_assessor(make_assessed_version().microcredential.organisation)
    assert call(client, "POST", path, other, good).status_code == 404


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/reviews/{uuid}",
        "/api/v1/reviews/{uuid}/scores",
        "/api/v1/submissions/{uuid}/feedback",
        "/api/v1/submissions/{uuid}/signoff",
        "/api/v1/orgs/{org}/assessment/moderation",
        "/api/v1/orgs/{org}/assessment/signoff",
        "/api/v1/orgs/{org}/assessment/results",
    ):
        assert path in paths
