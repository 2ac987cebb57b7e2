"""Recognition pages: the learner applies and follows a request, evaluators compare and
decide with four eyes, transfer values are published (and exported as CTDL), grades convert."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.frameworks.ctdl import vocabulary_problems
from microcred.recognition import services
from tests import conformance
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.recognition.factories import apply, external_credential, make_setting, tampered

pytestmark = pytest.mark.django_db


def test_a_learner_applies_with_a_pasted_credential_and_an_uploaded_tampered_one(client) -> None:
    setting = make_setting()
    client.force_login(setting.learner)
    form = client.get(f"/me/recognition/apply?version={setting.version.achievement_uuid}")
    assert form.status_code == 200 and setting.version.title in form.text
    good = external_credential(setting.learner)
    response = client.post(
        "/me/recognition/apply",
        {
            "version": str(setting.version.achievement_uuid),
            "statement": "Dashboards at a newspaper.",
            "learning_setting": "non-formal",
            "credential": good,
            "file": SimpleUploadedFile("badge.json", tampered(good).encode()),
            "evidence": "https://portfolio.example.org/ada\nA talk at a meetup.",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "verified on submission" in page.text and "not verified" in page.text
    assert "https://portfolio.example.org/ada" in page.text
    assert client.get("/me/recognition/").text.count("Waiting for an evaluator") == 1


def test_an_unreadable_credential_is_shown_next_to_the_form(client) -> None:
    setting = make_setting()
    client.force_login(setting.learner)
    response = client.post(
        "/me/recognition/apply",
        {
            "version": str(setting.version.achievement_uuid),
            "statement": "Dashboards.",
            "learning_setting": "informal",
            "credential": "not a credential",
        },
    )
    assert response.status_code == 200 and "could not be read" in response.text


def test_evaluators_compare_propose_and_confirm_with_four_eyes(client) -> None:
    setting = make_setting()
    request = apply(setting, external_credential(setting.learner))
    base = f"/studio/orgs/{setting.organisation.slug}/recognition/{request.uuid}"
    client.force_login(setting.first)
    page = client.get(base)
    assert page.status_code == 200
    assert "Write a data management plan for a research project." in page.text
    assert "EQF 6" in page.text and "Data Stewardship" in page.text
    assert (
        client.post(base + "/propose", {"decision": "full", "reasons": "All outcomes."}).status_code
        == 302
    )
    own = client.get(base)
    assert "another evaluator confirms it (four eyes)" in own.text
    refused = client.post(base + "/decide", {"confirm": "yes"})
    assert refused.status_code == 400 and "four eyes" in refused.text
    client.force_login(setting.second)
    assert client.post(base + "/decide", {"confirm": "yes"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "decided" and request.award is not None
    client.force_login(setting.learner)
    mine = client.get(f"/me/recognition/{request.uuid}")
    assert "Full recognition" in mine.text and f"/credentials/{request.award.uuid}" in mine.text


def test_the_queue_lists_waiting_requests_and_the_dashboard_links_it(client) -> None:
    setting = make_setting()
    apply(setting, external_credential(setting.learner))
    client.force_login(setting.first)
    dashboard = client.get("/studio/")
    assert f"/studio/orgs/{setting.organisation.slug}/recognition/" in dashboard.text
    page = client.get(f"/studio/orgs/{setting.organisation.slug}/recognition/")
    assert page.status_code == 200 and "Ada Lovelace" in page.text


def test_what_my_credentials_are_worth(client) -> None:
    setting = make_setting()
    _, registrar, version = make_issuer()
    issue(registrar, version, learner_email=setting.learner.email)
    services.create_transfer_value(
        actor=setting.first,
        organisation_slug=setting.organisation.slug,
        target_version=setting.version,
        source_version=version,
        credits={"ECTS": 3},
        component="stewardship",
    )
    client.force_login(setting.learner)
    page = client.get("/me/recognition/worth")
    assert page.status_code == 200
    assert setting.organisation.name in page.text
    assert (
        f"{version.title}</a> counts toward <strong>{setting.version.title}</strong>: 3 ECTS"
        in (page.text)
    )


def test_transfer_values_are_published_from_the_studio_and_exported_as_clean_ctdl(client) -> None:
    setting = make_setting()
    client.force_login(setting.first)
    response = client.post(
        f"/studio/orgs/{setting.organisation.slug}/recognition/transfer-values",
        {
            "target_version": str(setting.version.achievement_uuid),
            "source_achievement": "https://badges.example.org/achievements/7",
            "source_issuer": "did:web:badges.example.org",
            "source_name": "Charts and Dashboards",
            "credits": "2",
            "credit_system": "ECTS",
            "component": "visualisation",
        },
    )
    assert response.status_code == 302
    document = client.get(f"/orgs/{setting.organisation.slug}/transfer-values.json")
    assert document["Content-Type"] == "application/ld+json"
    data = document.json()
    schema = conformance.load_json("ctdl", "ctdl", "schema.json")
    assert vocabulary_problems(data, schema) == []
    [profile] = data["@graph"]
    assert profile["@type"] == "ceterms:TransferValueProfile"
    assert (
        profile["ceterms:transferValueFrom"][0]["@id"]
        == "https://badges.example.org/achievements/7"
    )
    single = client.get(urlsplit(profile["@id"]).path)
    assert single.status_code == 200 and single.json()["@graph"] == [profile]
    assert client.get("/orgs/nobody/transfer-values.json").status_code == 404


def test_the_grade_conversion_page_shows_the_converted_grade_and_how(client) -> None:
    setting = make_setting()
    tables = [
        services.create_grading_table(
            actor=setting.first,
            organisation_slug=setting.organisation.slug,
            field_of_study="0613",
            grading_system=system,
            grades=grades,
        )
        for system, grades in (
            ("Dutch", [["9", 10], ["8", 30], ["7", 60]]),
            ("Italian", [["30", 20], ["27", 40], ["24", 40]]),
        )
    ]
    empty = client.get("/grades/convert")
    assert empty.status_code == 200 and "Dutch" in empty.text
    page = client.get(f"/grades/convert?source={tables[0].uuid}&target={tables[1].uuid}&grade=8")
    assert page.status_code == 200
    assert '<strong class="converted">27</strong>' in page.text
    assert "66.7%" in page.text and "33.3%" in page.text
    wrong = client.get(f"/grades/convert?source={tables[0].uuid}&target={tables[1].uuid}&grade=3")
    assert wrong.status_code == 400 and "is not a passing grade" in wrong.text
