"""What counts toward a pathway besides the organisation's own awards: credentials from other
issuers the learner added, and awards of other issuers through a transfer value."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from microcred.awards import services as awards
from microcred.errors import InvalidInput
from microcred.organisations.models import Role
from microcred.pathways import services
from microcred.recognition import services as recognition
from microcred.vc import Ed25519Multikey, sign
from microcred.vc import ob3_builders as ob3
from microcred.verification.samples import sample_credential
from tests.platform.awards.factories import issue, make_registrar, make_version
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.pathways.factories import all_of, make_world

EXTERNAL_ACHIEVEMENT = "urn:uuid:4f6f8e53-4d3b-4b36-9c59-7d3a5c1f0a11"


def external_credential(key: Ed25519Multikey) -> str:
    now = datetime.now(UTC)
    credential = sample_credential(issuer=key.public.did_key, valid_from=now - timedelta(days=1))
    return json.dumps(sign(credential, key=key))


def world_with_an_external_component(key: Ed25519Multikey):
    world = make_world(publish=False)
    rules = all_of(*world.versions[:2])
    rules["children"].append(
        {
            "kind": "component",
            "key": "assessment-literacy",
            "name": "Assessment Literacy for Educators",
            "achievement": EXTERNAL_ACHIEVEMENT,
            "issuer": key.public.did_key,
        }
    )
    services.update_pathway(actor=world.designer, pathway=world.pathway, rules=rules)
    services.publish_pathway(actor=world.designer, pathway=world.pathway)
    return world


def test_a_verified_external_credential_completes_the_pathway() -> None:
    key = Ed25519Multikey.generate()
    world = world_with_an_external_component(key)
    learner = world.learner(holds=2)
    added = services.add_external_credential(actor=learner, document=external_credential(key))
    assert added.verified
    progress = services.get_progress(learner, world.pathway)
    assert progress.met
    assert progress.components["assessment-literacy"].done
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "issued"
    evidence = awards.get_credential_document(request.award)["evidence"]
    named = [item for item in evidence if item.get("name") == "Assessment Literacy for Educators"]
    assert named and added.credential_id in named[0]["narrative"]


def test_a_tampered_external_credential_is_kept_unverified_and_counts_for_nothing() -> None:
    key = Ed25519Multikey.generate()
    world = world_with_an_external_component(key)
    learner = world.learner(holds=2)
    document = json.loads(external_credential(key))
    document["name"] = "Assessment Mastery"
    added = services.add_external_credential(actor=learner, document=json.dumps(document))
    assert not added.verified
    assert not services.get_progress(learner, world.pathway).met
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "refused"
    assert "Assessment Mastery" in request.refusal or "Assessment Literacy" in request.refusal


def test_an_external_document_must_be_one_credential() -> None:
    learner = make_user()
    with pytest.raises(InvalidInput) as error:
        services.add_external_credential(actor=learner, document="   ")
    assert error.value.field == "document"


def test_another_issuers_award_counts_through_a_transfer_value() -> None:
    world = make_world()
    institute = make_organisation(name="Institute for Professional Learning")
    equivalent = make_version(institute, title="Applied Statistics")
    evaluator = add_member(world.organisation, make_user(password=None), Role.EVALUATOR)
    statistics = world.versions[1]
    recognition.create_transfer_value(
        actor=evaluator,
        organisation_slug=world.organisation.slug,
        target_version=world.target,
        source_version=equivalent,
        component=statistics.microcredential.slug,
        credits={"ECTS": 5},
    )
    learner = make_user(email="mara@example.org")
    world.award(learner, world.versions[0])
    world.award(learner, world.versions[2])
    issue(make_registrar(institute, password=None), equivalent, learner_email=learner.email)
    progress = services.get_progress(learner, world.pathway)
    assert progress.met
    assert progress.components[statistics.microcredential.slug].by == "Applied Statistics"
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "issued"
    assert "Applied Statistics" in {entry["name"] for entry in request.components}


def external_with_facts(key: Ed25519Multikey, **achievement: object) -> str:
    """A signed external credential whose achievement states credits and/or a level."""
    now = datetime.now(UTC)
    credential = sample_credential(issuer=key.public.did_key, valid_from=now - timedelta(days=1))
    credential["credentialSubject"]["achievement"].update(achievement)
    return json.dumps(sign(credential, key=key))


def eqf(level: int) -> dict[str, object]:
    return ob3.build_alignment(
        target_name=f"EQF level {level}",
        target_url=f"http://data.europa.eu/snb/eqf/{level}",
        target_framework="European Qualifications Framework",
        target_code=str(level),
    )


def credit_world(key: Ed25519Multikey, value: int = 5):
    """A pathway asking for ``value`` ECTS at EQF level 6 from one external achievement."""
    world = make_world(publish=False)
    rules = {
        "kind": "group",
        "key": "pathway",
        "name": "Data Science Foundations",
        "require": {"credits": {"value": value, "system": "ECTS"}},
        "minimumLevel": 6,
        "children": [
            {
                "kind": "component",
                "key": "assessment-literacy",
                "name": "Assessment Literacy for Educators",
                "achievement": EXTERNAL_ACHIEVEMENT,
                "issuer": key.public.did_key,
            }
        ],
    }
    services.update_pathway(actor=world.designer, pathway=world.pathway, rules=rules)
    services.publish_pathway(actor=world.designer, pathway=world.pathway)
    return world


@pytest.mark.parametrize(
    ("achievement", "met", "message"),
    [
        (
            {"creditsAvailable": 5, "alignment": [eqf(6)]},
            True,
            "Done: 5 of 5 ECTS credits.",
        ),
        (
            {
                "creditsAvailable": 2,
                "alignment": [
                    eqf(7),
                    ob3.build_alignment(
                        target_name="60 UK credits",
                        target_url="https://other.example/credits",
                        target_framework="UK credits",
                        target_code="60",
                    ),
                ],
            },
            True,
            "Done: 21.8 of 5 ECTS credits.",
        ),
        (
            {"creditsAvailable": 5, "alignment": [eqf(4)]},
            False,
            "your Assessment Literacy for Educators is at EQF level 4; level 6 or higher",
        ),
        (
            {"creditsAvailable": 5},
            False,
            "your Assessment Literacy for Educators states no EQF level",
        ),
        (
            {"alignment": [eqf(6)]},
            False,
            "0 of 5 ECTS credits: 5 more needed",
        ),
    ],
    ids=["ects-and-level", "credit-alignment", "level-too-low", "no-level", "no-credits"],
)
def test_an_external_credential_brings_the_credits_and_level_it_states(
    achievement: dict[str, object], met: bool, message: str
) -> None:
    key = Ed25519Multikey.generate()
    world = credit_world(key)
    learner = world.learner()
    added = services.add_external_credential(
        actor=learner, document=external_with_facts(key, **achievement)
    )
    assert added.verified
    progress = services.get_progress(learner, world.pathway)
    assert progress.met is met
    messages = " ".join(outcome.message for outcome in progress.progress.root.walk())
    assert message in messages


def test_credits_granted_by_partial_recognition_count_toward_the_pathway() -> None:
    key = Ed25519Multikey.generate()
    world = credit_world(key, value=8)
    first, second = (
        add_member(world.organisation, make_user(password=None), Role.EVALUATOR) for _ in "12"
    )
    learner = world.learner()
    services.add_external_credential(
        actor=learner,
        document=external_with_facts(key, creditsAvailable=5, alignment=[eqf(6)]),
    )
    before = services.get_progress(learner, world.pathway)
    assert not before.met
    assert before.progress.message == ("5 of 8 ECTS credits: 3 more needed.")
    request = recognition.apply_for_recognition(
        actor=learner,
        version=world.target,
        statement="Two years of data journalism.",
        learning_setting="non-formal",
        evidence=[{"url": "https://portfolio.example/ada", "text": "My portfolio"}],
    )
    recognition.propose_decision(
        actor=first,
        request=request,
        decision="partial",
        reasons="The journalism covers part of the outcomes.",
        credit_value="90",
        credit_system="HOURS",
    )
    # A proposal grants nothing until a second evaluator confirms it.
    assert not services.get_progress(learner, world.pathway).met
    recognition.decide_recognition(actor=second, request=request, confirm=True)
    after = services.get_progress(learner, world.pathway)
    assert after.met
    assert after.progress.message == (
        "Done: 8.3 of 8 ECTS credits (3.3 of them granted through recognition of your "
        "prior learning)."
    )
