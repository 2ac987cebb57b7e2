"""Recognition requests: verified on submission, decided by two evaluators, audited."""

from __future__ import annotations

import json

import pytest

from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from microcred.recognition import services
from microcred.recognition.services import RecognitionRequest
from tests.ob3_schema import schema_errors
from tests.platform.awards.verifying import verify_offline
from tests.platform.factories import make_user
from tests.platform.recognition.factories import (
    apply,
    external_credential,
    make_setting,
    tampered,
)

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_credentials_are_verified_on_submission_and_kept_as_given() -> None:
    setting = make_setting()
    good = external_credential(setting.learner)
    request = apply(setting, good, tampered(good))

    first, second = request.credentials.all()
    assert first.verified and bytes(first.data) == good.encode("utf-8")
    assert first.achievement["name"] and first.issuer_id.startswith("did:web:")
    assert not second.verified, "a tampered credential is reported unverified"
    assert any(
        check["id"] == "proof.signature" and check["status"] == "failed"
        for check in second.reports[0]["checks"]
    )
    assert request.status == "submitted"
    [event] = events("recognition.apply")
    assert event.data["credentials"][1]["verified"] is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"statement": " "}, "statement"),
        ({"learning_setting": "formal"}, "learning_setting"),
        ({"evidence": [{"url": "ftp://x"}]}, "evidence[0].url"),
        ({"evidence": [{}]}, "evidence[0]"),
    ],
)
def test_bad_applications_name_the_field(fields: dict, field: str) -> None:
    setting = make_setting()
    with pytest.raises(InvalidInput) as caught:
        apply(setting, external_credential(setting.learner), **fields)
    assert caught.value.field == field


def test_an_unreadable_credential_names_its_place() -> None:
    setting = make_setting()
    with pytest.raises(InvalidInput) as caught:
        apply(setting, external_credential(setting.learner), "not a credential")
    assert caught.value.field == "credentials[1]"


def test_nothing_to_show_is_refused() -> None:
    setting = make_setting()
    with pytest.raises(InvalidInput) as caught:
        apply(setting)
    assert caught.value.field == "credentials"


def test_four_eyes_the_proposer_cannot_confirm() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    request = services.propose_decision(
        actor=setting.first, request=request, decision="refused", reasons="Too little depth."
    )
    with pytest.raises(Forbidden) as caught:
        services.decide_recognition(actor=setting.first, request=request, confirm=True)
    assert caught.value.code == "recognition.four_eyes"
    assert not events("recognition.decide")


def test_full_recognition_issues_an_award_that_verifies_with_learning_setting_and_evidence(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner), learning_setting="informal")
    services.propose_decision(
        actor=setting.first, request=request, decision="full", reasons="Outcomes all covered."
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.decide_recognition(actor=setting.second, request=request, confirm=True)

    award = request.award
    assert request.status == "decided" and award is not None
    assert award.granted_through == "recognition" and award.learning_setting == "informal"
    assert award.learner == setting.learner
    report = verify_offline(award)
    assert report.verified, [check.as_dict() for check in report.failures]
    document = awards.get_credential_document(award)
    assert document["credentialSubject"]["learningSetting"] == "informal"
    [submitted] = request.credentials.all()
    assert any(submitted.name == item.get("name") for item in document["evidence"])
    assert schema_errors(document) == []
    [event] = events("recognition.decide")
    assert event.data["decision"] == "full" and event.data["award"] == str(award.uuid)
    assert events("award.issue")[-1].data["grantedThrough"] == "recognition"
    assert [message.to for message in mailoutbox if "recognition" in message.subject] == [
        [setting.learner.email]
    ]


def test_the_award_page_says_it_was_granted_through_recognition(client) -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    services.propose_decision(actor=setting.first, request=request, decision="full", reasons="Ok.")
    request = services.decide_recognition(actor=setting.second, request=request, confirm=True)
    page = client.get(f"/credentials/{request.award.uuid}", HTTP_ACCEPT="text/html")
    assert "Granted through recognition of prior learning (non-formal learning)" in (
        page.content.decode()
    )


def test_partial_recognition_grants_credits_toward_the_version() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    services.propose_decision(
        actor=setting.first,
        request=request,
        decision="partial",
        reasons="Covers the first outcome only.",
        credit_value="2.5",
        credit_system="ECTS",
    )
    assert services.get_granted_credits(setting.learner, setting.version) == {}
    request = services.decide_recognition(actor=setting.second, request=request, confirm=True)
    assert request.award is None
    assert services.get_granted_credits(setting.learner, setting.version) == {"ECTS": 2.5}
    assert events("recognition.decide")[0].data["credits"] == {"ECTS": "2.50"}


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"credit_value": "0", "credit_system": "ECTS"}, "credit_value"),
        ({"credit_value": "x", "credit_system": "ECTS"}, "credit_value"),
        ({"credit_value": "2", "credit_system": "PARSECS"}, "credit_system"),
    ],
)
def test_partial_recognition_needs_credits(arguments: dict, field: str) -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    with pytest.raises(InvalidInput) as caught:
        services.propose_decision(
            actor=setting.first, request=request, decision="partial", reasons="Some.", **arguments
        )
    assert caught.value.field == field


