"""The catalogue's REST API: search, design, publish, versions, achievements, skills."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion
from tests.platform.api import Api
from tests.platform.catalogue.factories import (
    ESCO_ASSESS_STUDENTS,
    complete_fields,
    make_designer,
    make_draft,
    make_published,
)
from tests.platform.catalogue.test_services import designer_of, snapshot
from tests.platform.factories import make_organisation
from tests.platform.quality.factories import approve


def base(version: MicroCredentialVersion) -> str:
    organisation = version.microcredential.organisation.slug
    return f"/orgs/{organisation}/microcredentials/{version.microcredential.slug}"


def api_for(client: Client, version: MicroCredentialVersion) -> Api:
    return Api(client, designer_of(version))


def test_creating_and_reading_a_micro_credential(client: Client) -> None:
    organisation = make_organisation()
    call = Api(client, make_designer(organisation))
    fields = complete_fields(workload_hours=55)
    fields["outcomes"][1] = {"text": fields["outcomes"][1]}
    body = {"title": "Classroom assessment", **fields}
    response = call("POST", f"/orgs/{organisation.slug}/microcredentials", body)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["number"], created["status"]) == (1, "draft")
    assert created["outcomes"][0]["skills"][0] == {
        "uri": ESCO_ASSESS_STUDENTS,
        "label": "assess students",
        "framework": "ESCO",
    }
    assert created["missing"] == [] and created["page_url"] is None
    assert created["rubric"]["criteria"][0]["minimum_level"] == "Proficient"
    assert [credit["system"] for credit in created["credits"]] == ["ECTS", "HOURS"]
    listing = call("GET", f"/orgs/{organisation.slug}/microcredentials").json()
    assert [(item["slug"], len(item["versions"])) for item in listing] == [
        ("classroom-assessment", 1)
    ]
    one = call("GET", f"/orgs/{organisation.slug}/microcredentials/classroom-assessment")
    assert one.json()["title"] == "Classroom assessment"


def test_patch_publish_and_new_version(client: Client) -> None:
    draft = make_draft(credits={"ECTS": 9})
    call = api_for(client, draft)
    version_path = f"{base(draft)}/versions/1"
    got = call("GET", version_path).json()
    assert got["credit_findings"][0]["field"] == "credits.ECTS"
    patched = call("PATCH", version_path, {"title": "Renamed", "credits": {"ECTS": 2}})
    assert patched.status_code == 200
    assert patched.json()["title"] == "Renamed" and patched.json()["credit_findings"] == []
    approve(draft)
    published = call("POST", f"{version_path}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["page_url"].endswith("/v1/")
    refused = call("PATCH", version_path, {"title": "Again"})
    assert refused.status_code == 409 and refused.json()["code"] == "version.frozen"
    assert call("POST", f"{version_path}/publish").status_code == 409
    new = call("POST", f"{base(draft)}/versions")
    assert new.status_code == 201 and new.json()["number"] == 2
    assert new.json()["title"] == "Renamed"
    assert call("POST", f"{base(draft)}/versions").status_code == 409
    withdrawn = call("POST", f"{version_path}/withdraw", {"reason": "Replaced."})
    assert withdrawn.json()["status"] == "withdrawn"


def test_publishing_an_incomplete_draft_lists_what_is_missing(client: Client) -> None:
    draft = make_draft(complete=False)
    response = api_for(client, draft)("POST", f"{base(draft)}/versions/1/publish")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "version.incomplete" and body["field"] == "outcomes"
    assert [item["field"] for item in body["data"]["missing"]] == [
        "outcomes",
        "workload_hours",
        "assessment_type",
        "participation_form",
        "quality_assurance",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"outcomes": [{"text": "a"}, {"text": "b", "skills": [{"uri": "https://x.test/1"}]}]},
            "outcomes[1].skills[0].uri",
        ),
        ({"languages": ["en", "!!"]}, "languages[1]"),
        (
            {
                "rubric": {
                    "pass_rule": "all",
                    "criteria": [{"name": "a", "levels": [], "minimum_level": None}],
                }
            },
            "rubric.criteria[0].levels",
        ),
        ({"eqf_level": 10}, "eqf_level"),
        ({"credits": {"KUDOS": 1}}, "credits.KUDOS"),
        ({"title": ""}, "title"),
    ],
)
def test_service_errors_name_the_field_path(client: Client, body: dict, field: str) -> None:
    draft = make_draft()
    before = snapshot(draft)
    response = api_for(client, draft)("PATCH", f"{base(draft)}/versions/1", body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "blue"}, "colour"),
        ({"outcomes": [{"skills": []}]}, "outcomes.0.text"),
        ({"credits": {"ECTS": "lots"}}, "credits.ECTS"),
        ({"supervised": "perhaps"}, "supervised"),
        ({"participation_form": "by post"}, "participation_form"),
        (
            {
                "rubric": {
                    "pass_rule": "x",
                    "criteria": [{"name": "a", "levels": [{"name": "b", "points": -1}]}],
                }
            },
            "rubric.criteria.0.levels.0.points",
        ),
    ],
)
def test_schema_errors_name_the_field_path(client: Client, body: dict, field: str) -> None:
    draft = make_draft()
    response = api_for(client, draft)("PATCH", f"{base(draft)}/versions/1", body)
    assert response.status_code == 422
    assert response.json()["field"].endswith(field)


def test_creating_with_a_taken_slug_is_a_conflict(client: Client) -> None:
    draft = make_draft(slug="taken")
    organisation = draft.microcredential.organisation
    response = api_for(client, draft)(
        "POST", f"/orgs/{organisation.slug}/microcredentials", {"title": "x", "slug": "taken"}
    )
    assert response.status_code == 409 and response.json()["field"] == "slug"
    assert AuditEvent.objects.filter(action="microcredential.create").count() == 1


def test_unknown_things_are_404(client: Client) -> None:
    draft = make_draft()
    call = api_for(client, draft)
    assert call("GET", f"{base(draft)}/versions/5").status_code == 404
    assert call("GET", f"{base(draft)}x").status_code == 404
    assert call("GET", "/achievements/00000000-0000-0000-0000-000000000000").status_code == 404
    assert call("GET", "/achievements/not-a-uuid").status_code == 422


def test_the_public_catalogue_and_achievements(client: Client) -> None:
    version = make_published()
    make_published(title="Python for analysts", eqf_level=5, description="Programming.")
    make_draft(title="Secret draft")
    page = client.get("/api/v1/catalogue").json()
    assert page["count"] == 2
    first = page["items"][0]
    assert first["title"] == "Classroom assessment" and first["ects"] == 2.0
    assert first["achievement_id"] == services.achievement_id(version)
    assert client.get("/api/v1/catalogue", {"q": "python"}).json()["count"] == 1
    assert client.get("/api/v1/catalogue", {"eqf_level": 5}).json()["count"] == 1
    assert client.get("/api/v1/catalogue", {"credits_min": 3}).json()["count"] == 0
    limited = client.get("/api/v1/catalogue", {"limit": 1, "offset": 1}).json()
    assert limited["count"] == 2 and [i["title"] for i in limited["items"]] == [
        "Python for analysts"
    ]
    bad = client.get("/api/v1/catalogue", {"eqf_level": 12})
    assert bad.status_code == 422 and bad.json()["field"].endswith("eqf_level")
    achievement = client.get(f"/api/v1/achievements/{version.achievement_uuid}").json()
    assert achievement == services.get_achievement_document(version)


def test_skill_suggestions(client: Client) -> None:
    found = client.get("/api/v1/skills", {"q": "assess students' progress", "limit": 3}).json()
    assert len(found) == 3
    assert any(item["uri"] == ESCO_ASSESS_STUDENTS for item in found)
    assert set(found[0]) == {"uri", "label", "description", "score"}
    assert client.get("/api/v1/skills").status_code == 422
    assert client.get("/api/v1/skills", {"q": "x", "limit": 500}).status_code == 422


def test_the_openapi_document_describes_the_routes(client: Client) -> None:
    document = client.get("/api/openapi.json").json()
    assert "/api/v1/orgs/{org}/microcredentials/{slug}/versions/{number}" in document["paths"]
    schema = document["components"]["schemas"]["VersionPatch"]["properties"]["workload_hours"]
    assert "Notional hours" in json.dumps(schema)
