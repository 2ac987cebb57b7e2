"""Scoring reviews: peers before the assessor, the rubric form, the pass rule and attempts."""

from __future__ import annotations

import pytest
from django.core import mail

from microcred.assessment import services
from microcred.assessment.models import (
    CriterionScore,
    EnrolmentStatus,
    Review,
    ReviewRole,
    ReviewStatus,
    Submission,
    SubmissionStatus,
)
from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, InvalidInput, NotFound
from tests.platform.assessment.factories import (
    make_enrolment,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.assessment.judging import FAIL, PASS, assessed, scores, with_assessor


def _peer_setting(peers: int = 2):
    setting = assessed(peer_reviews=peers)
    submission = make_submission(make_enrolment(setting.version))
    reviews = [
        make_review(submission, make_enrolment(setting.version).learner, "peer")
        for _ in range(peers)
    ]
    return setting, submission, reviews


def test_peers_give_feedback_before_the_assessor_is_assigned():
    setting, submission, (first, second) = _peer_setting()
    services.score_review(
        actor=first.reviewer,
        review=first,
        scores=scores(setting.version, PASS),
        feedback="Clear goal.",
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PEER_REVIEW
    assert not submission.reviews.filter(role=ReviewRole.ASSESSOR).exists()

    services.score_review(
        actor=second.reviewer, review=second, scores=scores(setting.version, FAIL)
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ASSESSMENT
    assessor = submission.reviews.get(role=ReviewRole.ASSESSOR)
    assert assessor.reviewer == setting.assessor
    assert assessor.status == ReviewStatus.ASSIGNED
    first.refresh_from_db()
    assert first.status == ReviewStatus.COMPLETED
    assert first.outcome == ""
    assert first.total_points == 5
    assert {s.feedback for s in first.scores.all()} == {
        "Assessment design: Exemplary.",
        "Feedback: Proficient.",
    }


def test_a_peer_gives_no_outcome():
    setting, _, (peer, _) = _peer_setting()
    with pytest.raises(InvalidInput) as error:
        services.score_review(
            actor=peer.reviewer,
            review=peer,
            scores=scores(setting.version, PASS),
            outcome="pass",
        )
    assert error.value.field == "outcome"
    assert not CriterionScore.objects.exists()


def test_the_assessor_waits_for_the_peers():
    setting, submission, _ = _peer_setting()
    early = make_review(submission, setting.assessor, "assessor")
    with pytest.raises(Conflict) as error:
        services.score_review(
            actor=setting.assessor, review=early, scores=scores(setting.version, PASS)
        )
    assert error.value.code == "review.wrong_stage"


def test_only_the_assigned_reviewer_scores_and_only_once():
    setting, submission, (peer, _) = _peer_setting()
    for stranger in (make_learner(), submission.enrolment.learner, setting.assessor):
        with pytest.raises(NotFound):
            services.score_review(actor=stranger, review=peer, scores=scores(setting.version, PASS))
        with pytest.raises(NotFound):
            services.access_review(stranger, peer.uuid)
    services.score_review(actor=peer.reviewer, review=peer, scores=scores(setting.version, PASS))
    with pytest.raises(Conflict) as error:
        services.score_review(
            actor=peer.reviewer, review=peer, scores=scores(setting.version, FAIL)
        )
    assert error.value.code == "review.not_open"
    assert peer.scores.count() == 2


def test_a_peer_sees_the_submission_without_the_learners_name():
    setting, submission, (peer, _) = _peer_setting()
    page = services.get_review_page(services.access_review(peer.reviewer, peer.uuid))
    assert page.learner == ""
    assert [c.key for c in page.components] == ["goal", "artefact", "reflection"]
    assert [c.name for c in page.criteria] == ["Assessment design", "Feedback"]
    assessor = make_review(submission, setting.assessor, "assessor")
    learner = submission.enrolment.learner
    staff_page = services.get_review_page(services.access_review(setting.assessor, assessor.uuid))
    assert staff_page.learner == learner.get_full_name()


def test_the_assessor_must_score_every_criterion_with_a_level_of_its_own():
    setting = assessed()
    review = with_assessor(setting)
    given = scores(setting.version, PASS)
    design, feedback = list(given)
    cases = [
        ({design: given[design]}, f"scores.{feedback}.level"),
        ({**given, design: {"level": given[feedback]["level"]}}, f"scores.{design}.level"),
        ({**given, design: {"feedback": "No level."}}, f"scores.{design}.level"),
        ({**given, "999999": {"level": 1}}, "scores.999999"),
        ({**given, feedback: {**given[feedback], "feedback": 7}}, f"scores.{feedback}.feedback"),
        ("pass", "scores"),
    ]
    for wrong, field in cases:
        with pytest.raises(InvalidInput) as error:
            services.score_review(actor=setting.assessor, review=review, scores=wrong)
        assert error.value.field == field
    with pytest.raises(InvalidInput) as error:
        services.score_review(
            actor=setting.assessor, review=review, scores=given, feedback="x" * 10_001
        )
    assert error.value.field == "feedback"
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED
    assert not CriterionScore.objects.exists()


def test_the_outcome_given_must_be_the_rules():
    setting = assessed()
    review = with_assessor(setting)
    with pytest.raises(InvalidInput) as error:
        services.score_review(
            actor=setting.assessor,
            review=review,
            scores=scores(setting.version, FAIL),
            outcome="pass",
        )
    assert error.value.field == "outcome"
    assert error.value.data["outcome"] == "resubmit"


def test_a_pass_decides_and_issues_the_award(django_capture_on_commit_callbacks):
    setting = assessed()
    review = with_assessor(setting)
    with django_capture_on_commit_callbacks(execute=True):
        services.score_review(
            actor=setting.assessor,
            review=review,
            scores=scores(setting.version, PASS),
            feedback="Well done.",
            outcome="pass",
        )
    submission = Submission.objects.get(pk=review.submission_id)
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.outcome == "pass"
    assert submission.total_points == 5
    assert submission.feedback == "Well done."
    assert submission.decided_at is not None
    enrolment = submission.enrolment
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.PASSED
    assert enrolment.award is not None
    assert enrolment.award.learner == enrolment.learner
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"review.complete", "submission.decide", "award.issue"} <= set(actions)
    subjects = [m.subject for m in mail.outbox if enrolment.learner.email in m.to]
    assert any(subject.startswith("Decision on your submission") for subject in subjects)
    assert any(subject.startswith("Your credential") for subject in subjects)


def test_a_failed_attempt_with_attempts_left_is_resubmit_with_a_new_draft():
    setting = assessed(max_attempts=2)
    review = with_assessor(setting)
    services.score_review(
        actor=setting.assessor,
        review=review,
        scores=scores(setting.version, FAIL),
        feedback="Work on the feedback.",
    )
    first = Submission.objects.get(pk=review.submission_id)
    assert first.outcome == "resubmit"
    assert first.status == SubmissionStatus.DECIDED
    second = first.enrolment.submissions.get(attempt=2)
    assert second.status == SubmissionStatus.DRAFT
    assert second.texts == first.texts
    assert not second.evidence.exists()
    enrolment = first.enrolment
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.award is None


def test_the_last_attempt_failing_is_fail():
    setting = assessed(max_attempts=2)
    enrolment = make_enrolment(setting.version)
    make_submission(enrolment, attempt=1, status=SubmissionStatus.DECIDED, outcome="resubmit")
    review = make_review(make_submission(enrolment, attempt=2), setting.assessor)
    services.score_review(
        actor=setting.assessor, review=review, scores=scores(setting.version, FAIL)
    )
    enrolment.refresh_from_db()
    assert enrolment.submissions.get(attempt=2).outcome == "fail"
    assert enrolment.status == EnrolmentStatus.FAILED
    assert enrolment.submissions.count() == 2


def test_the_learner_sees_feedback_without_peer_names():
    setting, submission, (first, second) = _peer_setting()
    for peer in (first, second):
        services.score_review(
            actor=peer.reviewer,
            review=peer,
            scores=scores(setting.version, PASS),
            feedback="Peer feedback.",
        )
    learner = submission.enrolment.learner
    submission.refresh_from_db()
    feedback = services.get_feedback(learner, submission)
    assert [item.label for item in feedback] == ["Peer 1", "Peer 2"]
    assessor = Review.objects.get(submission=submission, role=ReviewRole.ASSESSOR)
    services.score_review(
        actor=setting.assessor,
        review=assessor,
        scores=scores(setting.version, PASS),
        feedback="Passed.",
    )
    submission.refresh_from_db()
    feedback = services.get_feedback(learner, submission)
    assert [item.label for item in feedback] == ["Peer 1", "Peer 2", "Assessor"]
    assert feedback[2].feedback == "Passed."
    assert feedback[2].scores[0] == {
        "criterion": "Assessment design",
        "level": "Exemplary",
        "feedback": "Assessment design: Exemplary.",
    }
    shown = repr(feedback)
    for person in (first.reviewer, second.reviewer, setting.assessor):
        assert person.username not in shown
        assert not person.get_full_name() or person.get_full_name() not in shown
    for stranger in (first.reviewer, setting.assessor, make_learner()):
        with pytest.raises(NotFound):
            services.get_feedback(stranger, submission)


def test_peers_are_never_the_learner_and_never_twice_on_one_submission():
    setting = assessed(peer_reviews=2)
    submissions = [make_submission(make_enrolment(setting.version)) for _ in range(3)]
    first = submissions[0]
    services.assign_reviewers(first)
    services.assign_reviewers(first)
    peers = list(first.reviews.filter(role=ReviewRole.PEER).values_list("reviewer", flat=True))
    assert len(peers) == len(set(peers)) == 2
    assert first.enrolment.learner_id not in peers
    own = Review.objects.filter(
        submission=first, reviewer=first.enrolment.learner, role=ReviewRole.PEER
    )
    assert not own.exists()
    with pytest.raises(NotFound):
        services.access_review(first.enrolment.learner, first.reviews.first().uuid)
