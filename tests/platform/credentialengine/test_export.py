"""The organisation's CTDL graph and each version's CTDL record: clean terms, stable CTIDs."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.catalogue import services as catalogue
from microcred.catalogue.models import ParticipationForm
from microcred.core import public_urls
from microcred.frameworks.ctdl import DELIVERY_TYPES, ORGANISATION_TYPES, ctid
from microcred.organisations.models import OrganisationType
from tests import ctdl_checks
from tests.platform.awards.factories import make_version
from tests.platform.catalogue.factories import ESCO_ASSESS_STUDENTS, make_draft, make_published
from tests.platform.pathways.factories import make_world
from tests.platform.quality.factories import publish


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["@id"]: item for item in document["@graph"]}


def get_graph(client: Client, slug: str) -> dict[str, Any]:
    response = client.get(f"/orgs/{slug}/ctdl.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def test_the_organisation_graph_holds_its_credentials_and_pathways(client: Client) -> None:
    world = make_world()
    version = make_published(world.organisation, title="Classroom assessment")
    make_draft(world.organisation, title="Unfinished draft")
    document = get_graph(client, world.organisation.slug)
    ctdl_checks.assert_clean(document)

    nodes = by_id(document)
    profile = public_urls.profile_url(world.organisation.slug)
    owner = nodes[profile]
    assert owner["@type"] == "ceterms:CredentialOrganization"
    assert owner["ceterms:ctid"] == ctid(profile)
    credential_url = public_urls.catalogue_url(
        world.organisation.slug, version.microcredential.slug
    )
    credential = nodes[credential_url]
    assert credential["ceterms:ctid"] == ctid(credential_url)
    assert credential["ceterms:ownedBy"] == [profile]
    assert credential["ceterms:sameAs"] == [catalogue.achievement_id(version)]
    # Five published micro-credentials (the pathway's four and one more); the draft is left out.
    credentials = [
        item for item in document["@graph"] if item["@type"] == "ceterms:MicroCredential"
    ]
    assert len(credentials) == 5
    assert "Unfinished draft" not in json.dumps(document)
    assert owner["ceterms:offers"] == [item["@id"] for item in credentials]
    pathway_url = public_urls.absolute(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/")
    assert nodes[pathway_url]["@type"] == "ceterms:Pathway"
    assert pathway_url in owner["ceterms:owns"]

    # The stated credits, the assessment, delivery and the outcomes with their ESCO skill.
    [requirements] = credential["ceterms:requires"]
    assert {
        value["ceterms:creditUnitType"][0]: value["schema:value"]
        for value in requirements["ceterms:creditValue"]
    } == {"creditUnit:DegreeCredit": 2.0, "creditUnit:ClockHour": 55.0}
    assessment = nodes[requirements["ceterms:targetAssessment"][0]]
    assert assessment["ceterms:assessmentMethodType"][0]["ceterms:targetNode"] == (
        "assessMethod:PortfolioEvaluation"
    )
    assert assessment["ceterms:deliveryType"][0]["ceterms:targetNode"] == "deliveryType:OnlineOnly"
    framework = nodes[f"{credential_url}#outcomes"]
    first = nodes[framework["ceasn:hasTopChild"][0]]
    assert first["ceasn:competencyText"] == {"en": "Design classroom assessments"}
    assert first["ceasn:skillEmbodied"] == [ESCO_ASSESS_STUDENTS]


def test_ctids_are_stable_across_exports_and_versions(client: Client) -> None:
    version = make_published(title="Classroom assessment")
    slug = version.microcredential.organisation.slug
    first = get_graph(client, slug)
    assert get_graph(client, slug) == first

    designer = version.created_by
    draft = catalogue.create_new_version(actor=designer, microcredential=version.microcredential)
    catalogue.update_draft(actor=designer, version=draft, description="Revised.")
    publish(draft)
    second = get_graph(client, slug)
    ctids = [item["ceterms:ctid"] for item in first["@graph"]]
    assert [item["ceterms:ctid"] for item in second["@graph"]] == ctids
    credential = second["@graph"][1]
    assert credential["ceterms:description"] == {"en": "Revised."}
    assert credential["ceterms:versionIdentifier"][0]["ceterms:identifierValueCode"] == "2"


def test_a_version_has_its_own_ctdl_record_linked_from_its_pages(client: Client) -> None:
    version = make_published(title="Classroom assessment")
    organisation = version.microcredential.organisation
    path = f"/catalogue/{organisation.slug}/{version.microcredential.slug}/v1/ctdl.json"
    response = client.get(path)
    assert response.status_code == 200
    document = json.loads(response.content)
    ctdl_checks.assert_clean(document)
    assert [item["@type"] for item in document["@graph"][:3]] == [
        "ceterms:CredentialOrganization",
        "ceterms:MicroCredential",
        "ceterms:AssessmentProfile",
    ]
    page = client.get(f"/catalogue/{organisation.slug}/{version.microcredential.slug}/")
    assert path in page.content.decode()
    profile = client.get(f"/orgs/{organisation.slug}/")
    assert f"/orgs/{organisation.slug}/ctdl.json" in profile.content.decode()


def test_drafts_unknown_versions_and_unknown_organisations_have_no_ctdl(client: Client) -> None:
    draft = make_draft(title="Draft only")
    organisation = draft.microcredential.organisation
    assert (
        client.get(
            f"/catalogue/{organisation.slug}/{draft.microcredential.slug}/v1/ctdl.json"
        ).status_code
        == 404
    )
    assert client.get("/orgs/no-such-organisation/ctdl.json").status_code == 404
    for number in ("0", "2", "99999999999999999999"):
        path = f"/catalogue/{organisation.slug}/{draft.microcredential.slug}/v{number}/ctdl.json"
        assert client.get(path).status_code == 404
    assert client.get(f"/catalogue/{organisation.slug}/no-such/v1/ctdl.json").status_code == 404
    assert (
        json.loads(client.get(f"/orgs/{organisation.slug}/ctdl.json").content)["@graph"][0]["@type"]
        == "ceterms:CredentialOrganization"
    )


def test_every_achievement_type_exports_cleanly(client: Client) -> None:
    world = make_world(publish=False)
    for kind in ("Certificate", "Badge", "Certification", "Course", "Module"):
        make_version(world.organisation, achievement_type=kind, participation_form="blended")
    ctdl_checks.assert_clean(get_graph(client, world.organisation.slug))


def test_the_graphs_queries_do_not_grow_with_its_micro_credentials(client: Client) -> None:
    version = make_published(title="Classroom assessment")
    organisation = version.microcredential.organisation
    with CaptureQueriesContext(connection) as few:
        get_graph(client, organisation.slug)
    for number in range(3):
        make_published(organisation, title=f"Assessment design {number}")
    with CaptureQueriesContext(connection) as more:
        document = get_graph(client, organisation.slug)
    # The organisation, then four credentials with assessment, framework and two outcomes.
    assert len(document["@graph"]) == 1 + 4 * 5
    assert len(more.captured_queries) == len(few.captured_queries)


def test_every_form_of_participation_and_organisation_type_has_its_ctdl_concept() -> None:
    """The platform's choices and the mappings to CTDL concepts cannot drift apart."""
    assert set(DELIVERY_TYPES) == set(ParticipationForm.values)
    assert set(ORGANISATION_TYPES) == set(OrganisationType.values) - {OrganisationType.OTHER}
    concepts = {term["@id"] for term in ctdl_checks.schema()["@graph"]}
    assert {*DELIVERY_TYPES.values(), *ORGANISATION_TYPES.values()} <= concepts
