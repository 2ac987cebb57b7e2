"""The pathways API: public reads, designers' writes, the learner's progress and request, the
pathway's learner record, and errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path

from microcred.awards.models import LearnerRecord
from microcred.catalogue import services as catalogue
from tests.platform.api import Api
from tests.platform.awards.test_clr import verify_with_cli
from tests.platform.pathways.factories import all_of, make_world


def test_published_pathways_are_public(client) -> None:
    world = make_world()
    listing = client.get("/api/v1/pathways").json()
    assert [item["slug"] for item in listing] == [world.pathway.slug]
    item = client.get(f"/api/v1/pathways/{world.organisation.slug}/{world.pathway.slug}").json()
    assert item["target"] == catalogue.achievement_id(world.target)
    assert item["rules"]["children"][0]["name"] == "Python for Data"


def test_a_designer_creates_changes_and_publishes_a_pathway(client) -> None:
    world = make_world()
    api = Api(client, world.designer)
    org = world.organisation.slug
    body = {
        "name": "Data Basics",
        "target": str(world.target.achievement_uuid),
        "rules": all_of(*world.versions[:2]),
    }
    created = api("POST", f"/orgs/{org}/pathways", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft"
    changed = api("PATCH", f"/orgs/{org}/pathways/data-basics", {"description": "Two of three."})
    assert changed.json()["description"] == "Two of three."
    published = api("POST", f"/orgs/{org}/pathways/data-basics/publish")
    assert published.json()["status"] == "published"


def test_errors_name_the_field(client) -> None:
    world = make_world()
    api = Api(client, world.designer)
    org = world.organisation.slug
    rules = all_of(*world.versions)
    rules["children"][1]["kind"] = "badge"
    bad_rules = api(
        "POST",
        f"/orgs/{org}/pathways",
        {"name": "X", "target": str(world.target.achievement_uuid), "rules": rules},
    )
    assert bad_rules.status_code == 422
    assert bad_rules.json()["field"] == "rules.children[1].kind"
    unknown_target = api(
        "POST",
        f"/orgs/{org}/pathways",
        {"name": "X", "target": "not-a-uuid", "rules": all_of(*world.versions)},
    )
    assert unknown_target.status_code == 422 and unknown_target.json()["field"] == "target"
    missing = api("POST", f"/orgs/{org}/pathways", {"name": "X"})
    assert missing.status_code == 422 and missing.json()["field"] in ("target", "rules")
    unknown = api("PATCH", f"/orgs/{org}/pathways/{world.pathway.slug}", {"colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "colour"
    again = api("POST", f"/orgs/{org}/pathways/{world.pathway.slug}/publish")
    assert again.status_code == 409


def test_a_learner_follows_progress_and_requests_the_credential(client) -> None:
    world = make_world()
    learner = world.learner(holds=2)
    api = Api(client, learner)
    path = f"/pathways/{world.organisation.slug}/{world.pathway.slug}"
    progress = api("GET", f"{path}/progress").json()
    assert (progress["met"], progress["percent"]) == (False, 67)
    assert [c["done"] for c in progress["components"]] == [True, True, False]
    refused = api("POST", f"{path}/request").json()
    assert refused["status"] == "refused" and "Data Visualisation" in refused["refusal"]
    world.award(learner, world.versions[2])
    issued = api("POST", f"{path}/request").json()
    assert issued["status"] == "issued" and issued["award"].startswith("https://")
    assert len(issued["components"]) == 3 and all(c["verified"] for c in issued["components"])


def test_a_registrar_requests_for_a_learner_and_issues_a_learner_record(
    client, tmp_path: Path
) -> None:
    world = make_world()
    learner = world.learner(holds=3)
    api = Api(client, world.registrar)
    path = f"/pathways/{world.organisation.slug}/{world.pathway.slug}"
    none_yet = api("POST", f"{path}/clr", {"learner": learner.username})
    assert none_yet.status_code == 422 and none_yet.json()["field"] == "learner"
    nobody = api("POST", f"{path}/request", {"learner": "nobody-at-all"})
    assert nobody.status_code == 422 and nobody.json()["field"] == "learner"
    assert api("POST", f"{path}/request", {"learner": learner.username}).json()["status"] == (
        "issued"
    )
    response = api("POST", f"{path}/clr", {"learner": learner.username})
    assert response.status_code == 201, response.content
    assert response.json()["awards"] == 4
    record = LearnerRecord.objects.get()
    subject = json.loads(record.signed_credential)["credentialSubject"]
    target = catalogue.achievement_id(world.target)
    kinds = {(a["associationType"], a["targetId"] == target) for a in subject["association"]}
    assert kinds == {("isChildOf", True), ("isParentOf", False)}
    exit_code, output = verify_with_cli(record, tmp_path)
    assert exit_code == 0, output
