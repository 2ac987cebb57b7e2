"""Europass exports served by the platform conform to the EU's shapes and schema; the public pages
link them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.errors import InvalidInput
from microcred.organisations import services as organisations
from microcred.site.demo_platform import load_platform_demo
from tests.elm_conformance import (
    ISSUED,
    EdcSchema,
    Shacl,
    Violation,
    edc_schema,
    sealing,
    shacl,
    without_context,
)
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import make_organisation

__all__ = ["edc_schema", "shacl"]  # fixtures


def get_json(client: Client, path: str, content_type: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == content_type
    return json.loads(response.content)


def version_path(version: Any, suffix: str) -> str:
    microcredential = version.microcredential
    return (
        f"/catalogue/{microcredential.organisation.slug}/{microcredential.slug}"
        f"/v{version.number}/elm.{suffix}"
    )


def test_a_credential_and_its_version_conform(
    client: Client, shacl: Shacl, edc_schema: EdcSchema
) -> None:
    organisation, registrar, version = make_issuer(
        accreditations=[{"name": "Accredited university", "body": "NVAO", "url": ""}]
    )
    award = issue(registrar, version, learner_name="Ada Lovelace", result={"grade": "8"})

    edc = get_json(client, f"/credentials/{award.uuid}.elm.jsonld", "application/ld+json")
    assert shacl.violations(edc) == sealing(edc)
    assert edc["id"] == f"urn:credential:{award.uuid}"
    achievement = edc["credentialSubject"]["hasClaim"]
    assert achievement["provenBy"]["grade"]["noteLiteral"] == {"en": "8"}
    assert achievement["specifiedBy"]["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert edc["issuer"]["id"] == organisations.organisation_did(organisation)
    assert edc["credentialSubject"]["fullName"] == {"en": "Ada Lovelace"}

    edc32 = get_json(client, f"/credentials/{award.uuid}.elm.json", "application/json")
    assert edc_schema.errors(edc32) == []

    qualification = get_json(client, version_path(version, "jsonld"), "application/ld+json")
    assert qualification["type"] == "Qualification"
    assert shacl.violations(qualification) == set()
    qualification32 = get_json(client, version_path(version, "json"), "application/json")
    assert edc_schema.errors(without_context(qualification32), "QualificationType") == []


def test_the_latest_version_is_served_without_a_number(client: Client, shacl: Shacl) -> None:
    organisation, _, version = make_issuer()
    slug = version.microcredential.slug
    document = get_json(
        client, f"/catalogue/{organisation.slug}/{slug}/elm.jsonld", "application/ld+json"
    )
    assert document["title"] == {"en": version.title}


def test_a_version_without_a_level_is_a_learning_achievement_specification(
    client: Client, shacl: Shacl, edc_schema: EdcSchema
) -> None:
    organisation, registrar, _ = make_issuer()
    version = make_version(organisation, eqf_level=None, languages=["nl", "en"])
    document = get_json(client, version_path(version, "jsonld"), "application/ld+json")
    assert document["type"] == "LearningAchievementSpecification"
    assert document["title"] == {"nl": version.title}
    assert shacl.violations(document) == set()
    award = issue(registrar, version)
    edc = get_json(client, f"/credentials/{award.uuid}.elm.jsonld", "application/ld+json")
    assert shacl.violations(edc) == sealing(edc)
    assert edc_schema.errors(awards_32(client, award)) == []


def awards_32(client: Client, award: Any) -> dict[str, Any]:
    return get_json(client, f"/credentials/{award.uuid}.elm.json", "application/json")


def test_an_organisation_with_an_eidas_identifier_lacks_only_issued(
    client: Client, shacl: Shacl
) -> None:
    organisation, registrar, version = make_issuer()
    owner = organisation.memberships.get(role="owner").user
    organisations.update_organisation(
        actor=owner, organisation=organisation, eidas_identifier="NL/NL/KVK-12345678"
    )
    award = issue(registrar, version)
    edc = get_json(client, f"/credentials/{award.uuid}.elm.jsonld", "application/ld+json")
    assert shacl.violations(edc) == {Violation(edc["id"], ISSUED)}
    assert edc["issuer"]["eIDASIdentifier"]["notation"] == "NL/NL/KVK-12345678"


@pytest.mark.parametrize("value", ["12345", "NL-NL-1", "nl/nl/123", "NL/NL/" + "x" * 181])
def test_a_malformed_eidas_identifier_is_refused(value: str) -> None:
    owner_organisation = make_organisation()
    owner = owner_organisation.memberships.get(role="owner").user
    with pytest.raises(InvalidInput, match="eIDAS") as caught:
        organisations.update_organisation(
            actor=owner, organisation=owner_organisation, eidas_identifier=value
        )
    assert caught.value.field == "eidas_identifier"


def test_the_uploadable_file_is_the_eu_issuers_form(client: Client, shacl: Shacl) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    response = client.get(f"/credentials/{award.uuid}.edc-upload.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="edc-{award.uuid}.json"'
    upload = json.loads(response.content)
    assert set(upload) == {"credential"}
    assert shacl.violations(upload["credential"]) == sealing(upload["credential"])


def test_a_revoked_credential_is_not_offered_for_sealing(client: Client) -> None:
    _, registrar, version = make_issuer()
    award = awards.revoke_award(actor=registrar, award=issue(registrar, version), reason="Error.")
    response = client.get(f"/credentials/{award.uuid}.edc-upload.json")
    assert response.status_code == 409
    assert "revoked" in response.content.decode()
    # What it certified stays readable, as its signed credential does.
    assert client.get(f"/credentials/{award.uuid}.elm.jsonld").status_code == 200


def test_the_public_pages_link_the_exports(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version)
    page = client.get(
        f"/catalogue/{organisation.slug}/{version.microcredential.slug}/v{version.number}/"
    ).content.decode()
    assert "Europass (ELM)" in page and version_path(version, "jsonld") in page
    page = client.get(f"/credentials/{award.uuid}").content.decode()
    assert "Europass (ELM)" in page
    assert f"/credentials/{award.uuid}.elm.jsonld" in page
    assert f"/credentials/{award.uuid}.edc-upload.json" in page


def test_what_is_not_public_or_not_there_is_not_found(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version)
    draft = make_version(organisation, status="draft")
    assert client.get(version_path(draft, "jsonld")).status_code == 404
    assert client.get(version_path(version, "xml")).status_code == 404
    assert client.get(f"/credentials/{award.uuid}.elm.xml").status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/credentials/{missing}.elm.jsonld").status_code == 404
    assert client.get(f"/credentials/{missing}.edc-upload.json").status_code == 404
    # The awards' own downloads are untouched by the ELM routes beside them.
    assert client.get(f"/credentials/{award.uuid}.json").status_code == 200


def test_every_demo_export_conforms(
    django_capture_on_commit_callbacks, client: Client, shacl: Shacl, edc_schema: EdcSchema
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        list(load_platform_demo())
    versions = catalogue.get_published_versions()
    assert versions
    for version in versions:
        document = get_json(client, version_path(version, "jsonld"), "application/ld+json")
        assert shacl.violations(document) == set(), version
        document = get_json(client, version_path(version, "json"), "application/json")
        assert edc_schema.errors(without_context(document), f"{document['type']}Type") == []
    issued = list(awards.get_issued_awards())
    assert {award.organisation.slug for award in issued} == {"northfield", "lakeside"}
    for award in issued:
        edc = get_json(client, f"/credentials/{award.uuid}.elm.jsonld", "application/ld+json")
        # The university of the demo has an eIDAS identifier on its profile.
        expected = (
            {Violation(edc["id"], ISSUED)} if award.organisation.eidas_identifier else sealing(edc)
        )
        assert shacl.violations(edc) == expected, award.uuid
        assert edc_schema.errors(awards_32(client, award)) == [], award.uuid
