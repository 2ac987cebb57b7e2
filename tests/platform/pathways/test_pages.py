"""Pathway pages: the public list and diagram, the learner's progress and request, the studio."""

from __future__ import annotations

import json

from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.frameworks.ctdl import vocabulary_problems
from microcred.pathways import services
from microcred.pathways.models import Pathway
from tests import conformance
from tests.platform.pathways.factories import all_of, component, make_world


def text(response) -> str:
    return response.content.decode()


def test_the_public_list_and_diagram_need_no_account(client) -> None:
    world = make_world()
    listing = client.get("/pathways/")
    assert listing.status_code == 200
    assert "Data Science Foundations" in text(listing)
    page = client.get(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/")
    assert page.status_code == 200
    body = text(page)
    for version in world.versions:
        assert version.title in body
    assert "all of these" in body
    assert "Your progress" not in body


def test_a_signed_in_learner_sees_done_and_missing_and_no_button_yet(client) -> None:
    world = make_world()
    learner = world.learner(holds=2)
    client.force_login(learner)
    body = text(client.get(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/"))
    assert body.count('class="pathway-component done"') == 2
    assert body.count('class="pathway-component missing"') == 1
    assert 'value="67"' in body
    assert "Request the stacked credential" not in body


def test_a_learner_who_completed_it_requests_and_receives_the_credential(client) -> None:
    world = make_world()
    learner = world.learner(holds=3)
    client.force_login(learner)
    url = f"/pathways/{world.organisation.slug}/{world.pathway.slug}/"
    assert "Request the stacked credential" in text(client.get(url))
    response = client.post(url + "request", follow=True)
    assert "Your stacked credential was issued." in text(response)
    [request] = services.get_learner_requests(learner, world.pathway)
    assert f"/credentials/{request.award.uuid}" in text(response)


def test_the_ctdl_export_passes_the_vocabulary_check(client) -> None:
    world = make_world(publish=False)
    rules = all_of(*world.versions[:2])
    rules["children"].append(
        {
            "kind": "group",
            "key": "electives",
            "name": "Electives",
            "require": {"credits": {"value": 5, "system": "ECTS"}},
            "minimumLevel": 6,
            "within": {"months": 36},
            "children": [component(world.versions[2])],
            "alternatives": [
                {
                    "kind": "component",
                    "key": "external-exam",
                    "name": "Data Literacy Exam",
                    "achievement": "https://example.org/achievements/exam",
                    "issuer": "did:web:example.org",
                    "credits": {"ECTS": 5},
                }
            ],
        }
    )
    services.update_pathway(actor=world.designer, pathway=world.pathway, rules=rules)
    services.publish_pathway(actor=world.designer, pathway=world.pathway)
    response = client.get(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/ctdl.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = response.json()
    assert vocabulary_problems(document, conformance.load_json("ctdl", "ctdl", "schema.json")) == []
    types = [resource["@type"] for resource in document["@graph"]]
    assert types[0] == "ceterms:Pathway"
    assert types.count("ceterms:CredentialComponent") == 1 + 4


def test_a_draft_pathway_has_no_public_page(client) -> None:
    world = make_world(publish=False)
    assert (
        client.get(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/").status_code == 404
    )


def test_the_catalogue_and_organisation_pages_link_the_pathway(client) -> None:
    world = make_world()
    version = world.versions[0]
    page = client.get(f"/catalogue/{world.organisation.slug}/{version.microcredential.slug}/")
    assert f"/pathways/{world.organisation.slug}/{world.pathway.slug}/" in text(page)
    assert "counts toward it" in text(page)
    profile = client.get(f"/orgs/{world.organisation.slug}/")
    assert f"/pathways/?organisation={world.organisation.slug}" in text(profile)


def test_a_designer_creates_a_pathway_with_the_form(client) -> None:
    world = make_world()
    client.force_login(world.designer)
    base = f"/studio/orgs/{world.organisation.slug}/pathways/"
    assert client.get(base).status_code == 200
    response = client.post(
        base,
        {
            "name": "Visual Analytics",
            "target": world.target.pk,
            "requirement": "atLeast",
            "at_least": 2,
            "components": [version.pk for version in world.versions],
            "external": "https://example.org/achievements/7 | did:web:example.org | Course | "
            "Dashboards",
        },
    )
    assert response.status_code == 302
    pathway = Pathway.objects.get(slug="visual-analytics")
    assert pathway.rules["require"] == {"atLeast": 2}
    assert [child["name"] for child in pathway.rules["children"]][-1] == "Dashboards"
    assert pathway.rules["children"][0]["achievement"] == catalogue.achievement_id(
        world.versions[0]
    )
    publish = client.post(f"{base}visual-analytics/publish", follow=True)
    assert "is published" in text(publish)


def test_the_form_names_the_field_of_a_bad_rule(client) -> None:
    world = make_world()
    client.force_login(world.designer)
    rules = dict(world.pathway.rules, require={"atLeast": 9})
    response = client.post(
        f"/studio/orgs/{world.organisation.slug}/pathways/",
        {
            "name": "Broken",
            "target": world.target.pk,
            "requirement": "all",
            "rules": json.dumps(rules),
        },
    )
    assert response.status_code == 400
    assert "atLeast" in text(response)


def test_the_form_needs_components(client) -> None:
    world = make_world()
    client.force_login(world.designer)
    response = client.post(
        f"/studio/orgs/{world.organisation.slug}/pathways/",
        {"name": "Empty", "target": world.target.pk, "requirement": "all"},
    )
    assert response.status_code == 400
    assert "Choose at least one component" in text(response)


def test_the_registrar_sees_progress_and_requests_for_a_learner(client) -> None:
    world = make_world()
    done = world.learner(holds=3)
    halfway = world.learner(holds=1)
    client.force_login(world.registrar)
    url = f"/studio/orgs/{world.organisation.slug}/pathways/learners/"
    body = text(client.get(url))
    assert done.username in body and halfway.username in body
    assert body.count("Request the stacked credential") == 1
    response = client.post(
        f"/studio/orgs/{world.organisation.slug}/pathways/{world.pathway.slug}/learners/"
        f"{done.username}/request",
        follow=True,
    )
    assert "was issued" in text(response)
    [request] = services.get_learner_requests(done, world.pathway)
    assert awards.verify_award(request.award).verified
    assert "Issue a learner record (CLR)" in text(response)
    record = client.post(
        f"/studio/orgs/{world.organisation.slug}/pathways/{world.pathway.slug}/learners/"
        f"{done.username}/clr",
        follow=True,
    )
    assert "Learner record issued: https://" in text(record)
