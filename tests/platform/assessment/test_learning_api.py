"""The learning API: enrol, draft, upload, submit; plans; qualifications, assignment, queue."""

from __future__ import annotations

import json

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.assessment.models import EvidenceItem
from tests.platform.api import Api
from tests.platform.assessment.factories import (
    PDF,
    default_components,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_user


def test_a_learner_enrols_drafts_uploads_and_submits(client, django_capture_on_commit_callbacks):
    version = make_assessed_version()
    assessor = make_assessor(version.microcredential.organisation)
    learner = make_learner()
    api = Api(client, learner)
    response = api("POST", "/enrolments", {"achievement": str(version.achievement_uuid)})
    assert response.status_code == 201, response.content
    enrolment = response.json()
    assert enrolment["due"] == "Write and submit attempt 1"
    submission = enrolment["submissions"][0]["uuid"]

    response = api("PATCH", f"/submissions/{submission}", {"texts": {"goal": "Fair tests."}})
    assert response.status_code == 200
    assert response.json()["texts"] == {"goal": "Fair tests."}
    response = api("PATCH", f"/submissions/{submission}", {"texts": {"essay": "x"}})
    assert (response.status_code, response.json()["field"]) == (422, "texts.essay")

    response = api("POST", f"/submissions/{submission}/submit")
    assert response.status_code == 422
    assert response.json()["code"] == "submission.incomplete"
    assert response.json()["field"] == "evidence.artefact"

    response = api.upload(
        f"/submissions/{submission}/evidence",
        {"component": "artefact", "file": SimpleUploadedFile("empty.pdf", b"")},
    )
    assert (response.status_code, response.json()["code"]) == (422, "evidence.empty")
    response = api.upload(
        f"/submissions/{submission}/evidence",
        {
            "component": "artefact",
            "description": "My test.",
            "public": "true",
            "file": SimpleUploadedFile("test.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    evidence = response.json()
    assert evidence["public"] is True and evidence["size"] == len(PDF)
    assert evidence["download"] == f"/evidence/{evidence['uuid']}/file"
    response = api("PATCH", f"/evidence/{evidence['uuid']}", {"public": False})
    assert response.json()["public"] is False

    texts = {"reflection.1": "Rubrics.", "reflection.2": "Time."}
    api("PATCH", f"/submissions/{submission}", {"texts": texts})
    with django_capture_on_commit_callbacks(execute=True):
        response = api("POST", f"/submissions/{submission}/submit")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "assessment"
    assert {m.to[0] for m in mail.outbox} == {learner.email, assessor.email}
    response = api("DELETE", f"/evidence/{evidence['uuid']}")
    assert response.status_code == 409
    assert EvidenceItem.objects.count() == 1

    (listed,) = api("GET", "/enrolments").json()
    assert listed["submissions"][0]["status"] == "assessment"
    assert listed["due"].startswith("Decision due")


def test_enrolling_in_a_draft_answers_422_naming_the_version(client) -> None:
    version = make_assessed_version(published=False)
    response = Api(client, make_learner())(
        "POST", "/enrolments", {"achievement": str(version.achievement_uuid)}
    )
    # A draft has no public achievement: the catalogue does not know it.
    assert response.status_code == 404
    assert response.json()["field"] == "achievement"


def test_peers_get_the_submission_without_the_learners_name(client) -> None:
    version = make_assessed_version()
    submission = make_submission(make_enrolment(version))
    peer = make_learner()
    make_review(submission, peer, "peer")
    body = Api(client, peer)("GET", f"/submissions/{submission.uuid}").json()
    assert body["learner"] is None
    assert submission.enrolment.learner.username not in json.dumps(body)
    assessor = make_assessor(version.microcredential.organisation)
    body = Api(client, assessor)("GET", f"/submissions/{submission.uuid}").json()
    assert body["learner"] == submission.enrolment.learner.username
    response = Api(client, make_learner())("GET", f"/submissions/{submission.uuid}")
    assert response.status_code == 404


def test_designers_put_and_get_the_plan(client) -> None:
    draft = make_draft()
    api = Api(client, draft.created_by)
    path = (
        f"/orgs/{draft.microcredential.organisation.slug}/microcredentials/"
        f"{draft.microcredential.slug}/versions/{draft.number}/assessment-plan"
    )
    assert api("GET", path).status_code == 404
    body = {"components": default_components(), "peer_reviews": 2, "max_attempts": 2}
    response = api("PUT", path, body)
    assert response.status_code == 200, response.content
    assert api("GET", path).json()["peer_reviews"] == 2
    response = api("PUT", path, {**body, "max_attempts": 20})
    assert (response.status_code, response.json()["field"]) == (422, "max_attempts")


def test_owners_qualify_assessors_assign_by_hand_and_assessors_see_their_queue(client) -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    owner = organisation.memberships.get(role="owner").user
    api = Api(client, owner)
    person = add_member(organisation, make_user(), "assessor")
    response = api(
        "POST",
        f"/orgs/{organisation.slug}/assessors",
        {"user": person.username, "valid_until": "2999-01-01"},
    )
    assert response.status_code == 201, response.content
    qualification = response.json()
    assert qualification["microcredential"] is None
    submission = make_submission(make_enrolment(version))
    response = api(
        "POST", f"/submissions/{submission.uuid}/assessor", {"assessor": person.username}
    )
    assert response.status_code == 201, response.content
    queue = Api(client, person)("GET", f"/orgs/{organisation.slug}/assessment/queue").json()
    assert [item["submission"] for item in queue] == [str(submission.uuid)]
    response = api(
        "POST", f"/submissions/{submission.uuid}/assessor", {"assessor": make_user().username}
    )
    assert (response.status_code, response.json()["field"]) == (422, "assessor")
    response = api("DELETE", f"/orgs/{organisation.slug}/assessors/{qualification['id']}")
    assert response.status_code == 204
    assert api("GET", f"/orgs/{organisation.slug}/assessors").json() == []
