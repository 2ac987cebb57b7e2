"""Assessment figures on a small known dataset: pass rates, attempts, time to decision,
moderation agreement, per micro-credential and per assessor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from microcred.assessment.figures import (
    get_assessor_figures,
    get_award_enrolments,
    get_microcredential_figures,
    get_pass_rate,
)
from microcred.assessment.models import Outcome, ReviewStatus
from tests.platform.assessment.factories import (
    make_assessed_version,
    make_enrolment,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.awards.factories import issue, make_registrar
from tests.platform.factories import make_organisation, make_user

DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def day(number: float) -> datetime:
    return DAY0 + timedelta(days=number)


def decide(enrolment, assessor, *, outcome: str, submitted: float, decided: float, attempt=1):
    """An attempt submitted on day ``submitted``, decided by ``assessor`` on day ``decided``."""
    submission = make_submission(
        enrolment,
        attempt=attempt,
        evidence=False,
        status="decided",
        submitted_at=day(submitted),
        decided_at=day(decided),
        outcome=outcome,
    )
    make_review(
        submission,
        assessor,
        status=ReviewStatus.COMPLETED,
        outcome=outcome,
        completed_at=day(decided),
    )
    return submission


def second_mark(submission, marker, outcome: str) -> None:
    make_review(
        submission,
        marker,
        role="second",
        status=ReviewStatus.COMPLETED,
        outcome=outcome,
        completed_at=submission.decided_at,
    )


@pytest.fixture
def known():
    """Four decided attempts of three learners, a draft, two assessors, two second markings.

    ========  =======  =========  =========  ========  ================
    learner   attempt  outcome    days       assessor  second marker
    ========  =======  =========  =========  ========  ================
    ada       1        resubmit   0 -> 2     ann
    ada       2        pass       5 -> 6     ann
    bo        1        pass       0 -> 4     ann       pass (agrees)
    cy        1        fail       0 -> 10    ben       pass (disagrees)
    dee       1        (draft, not submitted)
    ========  =======  =========  =========  ========  ================
    """
    organisation = make_organisation()
    version = make_assessed_version(organisation)
    ann = make_user(first_name="Ann", last_name="Assessor")
    ben = make_user(first_name="Ben", last_name="Assessor")
    marker = make_user(first_name="Sam", last_name="Second")
    ada, bo, cy, dee = (make_enrolment(version, make_learner()) for _ in range(4))
    decide(ada, ann, outcome=Outcome.RESUBMIT, submitted=0, decided=2)
    decide(ada, ann, outcome=Outcome.PASS, submitted=5, decided=6, attempt=2)
    second_mark(decide(bo, ann, outcome=Outcome.PASS, submitted=0, decided=4), marker, "pass")
    second_mark(decide(cy, ben, outcome=Outcome.FAIL, submitted=0, decided=10), marker, "pass")
    make_submission(dee, submitted=False, evidence=False)
    # A peer's feedback and a cancelled assignment count for nothing.
    peer = make_review(ada.submissions.first(), make_learner(), role="peer")
    peer.status = ReviewStatus.COMPLETED
    peer.save()
    make_review(cy.submissions.first(), ann, status=ReviewStatus.CANCELLED)
    return organisation, version, ann, ben


def test_figures_per_microcredential(known) -> None:
    organisation, version, _, _ = known
    [row] = get_microcredential_figures(organisation)
    assert (row.microcredential_id, row.title) == (version.microcredential_id, version.title)
    assert (row.organisation, row.organisation_name) == (organisation.slug, organisation.name)
    figures = row.figures
    assert (figures.learners, figures.attempts, figures.decided) == (3, 4, 4)
    assert (figures.passed, figures.failed, figures.resubmit) == (2, 1, 1)
    assert figures.pass_rate == 0.5
    assert figures.attempts_per_learner == pytest.approx(4 / 3)
    assert figures.median_days_to_decision == 3.0  # of 2, 1, 4 and 10 days
    assert (figures.second_marked, figures.agreed, figures.agreement_rate) == (2, 1, 0.5)


def test_figures_per_assessor(known) -> None:
    organisation, _, ann, ben = known
    rows = get_assessor_figures(organisation)
    assert [row.assessor_id for row in rows] == [ann.pk, ben.pk]
    by_name = {row.name: row.figures for row in rows}
    assert list(by_name) == ["Ann Assessor", "Ben Assessor"]
    assert (by_name["Ann Assessor"].decided, by_name["Ann Assessor"].pass_rate) == (3, 2 / 3)
    assert by_name["Ann Assessor"].median_days_to_decision == 2.0  # of 2, 1 and 4 days
    assert by_name["Ann Assessor"].agreement_rate == 1.0
    assert (by_name["Ben Assessor"].decided, by_name["Ben Assessor"].pass_rate) == (1, 0.0)
    assert by_name["Ben Assessor"].agreement_rate == 0.0


def test_pass_rate_of_an_organisation(known) -> None:
    organisation, _, _, _ = known
    assert get_pass_rate(organisation) == 0.5
    assert get_pass_rate(make_organisation()) is None


def test_an_attempt_awaiting_its_decision_counts_as_an_attempt_only(known) -> None:
    organisation, version, _, _ = known
    make_submission(make_enrolment(version), evidence=False, submitted_at=day(1))
    figures = get_microcredential_figures(organisation)[0].figures
    assert (figures.attempts, figures.decided, figures.pass_rate) == (5, 4, 0.5)
    assert get_pass_rate(organisation) == 0.5


def test_each_organisation_sees_its_own_and_the_platform_sees_all(known) -> None:
    organisation, _, ann, _ = known
    other = make_organisation()
    elsewhere = make_assessed_version(other)
    decide(make_enrolment(elsewhere), ann, outcome=Outcome.PASS, submitted=0, decided=1)
    assert [row.organisation for row in get_microcredential_figures(other)] == [other.slug]
    assert len(get_microcredential_figures(organisation)) == 1
    assert {row.organisation for row in get_microcredential_figures()} == {
        organisation.slug,
        other.slug,
    }
    assert get_pass_rate(other) == 1.0
    [ann_there] = get_assessor_figures(other)
    assert (ann_there.name, ann_there.figures.decided) == ("Ann Assessor", 1)


def test_nothing_assessed_gives_no_figures() -> None:
    organisation = make_organisation()
    make_assessed_version(organisation)
    assert get_microcredential_figures(organisation) == []
    assert get_assessor_figures(organisation) == []


def test_award_enrolments_say_when_the_learner_enrolled_and_whether_they_submitted() -> None:
    organisation = make_organisation()
    registrar = make_registrar(organisation)
    version = make_assessed_version(organisation)
    assessed = make_enrolment(version, enrolled_at=day(0))
    make_submission(assessed, evidence=False, submitted_at=day(3))
    assessed.award = issue(registrar, version)
    assessed.save()
    unsubmitted = make_enrolment(version, enrolled_at=day(1))
    unsubmitted.award = issue(registrar, version)
    unsubmitted.save()
    by_hand = issue(registrar, version)
    found = get_award_enrolments(organisation)
    assert set(found) == {assessed.award_id, unsubmitted.award_id}
    assert by_hand.pk not in found
    assert (found[assessed.award_id].enrolled_at, found[assessed.award_id].submitted) == (
        day(0),
        True,
    )
    assert found[unsubmitted.award_id].submitted is False
    assert get_award_enrolments(make_organisation()) == {}
