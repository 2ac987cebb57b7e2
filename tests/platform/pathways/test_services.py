"""Pathway services: defining and publishing, progress, and the stacked credential."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.errors import Conflict, Forbidden, InvalidInput
from microcred.pathways import services
from microcred.pathways.models import StackedCredentialRequest
from tests.platform.awards.factories import make_version
from tests.platform.factories import make_user
from tests.platform.pathways.factories import all_of, component, make_world


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_creating_and_publishing_a_pathway_is_audited() -> None:
    world = make_world()
    assert world.pathway.status == "published"
    assert {"pathway.create", "pathway.publish"} <= set(actions())
    assert services.get_pathway(world.organisation.slug, world.pathway.slug) == world.pathway


def test_rules_errors_name_the_field() -> None:
    world = make_world(publish=False)
    rules = all_of(*world.versions)
    rules["require"] = {"atLeast": 7}
    with pytest.raises(InvalidInput) as error:
        services.update_pathway(actor=world.designer, pathway=world.pathway, rules=rules)
    assert error.value.field == "rules.require.atLeast"


def test_rules_must_be_json() -> None:
    world = make_world(publish=False)
    with pytest.raises(InvalidInput) as error:
        services.update_pathway(actor=world.designer, pathway=world.pathway, rules="{nope")
    assert error.value.field == "rules"


def test_the_target_must_be_a_published_version_of_the_organisation() -> None:
    world = make_world(publish=False)
    draft = make_version(world.organisation, status="draft")
    with pytest.raises(InvalidInput) as error:
        services.update_pathway(actor=world.designer, pathway=world.pathway, target=draft)
    assert error.value.field == "target"
    elsewhere = make_version(make_world(publish=False).organisation)
    with pytest.raises(InvalidInput) as error:
        services.update_pathway(actor=world.designer, pathway=world.pathway, target=elsewhere)
    assert error.value.field == "target"


def test_publishing_needs_every_platform_component_published() -> None:
    world = make_world(publish=False)
    draft = make_version(world.organisation, status="draft")
    rules = all_of(*world.versions)
    rules["children"].append(component(draft))
    services.update_pathway(actor=world.designer, pathway=world.pathway, rules=rules)
    with pytest.raises(InvalidInput) as error:
        services.publish_pathway(actor=world.designer, pathway=world.pathway)
    assert error.value.field == "rules.children[3].achievement"
    assert world.pathway.status == "draft"


def test_publishing_twice_is_a_conflict() -> None:
    world = make_world()
    with pytest.raises(Conflict):
        services.publish_pathway(actor=world.designer, pathway=world.pathway)


def test_only_designers_define_pathways() -> None:
    world = make_world(publish=False)
    with pytest.raises(Forbidden):
        services.publish_pathway(actor=world.registrar, pathway=world.pathway)


def test_slug_taken_names_the_field() -> None:
    world = make_world()
    with pytest.raises(InvalidInput) as error:
        services.create_pathway(
            actor=world.designer,
            organisation=world.organisation,
            name="Data Science Foundations",
            target=world.target,
            rules=all_of(*world.versions),
        )
    assert error.value.field == "slug"


def test_progress_counts_valid_awards_only() -> None:
    world = make_world()
    learner = world.learner(holds=2)
    progress = services.get_progress(learner, world.pathway)
    assert not progress.met
    assert progress.done == 2
    assert [state.done for state in progress.components.values()] == [True, True, False]
    assert "Data Visualisation" in progress.progress.message
    [first, *_] = awards.get_learner_awards(learner)
    awards.revoke_award(actor=world.registrar, award=first, reason="Copied work.")
    assert services.get_progress(learner, world.pathway).done == 1


def test_request_issues_the_target_once_with_evidence_naming_the_components() -> None:
    world = make_world()
    learner = world.learner(holds=3)
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "issued"
    award = request.award
    assert award.version == world.target
    document = awards.get_credential_document(award)
    # The platform adds the quality assurance report as evidence of its own.
    evidence = [item for item in document["evidence"] if "/qa/" not in item["id"]]
    assert {item["id"] for item in evidence} == {
        awards.credential_url(held)
        for held in awards.get_learner_awards(learner)
        if held.version != world.target
    }
    assert {item["name"] for item in evidence} == {v.title for v in world.versions}
    assert awards.verify_award(award).verified
    again = services.request_stacked_credential(
        actor=world.registrar, pathway=world.pathway, learner=learner
    )
    assert again.pk == request.pk and again.award_id == award.pk
    assert StackedCredentialRequest.objects.count() == 1
    assert {"pathway.request", "pathway.issue", "award.issue"} <= set(actions())


def test_a_registrar_requests_for_a_learner_but_nobody_else_does() -> None:
    world = make_world()
    learner = world.learner(holds=3)
    with pytest.raises(Forbidden):
        services.request_stacked_credential(
            actor=world.designer, pathway=world.pathway, learner=learner
        )
    stranger = make_user()
    with pytest.raises(Exception) as error:
        services.request_stacked_credential(actor=stranger, pathway=world.pathway, learner=learner)
    assert error.value.code == "not_found"
    request = services.request_stacked_credential(
        actor=world.registrar, pathway=world.pathway, learner=learner
    )
    assert request.status == "issued"


def test_a_learner_who_has_not_completed_it_is_told_what_is_missing() -> None:
    world = make_world()
    learner = world.learner(holds=2)
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "refused"
    assert "Data Visualisation" in request.refusal
    assert request.award is None


@pytest.mark.parametrize("change", ["revoke", "suspend"])
def test_request_refused_naming_a_revoked_or_suspended_component(change: str) -> None:
    world = make_world()
    learner = world.learner(holds=3)
    statistics = next(
        a for a in awards.get_learner_awards(learner) if a.version == world.versions[1]
    )
    action = awards.revoke_award if change == "revoke" else awards.suspend_award
    action(actor=world.registrar, award=statistics, reason="Under investigation.")
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "refused"
    assert "Statistics" in request.refusal
    assert request.award is None
    [failed] = [entry for entry in request.components if not entry["verified"]]
    assert failed["name"] == "Statistics"
    assert "pathway.refuse" in actions()


def test_request_refused_naming_an_expired_component() -> None:
    world = make_world()
    short = make_version(world.organisation, title="Ethics in Data", validity_months=1)
    rules = all_of(*world.versions)
    rules["children"].append(component(short))
    services.update_pathway(actor=world.designer, pathway=world.pathway, rules=rules)
    learner = world.learner(holds=3)
    world.award(learner, short)
    later = timezone.now() + timedelta(days=62)
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner, now=later
    )
    assert request.status == "refused"
    assert "Ethics in Data" in request.refusal


def test_request_refused_naming_a_tampered_component() -> None:
    world = make_world()
    learner = world.learner(holds=3)
    python = next(a for a in awards.get_learner_awards(learner) if a.version == world.versions[0])
    document = json.loads(python.signed_credential)
    document["credentialSubject"]["achievement"]["name"] = "Advanced Python for Data"
    python.signed_credential = json.dumps(document)
    python.save(update_fields=["signed_credential"])
    request = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert request.status == "refused"
    assert "Python for Data" in request.refusal


def test_a_draft_pathway_cannot_be_requested() -> None:
    world = make_world(publish=False)
    learner = world.learner(holds=3)
    with pytest.raises(InvalidInput):
        services.request_stacked_credential(actor=learner, pathway=world.pathway, learner=learner)


def test_pathways_with_a_version() -> None:
    world = make_world()
    assert services.get_pathways_with(world.versions[0]) == [world.pathway]
    assert services.get_pathways_with(world.target) == [world.pathway]
    assert services.get_pathways_with(make_version(world.organisation)) == []