def test_a_refusal_gives_reasons_and_is_audited() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    with pytest.raises(InvalidInput) as caught:
        services.propose_decision(
            actor=setting.first, request=request, decision="refused", reasons=""
        )
    assert caught.value.field == "reasons"
    services.propose_decision(
        actor=setting.first, request=request, decision="refused", reasons="Outcome 1 not shown."
    )
    request = services.decide_recognition(actor=setting.second, request=request, confirm=True)
    assert (request.decision, request.reasons) == ("refused", "Outcome 1 not shown.")
    assert request.award is None
    assert [event.data["decision"] for event in events("recognition.propose")] == ["refused"]
    assert [event.data["reasons"] for event in events("recognition.decide")] == [
        "Outcome 1 not shown."
    ]


def test_a_returned_proposal_goes_back_to_the_queue_with_a_note() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    services.propose_decision(actor=setting.first, request=request, decision="full", reasons="Ok.")
    with pytest.raises(InvalidInput) as caught:
        services.decide_recognition(actor=setting.second, request=request, confirm=False)
    assert caught.value.field == "note"
    request = services.decide_recognition(
        actor=setting.second, request=request, confirm=False, note="Check outcome 2."
    )
    assert (request.status, request.decision, request.return_note) == (
        "submitted",
        "",
        "Check outcome 2.",
    )
    assert events("recognition.return")[0].data["note"] == "Check outcome 2."
    with pytest.raises(Conflict):
        services.decide_recognition(actor=setting.first, request=request, confirm=True)


def test_only_evaluators_of_the_organisation_decide_and_never_their_own_request() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    with pytest.raises(NotFound):
        services.propose_decision(
            actor=make_user(password=None), request=request, decision="full", reasons="Ok."
        )
    own = apply(
        type(setting)(**{**setting.__dict__, "learner": setting.first}),
        external_credential(setting.first),
    )
    with pytest.raises(Forbidden) as caught:
        services.propose_decision(actor=setting.first, request=own, decision="full", reasons="Ok.")
    assert caught.value.code == "recognition.own_request"


def test_the_comparison_puts_the_version_beside_each_credential() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    comparison = services.get_comparison(request)
    assert comparison["version"]["outcomes"] == [
        "Write a data management plan for a research project."
    ]
    assert comparison["version"]["eqf_level"] == 6
    [credential] = comparison["credentials"]
    assert credential["name"].startswith("Data Stewardship")
    assert credential["criteria"]
    assert credential["levels"] == ["EQF level 6 (European Qualifications Framework)"]


def test_the_learner_and_evaluators_see_a_request_others_do_not() -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    assert services.access_request(setting.learner, request.uuid) == request
    assert services.access_request(setting.first, request.uuid) == request
    with pytest.raises(NotFound):
        services.access_request(make_user(password=None), request.uuid)
    assert json.dumps(services.get_learner_requests(setting.learner)[0].evidence) == "[]"


def test_submitted_credentials_count_against_the_verification_rate(settings) -> None:
    settings.VERIFY_RATE_LIMIT = "2/minute"
    setting = make_setting()
    credential = external_credential(setting.learner)
    apply(setting, credential, credential)
    with pytest.raises(RateLimited):
        apply(setting, credential)
    assert RecognitionRequest.objects.count() == 1
