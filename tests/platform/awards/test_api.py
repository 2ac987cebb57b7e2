"""The awards API: issue with idempotency keys, list, read, revoke, suspend, status lists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.accounts.services import create_api_token
from microcred.awards import services
from microcred.awards.models import Award, StatusList
from microcred.organisations.models import Role
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.awards.verifying import verify_offline
from tests.platform.factories import add_member, make_user


class Api:
    """A client that sends JSON with a personal API token, as scripts do."""

    def __init__(self, client, user=None) -> None:
        self.client = client
        self.headers = {}
        if user is not None:
            _, secret = create_api_token(actor=user, name="tests")
            self.headers["authorization"] = f"Bearer {secret}"

    def post(self, path: str, body: Any, **headers: str):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)


@pytest.fixture
def issuer():
    organisation, registrar, version = make_issuer(slug="uu")
    return organisation, registrar, version


def issue_body(chosen, **changes: Any) -> dict[str, Any]:
    body = {
        "version": str(chosen.achievement_uuid),
        "learner_email": "ada@example.org",
        "learner_name": "Ada Lovelace",
        "result": {"grade": "A", "score": "92"},
        "evidence": [{"id": "https://portfolio.example.org/ada", "name": "Portfolio"}],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_issue_returns_the_signed_credential(client, issuer, format: str) -> None:
    _, registrar, version = issuer
    response = Api(client, registrar).post("/orgs/uu/awards", issue_body(version, format=format))
    assert response.status_code == 201, response.content
    body = response.json()
    award = Award.objects.get(uuid=body["uuid"])
    assert body["url"] == services.credential_url(award)
    assert body["format"] == format
    assert body["status"] == "active"
    assert body["version"] == str(version.achievement_uuid)
    assert body["result"] == {"grade": "A", "score": "92"}
    if format == "jwt":
        assert body["credential"] == award.signed_credential
    else:
        assert body["credential"] == json.loads(award.signed_credential)
    assert verify_offline(award).verified


def test_the_idempotency_key_header_makes_retries_safe(client, issuer) -> None:
    _, registrar, version = issuer
    api = Api(client, registrar)
    body = issue_body(version)
    first = api.post("/orgs/uu/awards", body, **{"idempotency-key": "batch-1-row-7"})
    again = api.post("/orgs/uu/awards", body, **{"idempotency-key": "batch-1-row-7"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Award.objects.get().idempotency_key == "batch-1-row-7"
    other = api.post(
        "/orgs/uu/awards",
        issue_body(version, learner_email="bob@example.org"),
        **{"idempotency-key": "batch-1-row-7"},
    )
    assert other.status_code == 409
    assert other.json()["code"] == "award.idempotency_conflict"
    assert other.json()["field"] == "idempotency_key"
    in_body = api.post("/orgs/uu/awards", {**body, "idempotency_key": "batch-1-row-7"})
    assert in_body.json()["uuid"] == first.json()["uuid"]
    differ = api.post(
        "/orgs/uu/awards",
        {**body, "idempotency_key": "batch-1-row-8"},
        **{"idempotency-key": "batch-1-row-7"},
    )
    assert differ.status_code == 422 and differ.json()["field"] == "idempotency_key"
    assert Award.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"learner_email": None, "learner_name": "Nobody"}, "learner_email"),
        ({"learner_email": "nobody"}, "learner_email"),
        ({"learner_email": None, "learner_did": "did:x"}, "learner_did"),
        ({"format": "pdf"}, "format"),
        ({"version": "not-a-uuid"}, "version"),
        ({"version": "9b2e8f4c-0000-4000-8000-000000000000"}, "version"),
        ({"result": {"grade": "A", "colour": "blue"}}, "result.colour"),
        ({"evidence": [{"id": "javascript:alert(1)"}]}, "evidence[0].id"),
        ({"evidence": [{}]}, "evidence[0]"),
    ],
)
def test_bad_input_is_422_with_the_field_and_changes_nothing(
    client, issuer, changes: dict, field: str
) -> None:
    _, registrar, version = issuer
    body = {
        key: value for key, value in issue_body(version, **changes).items() if value is not None
    }
    response = Api(client, registrar).post("/orgs/uu/awards", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert Award.objects.count() == 0
    assert StatusList.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "code"),
    [("draft", "award.unknown_version"), ("withdrawn", "award.version_not_published")],
)
def test_an_unpublished_version_is_422(client, issuer, status: str, code: str) -> None:
    organisation, registrar, _ = issuer
    unpublished = make_version(organisation, status=status)
    response = Api(client, registrar).post("/orgs/uu/awards", issue_body(unpublished))
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["field"] == "version"
    assert Award.objects.count() == 0


def test_issuing_needs_a_token_the_organisation_and_the_role(client, issuer) -> None:
    organisation, _, version = issuer
    body = issue_body(version)
    assert Api(client).post("/orgs/uu/awards", body).status_code == 401
    designer = add_member(organisation, make_user(), Role.DESIGNER)
    forbidden = Api(client, designer).post("/orgs/uu/awards", body)
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    outsider = make_issuer()[1]
    assert Api(client, outsider).post("/orgs/uu/awards", body).status_code == 404
    assert Api(client, outsider).post("/orgs/nowhere/awards", body).status_code == 404
    assert Award.objects.count() == 0


def test_a_signed_in_session_works_too(client, issuer) -> None:
    _, registrar, version = issuer
    client.force_login(registrar)
    assert Api(client).post("/orgs/uu/awards", issue_body(version)).status_code == 201


def test_listing_and_reading_awards_is_for_the_organisations_staff(client, issuer) -> None:
    organisation, registrar, version = issuer
    ada = issue(registrar, version, learner_name="Ada Lovelace")
    grace = issue(registrar, version, learner_name="Grace Hopper")
    services.suspend_award(actor=registrar, award=grace, reason="Appeal.")
    assessor = add_member(organisation, make_user(), Role.ASSESSOR)
    api = Api(client, assessor)
    listed = api.get("/orgs/uu/awards")
    assert listed.status_code == 200
    assert [item["learner_name"] for item in listed.json()] == ["Grace Hopper", "Ada Lovelace"]
    assert "credential" not in listed.json()[0]
    assert [i["uuid"] for i in api.get("/orgs/uu/awards", status="suspended").json()] == [
        str(grace.uuid)
    ]
    assert [i["uuid"] for i in api.get("/orgs/uu/awards", search="lovelace").json()] == [
        str(ada.uuid)
    ]
    other_version = make_version(organisation)
    assert api.get("/orgs/uu/awards", version=str(other_version.achievement_uuid)).json() == []
    assert len(api.get("/orgs/uu/awards", limit=1).json()) == 1
    assert api.get("/orgs/uu/awards", status="lost").status_code == 422
    assert api.get("/orgs/uu/awards", limit=0).status_code == 422
    detail = api.get(f"/awards/{ada.uuid}")
    assert detail.status_code == 200
    assert detail.json()["credential"] == json.loads(ada.signed_credential)
    outsider = Api(client, make_issuer()[1])
    assert outsider.get("/orgs/uu/awards").status_code == 404
    assert outsider.get(f"/awards/{ada.uuid}").status_code == 404
    assert api.get("/awards/9b2e8f4c-0000-4000-8000-000000000000").status_code == 404
    assert Api(client).get(f"/awards/{ada.uuid}").status_code == 401


def test_revoke_suspend_and_unsuspend(client, issuer) -> None:
    _, registrar, version = issuer
    award = issue(registrar, version)
    api = Api(client, registrar)
    suspended = api.post(f"/awards/{award.uuid}/suspend", {"reason": "Appeal."})
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["status_reason"] == "Appeal."
    award.refresh_from_db()
    assert not verify_offline(award).verified
    assert (
        api.post(f"/awards/{award.uuid}/unsuspend", {"reason": "Upheld."}).json()["status"]
        == "active"
    )
    assert verify_offline(award).verified
    revoked = api.post(f"/awards/{award.uuid}/revoke", {"reason": "Plagiarism."})
    assert revoked.json()["status"] == "revoked"
    again = api.post(f"/awards/{award.uuid}/revoke", {"reason": "Twice."})
    assert again.status_code == 409
    assert again.json()["code"] == "award.already_revoked"
    assert api.post(f"/awards/{award.uuid}/unsuspend", {"reason": "x"}).status_code == 409


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": 5}])
def test_a_reason_is_required(client, issuer, body: dict) -> None:
    _, registrar, version = issuer
    award = issue(registrar, version)
    response = Api(client, registrar).post(f"/awards/{award.uuid}/revoke", body)
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    award.refresh_from_db()
    assert award.status == "active"


def test_status_changes_need_the_role(client, issuer) -> None:
    organisation, registrar, version = issuer
    award = issue(registrar, version)
    designer = add_member(organisation, make_user(), Role.DESIGNER)
    assert (
        Api(client, designer).post(f"/awards/{award.uuid}/revoke", {"reason": "x"}).status_code
        == 403
    )
    outsider = make_issuer()[1]
    assert (
        Api(client, outsider).post(f"/awards/{award.uuid}/revoke", {"reason": "x"}).status_code
        == 404
    )
    assert Api(client).post(f"/awards/{award.uuid}/revoke", {"reason": "x"}).status_code == 401
    award.refresh_from_db()
    assert award.status == "active"


def test_status_lists_are_listed_for_the_staff(client, issuer) -> None:
    _, registrar, version = issuer
    issue(registrar, version)
    issue(registrar, version)
    response = Api(client, registrar).get("/orgs/uu/status-lists")
    assert response.status_code == 200
    assert [
        (item["slug"], item["purpose"], item["size"], item["used"], item["url"])
        for item in response.json()
    ] == [
        ("suspension-1", "suspension", 131_072, 2, "https://microcred.test/status/uu/suspension-1"),
    ]
    assert Api(client, make_issuer()[1]).get("/orgs/uu/status-lists").status_code == 404


def test_the_routes_are_in_the_openapi_document(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/orgs/{org}/awards",
        "/api/v1/awards/{award_uuid}",
        "/api/v1/awards/{award_uuid}/revoke",
        "/api/v1/awards/{award_uuid}/suspend",
        "/api/v1/awards/{award_uuid}/unsuspend",
        "/api/v1/orgs/{org}/status-lists",
    ):
        assert path in paths
