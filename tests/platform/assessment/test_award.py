"""The award that follows a pass: results, evidence, assessment elements, sign-off, idempotency."""

from __future__ import annotations

import inspect
import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from microcred.assessment import services
from microcred.assessment.models import Enrolment, EnrolmentStatus, SubmissionStatus
from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.awards.models import Award
from microcred.catalogue import services as catalogue
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.platform.assessment.factories import make_evidence
from tests.platform.assessment.judging import assessed, scored, with_assessor
from tests.platform.awards.factories import make_registrar
from tests.platform.awards.verifying import verify_offline
from tests.platform.factories import make_organisation


def test_the_award_carries_rubric_results_public_evidence_and_how_it_was_assessed():
    setting = assessed()
    review = with_assessor(setting, evidence=False)
    submission = review.submission
    public_file = make_evidence(submission, public=True, description="My rubric design.")
    public_link = make_evidence(submission, url="https://example.org/portfolio", public=True)
    make_evidence(submission, filename="private.pdf", description="Private notes.")
    enrolment = submission.enrolment
    enrolment.identity_verification = "document"
    enrolment.save()

    award = scored(setting, review).enrolment.award

    assert verify_offline(award).verified
    assert awards.verify_award(award).verified
    credential = json.loads(award.signed_credential)
    subject = credential["credentialSubject"]
    achievement = catalogue.get_achievement(setting.version)
    descriptions = {item["id"]: item for item in achievement["resultDescription"]}
    design, feedback, total = (
        subject["result"][0],
        subject["result"][1],
        subject["result"][2],
    )
    assert descriptions[design["resultDescription"]]["name"] == "Assessment design"
    levels = descriptions[design["resultDescription"]]["rubricCriterionLevel"]
    assert next(lv for lv in levels if lv["id"] == design["achievedLevel"])["name"] == "Exemplary"
    assert descriptions[feedback["resultDescription"]]["name"] == "Feedback"
    assert descriptions[total["resultDescription"]]["resultType"] == "RubricScore"
    assert total["value"] == "5"
    assert subject["achievement"]["resultDescription"] == achievement["resultDescription"]

    # The QA report of the version is evidence too; the learner's come first, in order.
    evidence = [item for item in credential["evidence"] if "/qa/" not in item["id"]]
    assert [item["id"] for item in evidence] == [
        f"https://microcred.test/evidence/{public_file.uuid}",
        "https://example.org/portfolio",
    ]
    assert evidence[0]["description"] == "My rubric design."
    assert "private" not in json.dumps(credential["evidence"]).lower()
    assert public_link.url in award.signed_credential

    narrative = subject["narrative"]
    assert setting.version.assessment_type in narrative
    assert "Supervision: supervised" in narrative
    assert "Identity verification: document check" in narrative
    assert award.learner == enrolment.learner
    assert award.learner_email == enrolment.learner.email


def test_issuing_again_returns_the_same_award():
    setting = assessed()
    submission = scored(setting, with_assessor(setting))
    award = submission.enrolment.award
    assert services.issue_awaiting_award(submission) is None
    # The award exists but the enrolment lost its link: issuing again finds it by its key.
    Enrolment.objects.filter(pk=submission.enrolment_id).update(award=None)
    assert services.issue_awaiting_award(submission) == award
    assert Award.objects.count() == 1
    assert award.idempotency_key == (
        f"assessment:{submission.enrolment.learner.pk}:"
        f"{setting.version.achievement_uuid}:{submission.attempt}"
    )


def test_the_pass_is_the_authority_for_its_award():
    """The assessor's pass issues the award, by the assessor, naming the decision; the
    assessor cannot issue anything else, and no caller can widen who may issue."""
    setting = assessed()
    submission = scored(setting, with_assessor(setting))
    award = submission.enrolment.award
    assert award.issued_by == setting.assessor
    event = AuditEvent.objects.get(action="award.issue")
    assert event.actor == setting.assessor
    assert event.data["decision"] == str(submission.uuid)

    with pytest.raises(Forbidden):
        awards.issue_award(
            actor=setting.assessor, version=setting.version, learner_email="eve@example.org"
        )
    assert "roles" not in inspect.signature(awards.issue_award).parameters
    assert Award.objects.count() == 1


