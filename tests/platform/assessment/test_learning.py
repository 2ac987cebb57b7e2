"""Submissions (draft, save, submit), assignment of peers and assessors, queues, notices,
the learner's dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from microcred.assessment import services
from microcred.assessment.models import Review
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.platform.assessment.factories import (
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_evidence,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.factories import add_member, make_organisation, make_user

DAY = timedelta(days=1)


def _draft(version=None, learner=None):
    version = version or make_assessed_version()
    enrolment = services.enrol(actor=learner or make_learner(), version=version)
    return enrolment.submissions.get()


def _complete(submission):
    services.save_submission(
        actor=submission.enrolment.learner,
        submission=submission,
        texts={"goal": "Design fair tests.", "reflection.1": "Rubrics.", "reflection.2": "Time."},
    )
    make_evidence(submission)
    return submission


def test_a_learner_drafts_saves_and_submits(django_capture_on_commit_callbacks) -> None:
    version = make_assessed_version()
    assessor = make_assessor(version.microcredential.organisation)
    submission = _draft(version)
    learner = submission.enrolment.learner
    saved = services.save_submission(
        actor=learner, submission=submission, texts={"goal": "  Design fair tests.  "}
    )
    assert saved.texts == {"goal": "Design fair tests."}
    services.save_submission(actor=learner, submission=saved, texts={"reflection.1": "Rubrics."})
    saved.refresh_from_db()
    assert saved.texts == {"goal": "Design fair tests.", "reflection.1": "Rubrics."}
    services.save_submission(
        actor=learner, submission=saved, texts={"reflection.2": "Time.", "goal": ""}
    )
    saved.refresh_from_db()
    assert "goal" not in saved.texts
    services.save_submission(actor=learner, submission=saved, texts={"goal": "Fair tests."})
    make_evidence(saved)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_submission(actor=learner, submission=saved)
    assert submitted.status == "assessment"
    assert submitted.submitted_at is not None
    assert submitted.due_at - submitted.submitted_at == timedelta(days=14)
    review = submitted.reviews.get()
    assert (review.reviewer, review.role, review.status) == (assessor, "assessor", "assigned")
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([learner.email, assessor.email])
    received = next(m for m in mail.outbox if m.to == [learner.email])
    assert "Received" in received.subject
    assert f"/me/submissions/{submitted.uuid}" in received.body

    with pytest.raises(Conflict) as caught:
        services.save_submission(actor=learner, submission=submitted, texts={"goal": "Late."})
    assert caught.value.code == "submission.not_draft"


def test_submit_is_refused_naming_the_missing_component() -> None:
    submission = _draft()
    learner = submission.enrolment.learner
    services.save_submission(
        actor=learner, submission=submission, texts={"goal": "Fair.", "reflection.1": "Yes."}
    )
    with pytest.raises(InvalidInput) as caught:
        services.submit_submission(actor=learner, submission=submission)
    error = caught.value
    assert error.code == "submission.incomplete"
    assert error.field == "evidence.artefact"  # the first missing, in the plan's order
    assert "What would you change next time?" in error.message
    assert "An assessment you designed" in error.message
    assert [item["component"] for item in error.data["missing"]] == ["artefact", "reflection"]
    submission.refresh_from_db()
    assert submission.status == "draft" and submission.submitted_at is None
    assert not Review.objects.exists()


def test_unknown_and_too_long_texts_are_refused() -> None:
    submission = _draft()
    learner = submission.enrolment.learner
    with pytest.raises(InvalidInput) as caught:
        services.save_submission(actor=learner, submission=submission, texts={"essay": "x"})
    assert caught.value.field == "texts.essay"
    with pytest.raises(InvalidInput) as caught:
        services.save_submission(actor=learner, submission=submission, texts={"goal": "x" * 50_001})
    assert caught.value.field == "texts.goal"


def test_only_the_learner_changes_their_draft() -> None:
    submission = _draft()
    with pytest.raises(Forbidden):
        services.save_submission(actor=make_learner(), submission=submission, texts={"goal": "x"})
    with pytest.raises(Forbidden):
        services.submit_submission(actor=make_learner(), submission=submission)


def test_optional_components_need_not_be_given() -> None:
    version = make_assessed_version(
        plan={
            "components": [
                {"key": "goal", "kind": "goal", "label": "Goal", "required": True},
                {"key": "portfolio", "kind": "link", "label": "Portfolio", "required": False},
                {"key": "exam", "kind": "result", "label": "Exam", "minimum": 0, "maximum": 10},
            ]
        }
    )
    submission = _draft(version)
    learner = submission.enrolment.learner
    services.save_submission(actor=learner, submission=submission, texts={"goal": "Learn."})
    assert services.submit_submission(actor=learner, submission=submission).status == "assessment"


# -- who sees what ---------------------------------------------------------------------------


def test_learners_see_only_their_own_submissions_and_peers_see_no_names() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    submission = make_submission(make_enrolment(version))
    learner = submission.enrolment.learner
    assert services.access_submission(learner, submission.uuid) == submission
    with pytest.raises(NotFound):
        services.access_submission(make_learner(), submission.uuid)

    peer = make_learner()
    make_review(submission, peer, "peer")
    assert services.access_submission(peer, submission.uuid) == submission
    assert not services.can_see_learner(peer, submission)

    assessor = make_assessor(organisation)
    assert services.access_submission(assessor, submission.uuid) == submission
    assert services.can_see_learner(assessor, submission)
    other = make_assessor(make_organisation())
    with pytest.raises(NotFound):
        services.access_submission(other, submission.uuid)


# -- assignment ------------------------------------------------------------------------------


def test_the_assessor_with_least_open_load_is_picked_ties_by_name() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    busy = make_assessor(organisation, first_name="Ann", last_name="Able")
    bea = make_assessor(organisation, first_name="Bea", last_name="Brown")
    cas = make_assessor(organisation, first_name="Cas", last_name="Clark")
    make_review(make_submission(make_enrolment(version)), busy)
    picked = []
    for _ in range(4):
        submission = make_submission(make_enrolment(version))
        (review,) = services.assign_reviewers(submission)
        picked.append(review.reviewer)
    # Ann has one open review; Bea and Cas none: Bea (by name), Cas, then all at one: Ann...
    assert picked == [bea, cas, busy, bea]


def test_expired_unqualified_and_other_credential_assessors_are_not_picked() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    yesterday = timezone.localdate() - timedelta(days=1)
    make_assessor(organisation, valid_until=yesterday)
    other = make_assessed_version(organisation)
    make_assessor(organisation, other.microcredential)
    add_member(organisation, make_user(), "assessor")  # the role without a qualification
    submission = make_submission(make_enrolment(version))
    assert services.assign_reviewers(submission) == []
    qualified = make_assessor(organisation, version.microcredential)
    (review,) = services.assign_reviewers(submission)
    assert review.reviewer == qualified
    assert services.assign_reviewers(submission) == []  # one assessor at a time


def test_peers_are_other_learners_who_submitted_never_twice_and_fill_in_later() -> None:
    version = make_assessed_version(plan={"peer_reviews": 2})
    first = make_submission(make_enrolment(version))
    assert services.assign_reviewers(first) == []  # nobody else has submitted yet
    second = make_submission(make_enrolment(version))
    reviews = services.assign_reviewers(second)
    learners = {s: s.enrolment.learner for s in (first, second)}
    assert {(r.submission, r.reviewer) for r in reviews} == {
        (second, learners[first]),
        (first, learners[second]),
    }
    third = make_submission(make_enrolment(version))
    services.assign_reviewers(third)
    for submission in (first, second, third):
        peers = list(submission.reviews.filter(role="peer").values_list("reviewer", flat=True))
        assert len(peers) == 2 == len(set(peers))
        assert submission.enrolment.learner_id not in peers
    assert services.assign_reviewers(first) == []
    assert services.assign_reviewers(third) == []


def test_an_owner_assigns_a_qualified_assessor_by_hand(django_capture_on_commit_callbacks) -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    owner = organisation.memberships.get(role="owner").user
    first = make_assessor(organisation, first_name="Ann", last_name="Able")
    chosen = make_assessor(organisation, first_name="Zed", last_name="Zulu")
    submission = make_submission(make_enrolment(version))
    services.assign_reviewers(submission)
    with django_capture_on_commit_callbacks(execute=True):
        review = services.assign_assessor(
            actor=owner, submission=submission, assessor=chosen.username
        )
    assert review.reviewer == chosen and review.assigned_by == owner
    assert submission.reviews.get(reviewer=first).status == "cancelled"
    assert [m.to for m in mail.outbox] == [[chosen.email]]

    unqualified = add_member(organisation, make_user(), "assessor")
    with pytest.raises(InvalidInput) as caught:
        services.assign_assessor(actor=owner, submission=submission, assessor=unqualified)
    assert caught.value.code == "assessment.assessor_not_qualified"
    assert caught.value.field == "assessor"
    with pytest.raises(Forbidden):
        services.assign_assessor(actor=chosen, submission=submission, assessor=first)


def test_second_marker_and_moderator_are_new_qualified_people() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    ann = make_assessor(organisation, first_name="Ann", last_name="Able")
    submission = make_submission(make_enrolment(version))
    services.assign_reviewers(submission)
    assert services.assign_second_marker(submission) is None
    bea = make_assessor(organisation, first_name="Bea", last_name="Brown")
    second = services.assign_second_marker(submission)
    assert (second.reviewer, second.role) == (bea, "second")
    assert services.assign_moderator(submission) is None
    cas = make_assessor(organisation, first_name="Cas", last_name="Clark")
    moderator = services.assign_moderator(submission)
    assert (moderator.reviewer, moderator.role) == (cas, "moderator")
    assert ann not in (second.reviewer, moderator.reviewer)


def test_qualifications_are_recorded_for_assessors_by_owners() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    owner = organisation.memberships.get(role="owner").user
    person = add_member(organisation, make_user(), "assessor")
    qualification = services.qualify_assessor(
        actor=owner,
        organisation=organisation,
        user=person.username,
        microcredential=version.microcredential.slug,
        trained_on="2026-01-01",
        valid_until="2027-12-31",
    )
    assert qualification.microcredential == version.microcredential
    assert services.get_qualifications(organisation) == [qualification]
    with pytest.raises(InvalidInput) as caught:
        services.qualify_assessor(actor=owner, organisation=organisation, user=make_user().username)
    assert caught.value.field == "user" and caught.value.code == "assessment.not_assessor"
    with pytest.raises(InvalidInput) as caught:
        services.qualify_assessor(
            actor=owner, organisation=organisation, user=person.username, valid_until="soon"
        )
    assert caught.value.field == "valid_until"
    with pytest.raises(Forbidden):
        services.qualify_assessor(actor=person, organisation=organisation, user=person.username)
    services.end_qualification(actor=owner, qualification=qualification)
    assert services.get_qualifications(organisation) == []


def test_the_queue_lists_open_reviews_of_the_organisation_soonest_first() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    assessor = make_assessor(organisation)
    now = timezone.now()
    late = make_review(
        make_submission(make_enrolment(version)), assessor, due_at=now + timedelta(9)
    )
    soon = make_review(
        make_submission(make_enrolment(version)), assessor, due_at=now + timedelta(2)
    )
    make_review(make_submission(make_enrolment(version)), assessor, status="completed", due_at=now)
    elsewhere = make_assessed_version()
    make_review(make_submission(make_enrolment(elsewhere)), assessor)
    assert services.get_queue(assessor, organisation) == [soon, late]


# -- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_lists_enrolments_what_is_due_and_decided() -> None:
    learner = make_learner()
    working = make_enrolment(make_assessed_version(title="Working on it"), learner)
    make_submission(working, submitted=False)
    waiting = make_enrolment(make_assessed_version(title="Waiting"), learner)
    make_submission(waiting, outcome="resubmit", decided_at=timezone.now(), status="decided")
    make_submission(waiting)
    entries = {e.enrolment.version.title: e for e in services.get_dashboard(learner)}
    assert entries["Working on it"].due == "Write and submit attempt 1"
    assert entries["Waiting"].due.startswith("Decision due ")
    assert [s.attempt for s in entries["Waiting"].decided] == [1]
    assert services.get_dashboard(make_learner()) == []
