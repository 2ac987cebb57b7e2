"""The recognition API: apply with credentials, propose and decide, errors as JSON naming
the field, transfer values and grade conversion."""

from __future__ import annotations

import base64

import pytest

from microcred.awards import services as awards
from microcred.recognition import services
from tests.platform.api import Api
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.recognition.factories import external_credential, make_setting, tampered

pytestmark = pytest.mark.django_db


def application(setting, **fields):
    body = {
        "version": str(setting.version.achievement_uuid),
        "statement": "Dashboards for two years.",
        "learning_setting": "non-formal",
        "credentials": [{"document": external_credential(setting.learner)}],
    }
    body.update(fields)
    return body


def test_apply_propose_and_decide_through_the_api(client) -> None:
    setting = make_setting()
    response = Api(client, setting.learner)("POST", "/recognition/requests", application(setting))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "submitted" and created["credentials"][0]["verified"]

    base = f"/orgs/{setting.organisation.slug}/recognition/requests/{created['uuid']}"
    proposal = Api(client, setting.first)(
        "POST",
        base + "/proposal",
        {
            "decision": "partial",
            "reasons": "One outcome.",
            "credit_value": 3,
            "credit_system": "ECTS",
        },
    )
    assert proposal.status_code == 200 and proposal.json()["status"] == "proposed"
    same = Api(client, setting.first)("POST", base + "/decision", {"confirm": True})
    assert same.status_code == 403 and same.json()["code"] == "recognition.four_eyes"
    decided = Api(client, setting.second)("POST", base + "/decision", {"confirm": True})
    assert decided.status_code == 200 and decided.json()["credits"] == {"ECTS": 3.0}

    mine = Api(client, setting.learner)("GET", "/recognition/requests").json()
    assert [item["decision"] for item in mine] == ["partial"]


def test_a_baked_image_is_read_and_verified(client) -> None:
    setting = make_setting()
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner_email=setting.learner.email)
    image = base64.b64encode(awards.get_baked_image(award, kind="png")).decode()
    response = Api(client, setting.learner)(
        "POST", "/recognition/requests", application(setting, credentials=[{"image": image}])
    )
    assert response.status_code == 201, response.json()
    assert response.json()["credentials"][0]["verified"] is True


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"statement": ""}, 422, "statement"),
        ({"learning_setting": "formal"}, 422, "learning_setting"),
        ({"credentials": [{}]}, 422, "credentials[0]"),
        ({"credentials": [{"image": "%%%"}]}, 422, "credentials[0].image"),
        ({"credentials": [{"document": "{not json"}]}, 422, "credentials[0]"),
        ({"evidence": [{"url": "javascript:alert(1)"}]}, 422, "evidence[0].url"),
        ({"version": "00000000-0000-0000-0000-000000000000"}, 404, "version"),
        ({"colour": "red"}, 422, "colour"),
    ],
)
def test_bad_applications_are_json_errors_naming_the_field(
    client, fields: dict, status: int, field: str
) -> None:
    setting = make_setting()
    response = Api(client, setting.learner)(
        "POST", "/recognition/requests", application(setting, **fields)
    )
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field


def test_a_tampered_credential_is_kept_and_reported_unverified(client) -> None:
    setting = make_setting()
    body = application(
        setting, credentials=[{"document": tampered(external_credential(setting.learner))}]
    )
    response = Api(client, setting.learner)("POST", "/recognition/requests", body)
    assert response.status_code == 201
    [credential] = response.json()["credentials"]
    assert credential["verified"] is False and "failed" in credential["summary"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "partial", "reasons": "x", "credit_system": "ECTS"}, "credit_value"),
        ({"decision": "refused", "reasons": " "}, "reasons"),
        ({"decision": "maybe", "reasons": "x"}, "decision"),
    ],
)
def test_bad_proposals_name_the_field(client, body: dict, field: str) -> None:
    setting = make_setting()
    created = Api(client, setting.learner)(
        "POST", "/recognition/requests", application(setting)
    ).json()
    response = Api(client, setting.first)(
        "POST",
        f"/orgs/{setting.organisation.slug}/recognition/requests/{created['uuid']}/proposal",
        body,
    )
    assert response.status_code == 422 and response.json()["field"] == field


def test_transfer_values_are_published_and_read_by_the_engine(client) -> None:
    setting = make_setting()
    response = Api(client, setting.first)(
        "POST",
        f"/orgs/{setting.organisation.slug}/transfer-values",
        {
            "target_version": str(setting.version.achievement_uuid),
            "source_achievement": "https://badges.example.org/achievements/7",
            "source_issuer": "did:web:badges.example.org",
            "source_name": "Charts and Dashboards",
            "credits": {"ECTS": 2},
            "component": "visualisation",
        },
    )
    assert response.status_code == 201, response.json()
    [value] = services.get_transfer_values(target_version=setting.version)
    assert (value.achievement, value.issuer, value.counts_as, dict(value.credits)) == (
        "https://badges.example.org/achievements/7",
        "did:web:badges.example.org",
        ("visualisation",),
        {"ECTS": 2.0},
    )
    bad = Api(client, setting.first)(
        "POST",
        f"/orgs/{setting.organisation.slug}/transfer-values",
        {
            "target_version": str(setting.version.achievement_uuid),
            "source_achievement": "https://badges.example.org/achievements/7",
            "source_name": "Charts",
            "credits": {"PARSECS": 2},
        },
    )
    assert bad.status_code == 422 and bad.json()["field"] == "credits.PARSECS"


def test_grading_tables_convert_by_percentiles(client) -> None:
    setting = make_setting()
    post = Api(client, setting.first)
    path = f"/orgs/{setting.organisation.slug}/grading-tables"
    source = post(
        "POST",
        path,
        {
            "field_of_study": "0613",
            "grading_system": "Dutch",
            "grades": [["9", 10], ["8", 30], ["7", 60]],
        },
    ).json()
    target = post(
        "POST",
        path,
        {
            "field_of_study": "0613",
            "grading_system": "Italian",
            "grades": [["30", 20], ["27", 40], ["24", 40]],
        },
    ).json()
    # Dutch 8 covers 10-40%: Italian 30 covers 0-20 (10 points), 27 covers 20-60 (20 points).
    response = client.get(
        f"/api/v1/grades/convert?source={source['uuid']}&target={target['uuid']}&grade=8"
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["converted"] == "27"
    assert answer["shares"] == pytest.approx({"30": 1 / 3, "27": 2 / 3})
    unknown = client.get(
        f"/api/v1/grades/convert?source={source['uuid']}&target={target['uuid']}&grade=5"
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "grade"
    bad = post(
        "POST", path, {"field_of_study": "0613", "grading_system": "X", "grades": [["A", 50]]}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "grades"