def test_a_signing_failure_keeps_the_decision_and_the_award_is_issued_on_retry(settings, caplog):
    """Signing runs after the decision commits: when it fails (here the key that decrypts
    the organisation's signing key changed) the pass stays recorded, the award awaits, and
    ``issue_awaiting_awards`` issues it once signing works again."""
    setting = assessed()
    review = with_assessor(setting)
    working_keys = settings.KEY_ENCRYPTION_KEYS
    settings.KEY_ENCRYPTION_KEYS = Fernet.generate_key().decode()

    submission = scored(setting, review)

    assert (submission.status, submission.outcome) == (SubmissionStatus.DECIDED, "pass")
    assert submission.enrolment.status == EnrolmentStatus.PASSED
    assert submission.enrolment.award is None
    assert not Award.objects.exists()
    assert AuditEvent.objects.filter(action="submission.decide", target_id=submission.uuid)
    assert "microcred manage issue_awaiting_awards" in caplog.text
    assert list(services.get_awaiting_awards(setting.organisation)) == [submission]

    with pytest.raises(CommandError) as still_failing:
        call_command("issue_awaiting_awards", stdout=StringIO())
    assert still_failing.value.returncode == 1
    assert "1 award(s) still not issued: A signing key cannot be decrypted" in str(
        still_failing.value
    )

    settings.KEY_ENCRYPTION_KEYS = working_keys
    out = StringIO()
    call_command("issue_awaiting_awards", "--organisation", setting.organisation.slug, stdout=out)
    assert out.getvalue() == "1 award(s) issued.\n"
    enrolment = Enrolment.objects.select_related("award").get(pk=submission.enrolment_id)
    assert enrolment.award.issued_by == setting.assessor
    assert awards.verify_award(enrolment.award).verified
    assert not services.get_awaiting_awards()
    call_command("issue_awaiting_awards", stdout=out)
    assert Award.objects.count() == 1


def test_a_pass_waits_for_the_registrars_sign_off(django_capture_on_commit_callbacks):
    setting = assessed(signoff=True)
    registrar = make_registrar(setting.organisation)
    submission = scored(setting, with_assessor(setting))
    assert submission.status == SubmissionStatus.SIGNOFF
    assert submission.outcome == "pass"
    assert submission.enrolment.award is None
    assert not Award.objects.exists()
    assert list(
        services.get_signoff_list(actor=registrar, organisation_slug=setting.organisation.slug)
    ) == [submission]

    with pytest.raises(Forbidden):
        services.sign_off(actor=setting.assessor, submission=submission)
    with pytest.raises(NotFound):
        services.sign_off(actor=make_registrar(make_organisation()), submission=submission)
    assert not Award.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off(actor=registrar, submission=submission)
    submission.refresh_from_db()
    enrolment = submission.enrolment
    enrolment.refresh_from_db()
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.signed_off_by == registrar
    assert enrolment.status == EnrolmentStatus.PASSED
    assert enrolment.award.issued_by == registrar
    assert awards.verify_award(enrolment.award).verified

    with pytest.raises(Conflict) as error:
        services.sign_off(actor=registrar, submission=submission)
    assert error.value.code == "submission.not_awaiting_signoff"
    assert Award.objects.count() == 1
    assert not list(
        services.get_signoff_list(actor=registrar, organisation_slug=setting.organisation.slug)
    )


def test_a_resubmit_or_fail_never_waits_for_sign_off():
    setting = assessed(signoff=True)
    submission = scored(
        setting,
        with_assessor(setting),
        chosen={"Assessment design": "Beginning", "Feedback": "Beginning"},
    )
    assert submission.status == SubmissionStatus.DECIDED
    assert submission.outcome == "resubmit"
    with pytest.raises(Conflict):
        services.sign_off(actor=make_registrar(setting.organisation), submission=submission)


@pytest.mark.parametrize(
    ("results", "field"),
    [("pass", "results"), ([{"value": "3"}], "results[0]"), (["x"], "results[0]")],
)
def test_the_awards_service_refuses_results_without_a_description(results, field):
    setting = assessed()
    registrar = make_registrar(setting.organisation)
    with pytest.raises(InvalidInput) as error:
        awards.issue_award(
            actor=registrar,
            version=setting.version,
            learner_email="ada@example.org",
            results=results,
        )
    assert error.value.field == field
    assert not Award.objects.exists()
