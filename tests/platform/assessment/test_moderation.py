"""Moderation: the sample and every borderline case go to a second marker; a moderator settles
disagreement and that decision stands."""

from __future__ import annotations

import pytest

from microcred.assessment import services
from microcred.assessment.models import (
    AssessmentSettings,
    EnrolmentStatus,
    Review,
    ReviewRole,
    ReviewStatus,
    SubmissionStatus,
)
from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, Forbidden, NotFound
from tests.platform.assessment.factories import make_assessor
from tests.platform.assessment.judging import (
    FAIL,
    ON_THE_MARK,
    PASS,
    assessed,
    scored,
    with_assessor,
)
from tests.platform.factories import add_member, make_organisation, make_user


def _second_marked(chosen=PASS, **policy):
    setting = assessed(**{"share": "1", **policy})
    make_assessor(setting.organisation)
    make_assessor(setting.organisation)
    submission = scored(setting, with_assessor(setting), chosen)
    return setting, submission


def test_the_sample_goes_to_a_second_marker_before_the_decision():
    setting, submission = _second_marked()
    assert submission.status == SubmissionStatus.MODERATION
    assert submission.second_marking
    assert submission.outcome == ""
    second = submission.reviews.get(role=ReviewRole.SECOND)
    assert second.reviewer != setting.assessor
    assert second.status == ReviewStatus.ASSIGNED
    assert AuditEvent.objects.filter(action="submission.second_marking").exists()


def test_agreement_decides_with_the_assessors_outcome():
    setting, submission = _second_marked()
    second = submission.reviews.get(role=ReviewRole.SECOND)
    submission = scored(setting, second, PASS)
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.outcome == "pass"
    assert not submission.reviews.filter(role=ReviewRole.MODERATOR).exists()
    submission.enrolment.refresh_from_db()
    assert submission.enrolment.status == EnrolmentStatus.PASSED
    assert submission.enrolment.award is not None


def test_disagreement_goes_to_a_moderator_whose_decision_stands():
    setting, submission = _second_marked()
    second = submission.reviews.get(role=ReviewRole.SECOND)
    submission = scored(setting, second, FAIL)
    assert submission.status == SubmissionStatus.MODERATION
    assert submission.outcome == ""
    moderator = submission.reviews.get(role=ReviewRole.MODERATOR)
    assert moderator.reviewer not in (setting.assessor, second.reviewer)

    submission = scored(setting, moderator, FAIL)
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.outcome == "resubmit"
    assert submission.enrolment.submissions.filter(attempt=2).exists()
    assert submission.enrolment.award is None

    rows = services.get_moderation(
        actor=setting.assessor, organisation_slug=setting.organisation.slug
    )
    assert [row.submission for row in rows] == [submission]
    assert rows[0].agreed is False
    assert {review.role for review in rows[0].reviews} == {"assessor", "second", "moderator"}


def test_a_moderators_pass_overrides_a_failing_second_marker():
    setting, submission = _second_marked(chosen=PASS)
    scored(setting, submission.reviews.get(role=ReviewRole.SECOND), FAIL)
    moderator = Review.objects.get(submission=submission, role=ReviewRole.MODERATOR)
    submission = scored(setting, moderator, PASS)
    assert submission.outcome == "pass"
    submission.enrolment.refresh_from_db()
    assert submission.enrolment.award is not None


def test_every_borderline_case_is_second_marked_even_outside_the_sample():
    _, submission = _second_marked(chosen=ON_THE_MARK, share="0", margin=1)
    assert submission.status == SubmissionStatus.MODERATION
    assert AuditEvent.objects.get(action="submission.second_marking").data == {
        "sampled": False,
        "borderline": True,
    }


@pytest.mark.parametrize("chosen", [PASS, FAIL])
def test_outside_the_sample_and_the_borderline_nothing_is_second_marked(chosen):
    _, submission = _second_marked(chosen=chosen, share="0", margin=0)
    assert submission.status == SubmissionStatus.DECIDED
    assert not submission.second_marking
    assert not submission.reviews.filter(role=ReviewRole.SECOND).exists()


def test_without_a_second_qualified_assessor_the_decision_is_not_held_up():
    setting = assessed(share="1")
    submission = scored(setting, with_assessor(setting), PASS)
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.outcome == "pass"


def test_the_moderation_page_is_for_the_organisations_assessors():
    setting, _ = _second_marked()
    designer = add_member(setting.organisation, make_user(), "designer")
    with pytest.raises(Forbidden):
        services.get_moderation(actor=designer, organisation_slug=setting.organisation.slug)
    with pytest.raises(NotFound):
        services.get_moderation(
            actor=make_assessor(make_organisation()), organisation_slug=setting.organisation.slug
        )


def test_the_policy_defaults_apply_when_none_is_saved():
    setting = assessed()
    AssessmentSettings.objects.filter(organisation=setting.organisation).delete()
    review = with_assessor(setting)
    submission = scored(setting, review, PASS)
    assert submission.outcome == "pass"


def test_the_second_marker_marks_blind_and_the_moderator_sees_both():
    setting, submission = _second_marked()
    second = submission.reviews.get(role=ReviewRole.SECOND)
    assert services.get_review_page(second).earlier == []
    scored(setting, second, FAIL)
    moderator = submission.reviews.get(role=ReviewRole.MODERATOR)
    page = services.get_review_page(moderator)
    assert [(item.label, item.outcome) for item in page.earlier] == [
        ("Assessor", "Pass"),
        ("Second marker", "Resubmit"),
    ]


def test_disagreement_without_a_free_moderator_waits_until_one_is_found(client):
    setting = assessed(share="1")
    make_assessor(setting.organisation)
    submission = scored(setting, with_assessor(setting), PASS)
    second = submission.reviews.get(role=ReviewRole.SECOND)
    submission = scored(setting, second, FAIL)
    assert submission.status == SubmissionStatus.MODERATION
    assert submission.outcome == ""
    second.refresh_from_db()
    assert second.status == ReviewStatus.COMPLETED
    assert AuditEvent.objects.filter(action="submission.awaits_moderator").exists()
    [row] = services.get_moderation(
        actor=setting.assessor, organisation_slug=setting.organisation.slug
    )
    assert row.needs_moderator

    with pytest.raises(Conflict) as error:
        services.find_moderator(actor=setting.assessor, submission=submission)
    assert error.value.code == "assessment.no_moderator"

    newcomer = make_assessor(setting.organisation)
    client.force_login(setting.assessor)
    slug = setting.organisation.slug
    assert (
        "Find a moderator"
        in client.get(f"/studio/orgs/{slug}/assessment/moderation").content.decode()
    )
    response = client.post(
        f"/studio/orgs/{slug}/assessment/moderation/{submission.uuid}/moderator", follow=True
    )
    assert "will moderate it" in response.content.decode()
    moderator = submission.reviews.get(role=ReviewRole.MODERATOR)
    assert moderator.reviewer == newcomer
    with pytest.raises(Conflict) as error:
        services.find_moderator(actor=setting.assessor, submission=submission)
    assert error.value.code == "assessment.no_moderation_needed"
    assert scored(setting, moderator, PASS).outcome == "pass"
