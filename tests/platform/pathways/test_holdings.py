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
