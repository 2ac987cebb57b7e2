"""The quality API: checks, submit, review, decide, invite, queue, settings, reviews due."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from microcred.catalogue.models import MicroCredentialVersion
from microcred.quality.models import QAReview
from tests.platform.api import Api
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import make_organisation, make_user
from tests.platform.quality.factories import make_reviewer, publish, vet

VAGUE = ["Understand classroom assessment", "Give feedback that helps students learn"]


def version_path(version: MicroCredentialVersion) -> str:
    organisation = version.microcredential.organisation.slug
    return (
        f"/orgs/{organisation}/microcredentials/{version.microcredential.slug}"
        f"/versions/{version.number}"
    )


def a_submitted_draft(client: Client, **fields: Any) -> tuple[MicroCredentialVersion, Any]:
    draft = make_draft(**fields)
    vet(draft.microcredential.organisation)
    response = Api(client, draft.created_by)("POST", version_path(draft) + "/submit")
    assert response.status_code == 201, response.json()
    return draft, response.json()


def checklist(body: dict[str, Any], met: bool = True) -> dict[str, Any]:
    return {item["id"]: {"met": met, "note": ""} for item in body["items"]}


def assert_error(response: Any, status: int, field: str | None, code: str | None = None) -> None:
    body = response.json()
    assert response.status_code == status, body
    assert {"code", "message", "field", "data"} <= set(body)
    assert body["field"] == field
    if code:
        assert body["code"] == code


def test_checking_a_saved_version_and_a_posted_specification(client: Client) -> None:
    draft = make_draft(outcomes=VAGUE)
    call = Api(client, draft.created_by)
    findings = call("GET", version_path(draft) + "/checks").json()
    assert ("coherence.observable-verb", "error", "outcomes[0].text") in {
        (item["rule_id"], item["severity"], item["field"]) for item in findings
    }
    spec = {"title": "Data literacy", "outcomes": [{"text": "Know statistics"}]}
    checked = call("POST", "/qa/check", {"specification": spec, "profiles": ["nzqa"]})
    assert checked.status_code == 200
    assert {item["profile"] for item in checked.json()} == {"nzqa", "coherence"}
    default = call("POST", "/qa/check", {"specification": spec, "today": "2026-01-01"}).json()
    assert {item["profile"] for item in default} == {"eu-annex-i", "coherence"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"specification": {}, "profiles": ["mars"]}, "profiles[0]"),
        ({"specification": {"eqf_level": 12}}, "eqf_level"),
        ({"specification": {"colour": "red"}}, "colour"),
        ({"specification": {}, "extra": 1}, "extra"),
        ({"profiles": ["nzqa"]}, "specification"),
        ({"specification": {}, "today": "soon"}, "today"),
    ],
)
def test_bad_checks_name_the_field(client: Client, body: dict, field: str) -> None:
    assert_error(Api(client, make_user())("POST", "/qa/check", body), 422, field)


def test_checking_needs_an_account(client: Client) -> None:
    response = client.post(
        "/api/v1/qa/check", {"specification": {}}, content_type="application/json"
    )
    assert_error(response, 401, None, "auth.required")


def test_submit_with_a_blocking_finding_then_fix_and_approve(client: Client) -> None:
    draft, returned = a_submitted_draft(client, outcomes=VAGUE)
    assert (returned["attempt"], returned["status"]) == (1, "returned")
    assert returned["findings"][0]["rule_id"] == "coherence.observable-verb"
    designer = Api(client, draft.created_by)
    patched = designer(
        "PATCH",
        version_path(draft),
        {"outcomes": [{"text": "Design classroom assessments"}, {"text": VAGUE[1]}]},
    )
    assert patched.status_code == 200, patched.json()
    second = designer("POST", version_path(draft) + "/submit")
    assert second.status_code == 201 and second.json()["status"] == "internal_review"
    assert second.json()["attempt"] == 2
    assert_error(
        designer("POST", version_path(draft) + "/submit"), 409, None, "qa.already_submitted"
    )

    reviewer = Api(client, make_reviewer(draft.microcredential.organisation))
    queue = reviewer("GET", f"/orgs/{draft.microcredential.organisation.slug}/qa/queue").json()
    assert [(item["version"], item["stage"]) for item in queue] == [(1, "internal_review")]
    review = reviewer("GET", version_path(draft) + "/review").json()
    decided = reviewer(
        "POST",
        version_path(draft) + "/review/decision",
        {
            "decision": "approve",
            "checklist": checklist(review),
            "comments": [{"field": "outcomes", "text": "Clear."}],
        },
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "approved"
    assert decided.json()["comments"] == [{"field": "outcomes", "text": "Clear."}]
    assert all(item["met"] for item in decided.json()["checklist"])
    published = designer("POST", version_path(draft) + "/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert designer("GET", version_path(draft) + "/review").json()["status"] == "published"


def test_the_designer_cannot_approve_own_version(client: Client) -> None:
    draft, review = a_submitted_draft(client)
    response = Api(client, draft.created_by)(
        "POST",
        version_path(draft) + "/review/decision",
        {"decision": "approve", "checklist": checklist(review)},
    )
    assert_error(response, 403, None)
    assert QAReview.objects.get().status == "internal_review"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"decision": "maybe"}, 422, "decision"),
        ({"checklist": {}}, 422, "checklist.{first}"),
        ({"checklist": {"{first}": {"met": "perhaps"}}}, 422, "checklist.{first}.met"),
        ({"note": ""}, 422, "note"),
        ({"comments": [{"field": "outcomes"}]}, 422, "comments.0.text"),
        ({"unknown": 1}, 422, "unknown"),
    ],
)
def test_bad_decisions_name_the_field(
    client: Client, change: dict, status: int, field: str
) -> None:
    draft, review = a_submitted_draft(client)
    first = review["items"][0]["id"]
    body = {"decision": "return", "checklist": checklist(review), "note": "Fix it.", **change}
    if change.get("checklist"):
        body["checklist"] = {first: change["checklist"]["{first}"]}
    reviewer = Api(client, make_reviewer(draft.microcredential.organisation))
    response = reviewer("POST", version_path(draft) + "/review/decision", body)
    assert_error(response, status, field.format(first=first))
    assert QAReview.objects.get().status == "internal_review"


def test_an_outsider_and_an_unsubmitted_version_get_404(client: Client) -> None:
    draft, review = a_submitted_draft(client)
    stranger = Api(client, make_reviewer(make_organisation()))
    assert_error(stranger("GET", version_path(draft) + "/review"), 404, "organisation")
    response = stranger(
        "POST",
        version_path(draft) + "/review/decision",
        {"decision": "approve", "checklist": checklist(review)},
    )
    assert response.status_code == 404
    fresh = make_draft(draft.microcredential.organisation, title="Fresh")
    assert_error(
        Api(client, fresh.created_by)("GET", version_path(fresh) + "/review"), 404, "version"
    )


def test_inviting_an_agency_that_then_decides(client: Client) -> None:
    draft, review = a_submitted_draft(client)
    organisation = draft.microcredential.organisation
    agency = make_organisation(slug="aqas", type="qa_agency")
    reviewer = Api(client, make_reviewer(organisation))
    assert_error(
        reviewer("POST", version_path(draft) + "/review/invite", {"agency": organisation.slug}),
        422,
        "agency",
    )
    assert_error(reviewer("POST", version_path(draft) + "/review/invite", {}), 422, "agency")
    invited = reviewer("POST", version_path(draft) + "/review/invite", {"agency": "aqas"})
    assert invited.status_code == 200 and invited.json()["external_agency"] == "aqas"
    internal = reviewer(
        "POST",
        version_path(draft) + "/review/decision",
        {"decision": "approve", "checklist": checklist(review)},
    )
    assert internal.json()["status"] == "external_review"
    auditor = Api(client, make_reviewer(agency))
    queue = auditor("GET", "/orgs/aqas/qa/queue").json()
    assert [(item["organisation"], item["stage"]) for item in queue] == [
        (organisation.slug, "external_invitation")
    ]
    final = auditor(
        "POST",
        version_path(draft) + "/review/decision",
        {"decision": "return", "checklist": checklist(review), "note": "Evidence of need?"},
    )
    assert final.status_code == 200, final.json()
    body = final.json()
    assert (body["status"], body["external_note"]) == ("returned", "Evidence of need?")
    assert body["external_reviewer"] and body["reviewer"]


def test_settings_read_and_change(client: Client) -> None:
    owner = make_user()
    organisation = make_organisation(owner)
    call = Api(client, owner)
    path = f"/orgs/{organisation.slug}/qa/settings"
    got = call("GET", path).json()
    assert got["required_profiles"] == ["eu-annex-i", "coherence"] and got["profiles"] == []
    changed = call(
        "PUT",
        path,
        {
            "profiles": ["unesco"],
            "qa_process": "Peer review by two colleagues.",
            "accreditations": [{"name": "ISO 21001", "body": "BSI"}],
        },
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["applied_profiles"] == ["eu-annex-i", "coherence", "unesco"]
    assert changed.json()["accreditations"][0]["name"] == "ISO 21001"
    partial = call("PUT", path, {"qa_process": "Three readers."}).json()
    assert partial["profiles"] == ["unesco"] and partial["qa_process"] == "Three readers."
    assert_error(call("PUT", path, {"profiles": ["mars"]}), 422, "profiles[0]")
    assert_error(
        call("PUT", path, {"accreditations": [{"name": "ISO", "body": "BSI", "url": "x"}]}),
        422,
        "accreditations[0].url",
    )
    reviewer = Api(client, make_reviewer(organisation))
    assert reviewer("GET", path).status_code == 200
    assert_error(reviewer("PUT", path, {"qa_process": "Mine."}), 403, None)


def test_reviews_due(client: Client) -> None:
    today = date.today()
    version = publish(make_draft(review_date=today + timedelta(days=3)))
    organisation = version.microcredential.organisation
    reviewer = Api(client, make_reviewer(organisation))
    path = f"/orgs/{organisation.slug}/qa/due"
    assert reviewer("GET", path).json() == []
    due = reviewer("GET", f"{path}?today={today + timedelta(days=3)}").json()
    assert [(item["microcredential"], item["version"]) for item in due] == [
        (version.microcredential.slug, 1)
    ]
    assert_error(reviewer("GET", f"{path}?today=soon"), 422, "today")
