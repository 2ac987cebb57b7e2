"""Staff pages of judging: queue, review form, moderation, sign-off, CSV upload; the learner's
feedback page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.assessment.models import ReviewRole, ReviewStatus, Submission, SubmissionStatus
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


def _form(version, chosen, feedback="Overall."):
    data = {"feedback": feedback}
    for criterion, score in scores(version, chosen).items():
        data[f"level-{criterion}"] = score["level"]
        data[f"feedback-{criterion}"] = score["feedback"]
    return data


def test_the_queue_lists_the_assessors_reviews_with_due_dates(
    client, django_assert_max_num_queries
):
    setting = assessed()
    reviews = [with_assessor(setting) for _ in range(3)]
    client.force_login(setting.assessor)
    url = f"/studio/orgs/{setting.organisation.slug}/assessment/queue"
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for review in reviews:
        assert f"/assessment/reviews/{review.uuid}" in page
    assert reviews[0].due_at.strftime("%-d %b %Y") in page
    dashboard = client.get("/studio/").content.decode()
    assert url in dashboard


def test_the_review_page_shows_the_submission_and_the_rubric_as_a_form(client):
    setting = assessed()
    review = with_assessor(setting)
    client.force_login(setting.assessor)
    page = client.get(f"/assessment/reviews/{review.uuid}").content.decode()
    assert "I want to design fair assessments for my class." in page
    assert "What worked well?" in page
    assert "assessment.pdf" in page
    assert page.count('type="radio"') == 5
    assert "<legend>Assessment design</legend>" in page
    assert 'name="feedback"' in page
    assert review.submission.enrolment.learner.get_full_name() in page


def test_scoring_through_the_form_decides(client):
    setting = assessed()
    review = with_assessor(setting)
    client.force_login(setting.assessor)
    url = f"/assessment/reviews/{review.uuid}"
    response = client.post(url, _form(setting.version, PASS))
    assert response.status_code == 302
    submission = Submission.objects.get(pk=review.submission_id)
    assert submission.outcome == "pass"
    assert submission.feedback == "Overall."
    page = client.get(url).content.decode()
    assert "You completed this review" in page
    assert "Assessment design: Exemplary" in page


def test_a_missing_level_comes_back_with_the_error_and_what_was_given(client):
    setting = assessed()
    review = with_assessor(setting)
    client.force_login(setting.assessor)
    data = _form(setting.version, FAIL, feedback="Kept.")
    missing = next(key for key in data if key.startswith("level-"))
    del data[missing]
    response = client.post(f"/assessment/reviews/{review.uuid}", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a level for" in page
    assert "Kept." in page
    assert " checked" in page
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED


def test_a_peer_sees_no_names_and_gives_feedback_only(client):
    setting = assessed(peer_reviews=1)
    learner = make_learner(first_name="Hidden", last_name="Person")
    submission = make_submission(make_enrolment(setting.version, learner))
    peer = make_enrolment(setting.version).learner
    review = make_review(submission, peer, ReviewRole.PEER)
    client.force_login(peer)
    page = client.get(f"/assessment/reviews/{review.uuid}").content.decode()
    assert "Hidden" not in page
    assert "Give feedback" in page
    assert client.post(f"/assessment/reviews/{review.uuid}", _form(setting.version, PASS))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ASSESSMENT
    client.force_login(make_learner())
    assert client.get(f"/assessment/reviews/{review.uuid}").status_code == 404


def test_moderation_page(client):
    setting = assessed(share="1")
    make_assessor(setting.organisation)
    review = with_assessor(setting)
    client.force_login(setting.assessor)
    client.post(f"/assessment/reviews/{review.uuid}", _form(setting.version, PASS))
    page = client.get(f"/studio/orgs/{setting.organisation.slug}/assessment/moderation")
    assert page.status_code == 200
    text = page.content.decode()
    assert setting.version.title in text
    assert "In moderation" in text
    assert "not yet" in text


# Transactional: the award is issued when the decision commits, before the answer.
@pytest.mark.django_db(transaction=True)
def test_the_registrar_signs_off_from_the_list(client):
    setting = assessed(signoff=True)
    registrar = make_registrar(setting.organisation)
    review = with_assessor(setting)
    client.force_login(setting.assessor)
    client.post(f"/assessment/reviews/{review.uuid}", _form(setting.version, PASS))
    submission = Submission.objects.get(pk=review.submission_id)
    assert submission.status == SubmissionStatus.SIGNOFF
    url = f"/studio/orgs/{setting.organisation.slug}/assessment/signoff"
    assert client.get(url).status_code == 403
    client.force_login(registrar)
    page = client.get(url).content.decode()
    assert f"{url}/{submission.uuid}" in page
    response = client.post(f"{url}/{submission.uuid}", follow=True)
    assert "the credential was issued" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.enrolment.award is not None
    response = client.post(f"{url}/{submission.uuid}", follow=True)
    assert "only a pass awaiting sign-off" in response.content.decode()


def test_the_csv_upload_shows_an_error_table_or_applies(client):
    exam = {"key": "exam", "kind": "result", "label": "Exam", "minimum": 0, "maximum": 100}
    version = make_assessed_version(plan={"components": [*default_components(), exam]})
    organisation = version.microcredential.organisation
    make_enrolment(version, make_learner(username="ada", email="ada@example.org"))
    instructor = make_assessor(organisation)
    client.force_login(instructor)
    url = f"/studio/orgs/{organisation.slug}/assessment/results"
    assert version.title in client.get(url).content.decode()

    def upload(text):
        file = SimpleUploadedFile("results.csv", text.encode(), content_type="text/csv")
        return client.post(url, {"version": str(version.achievement_uuid), "file": file})

    response = upload("learner,component,value\nada,exam,120\nzed,exam,5\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<th scope="col">Line</th>' in page
    assert "<td>2</td>" in page and "<td>3</td>" in page
    assert "nothing was entered" in page
    assert not Submission.objects.exclude(results={}).exists()

    response = upload("learner,component,value\nada,exam,64\n")
    assert response.status_code == 302
    assert Submission.objects.get().results["exam"]["value"] == "64"


def test_the_learner_reads_feedback_without_names(client):
    setting = assessed()
    review = with_assessor(setting)
    client.force_login(setting.assessor)
    client.post(f"/assessment/reviews/{review.uuid}", _form(setting.version, FAIL, "Try again."))
    learner = review.submission.enrolment.learner
    client.force_login(learner)
    page = client.get(f"/me/feedback/{review.submission.uuid}").content.decode()
    assert "Try again." in page
    assert "Resubmit" in page
    assert setting.assessor.username not in page
    client.force_login(make_learner())
    assert client.get(f"/me/feedback/{review.submission.uuid}").status_code == 404


def test_the_review_page_needs_the_same_queries_however_many_peers_reviewed(
    client, django_assert_max_num_queries
):
    setting = assessed(peer_reviews=4)
    submission = make_submission(make_enrolment(setting.version))
    for _ in range(4):
        peer = make_review(submission, make_enrolment(setting.version).learner, ReviewRole.PEER)
        client.force_login(peer.reviewer)
        client.post(f"/assessment/reviews/{peer.uuid}", _form(setting.version, PASS))
    review = submission.reviews.get(role=ReviewRole.ASSESSOR)
    client.force_login(review.reviewer)
    with django_assert_max_num_queries(25):
        page = client.get(f"/assessment/reviews/{review.uuid}").content.decode()
    assert "Peer 4" in page
