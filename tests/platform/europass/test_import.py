"""An uploaded ELM document starts a draft micro-credential; a bad upload is refused, saying why."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.catalogue import services as catalogue
from microcred.catalogue.models import MicroCredentialVersion
from microcred.errors import Forbidden, InvalidInput, NotFound
from microcred.europass import services
from microcred.organisations.models import Role
from tests import conformance
from tests.platform.api import Api
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import add_member, make_organisation, make_user


def designer_of(organisation):
    return add_member(organisation, make_user(), Role.DESIGNER)


def upload(client: Client, organisation, data: bytes, name: str = "edc.jsonld"):
    return client.post(
        f"/studio/orgs/{organisation.slug}/europass/import",
        {"file": SimpleUploadedFile(name, data, content_type="application/json")},
    )


def test_the_eu_sample_becomes_a_draft(client: Client) -> None:
    organisation = make_organisation()
    client.force_login(designer_of(organisation))
    assert client.get(f"/studio/orgs/{organisation.slug}/europass/import").status_code == 200
    sample = conformance.path("elm", "edc-3.1", "Sample-MC-Annex1-unsigned-uploadable.json")
    response = upload(client, organisation, sample.read_bytes())
    assert response.status_code == 302, response.content[:500]
    draft = MicroCredentialVersion.objects.get(microcredential__organisation=organisation)
    assert response["Location"] == (
        f"/studio/orgs/{organisation.slug}/credentials/{draft.microcredential.slug}/v1/"
    )
    assert draft.status == "draft" and draft.title == "Digital micro-credential creation"
    assert draft.eqf_level == 6 and draft.workload_hours == Decimal("60.0")
    assert draft.participation_form == "blended" and draft.languages == ["en"]
    assert catalogue.ects_of(draft) == 2.0
    outcomes = catalogue.get_outcomes(draft)
    assert [o.text for o in outcomes] == [
        "Communication, collaboration and creativity",
        "Developing digital content",
    ]
    # The digital-competence framework's skills are kept; ESCO ones the platform knows too.
    uris = {a.uri for a in outcomes[1].alignments.all()}
    assert "http://data.europa.eu/snb/dcf/u69o196gu6" in uris


def test_an_export_reads_back_into_a_draft(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version)
    exported = client.get(f"/credentials/{award.uuid}.elm.json").content
    imported = services.import_specification(
        actor=designer_of(organisation), organisation_slug=organisation.slug, data=exported
    )
    draft = imported.draft
    assert draft.title == version.title and draft.eqf_level == version.eqf_level
    assert draft.workload_hours == version.workload_hours
    assert draft.assessment_type == version.assessment_type
    assert draft.quality_assurance.startswith(version.quality_assurance)
    assert [o.text for o in catalogue.get_outcomes(draft)] == [
        o.text for o in catalogue.get_outcomes(version)
    ]
    assert imported.left_out == []


def test_unknown_esco_skills_are_left_out_and_named() -> None:
    organisation = make_organisation()
    document = {
        "type": "LearningAchievementSpecification",
        "title": {"en": "Marine biology"},
        "learningOutcome": {
            "type": "LearningOutcome",
            "title": {"en": "Identify plankton"},
            "relatedESCOSkill": {
                "id": "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000",
                "prefLabel": {"en": "a skill nobody knows"},
            },
        },
    }
    imported = services.import_specification(
        actor=designer_of(organisation),
        organisation_slug=organisation.slug,
        data=json.dumps(document).encode(),
    )
    assert imported.left_out == [
        "ESCO skill a skill nobody knows "
        "(http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000), not known here"
    ]
    assert catalogue.get_outcomes(imported.draft)[0].alignments.count() == 0


NESTED = b"[" * 150 + b"]" * 150
BAD = [
    (b"x" * (services.MAX_UPLOAD_BYTES + 1), "at most 2,097,152 bytes"),
    (b"\x89PNG\r\n", "not JSON"),
    (b"{not json", "not JSON"),
    (NESTED, "levels deep"),
    (b'{"type": "OpenBadgeCredential", "title": {"en": "x"}}', "Expected a Qualification"),
    (b'{"type": "Qualification", "title": "no language"}', "$.title"),
    (b'{"type": "Qualification", "title": {"en": "x"}, "volumeOfLearning": "a lot"}', "ISO 8601"),
]


@pytest.mark.parametrize(("data", "words"), BAD, ids=[words for _, words in BAD])
def test_a_bad_upload_is_refused_on_the_page_and_changes_nothing(
    client: Client, data: bytes, words: str
) -> None:
    organisation = make_organisation()
    client.force_login(designer_of(organisation))
    response = upload(client, organisation, data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not MicroCredentialVersion.objects.filter(
        microcredential__organisation=organisation
    ).exists()


@pytest.mark.parametrize(("data", "words"), BAD, ids=[words for _, words in BAD])
def test_a_bad_upload_is_refused_by_the_service(data: bytes, words: str) -> None:
    organisation = make_organisation()
    with pytest.raises(InvalidInput, match=words.replace("$", r"\$")) as caught:
        services.import_specification(
            actor=designer_of(organisation), organisation_slug=organisation.slug, data=data
        )
    assert caught.value.field == "file"


def test_only_designers_of_the_organisation_may_import() -> None:
    organisation = make_organisation()
    sample = conformance.path("elm", "edc-3.1", "Sample-MC-Annex1-unsigned.jsonld").read_bytes()
    assessor = add_member(organisation, make_user(), Role.ASSESSOR)
    with pytest.raises(Forbidden):
        services.import_specification(
            actor=assessor, organisation_slug=organisation.slug, data=sample
        )
    with pytest.raises(NotFound):
        services.import_specification(
            actor=designer_of(make_organisation()), organisation_slug=organisation.slug, data=sample
        )


def test_the_api_imports_an_elm_document(client: Client) -> None:
    organisation = make_organisation()
    api = Api(client, designer_of(organisation))
    document = conformance.load_json("elm", "ebsi-3.2", "examples", "digicomp-generic.json")
    response = api("POST", f"/orgs/{organisation.slug}/elm-imports", document)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Title of Achievement" and body["status"] == "draft"
    assert body["number"] == 1 and body["left_out"] == []
    draft = catalogue.get_versions(
        catalogue.access_microcredential(
            organisation.memberships.get(role="owner").user, organisation.slug, body["slug"]
        )
    )[0]
    assert draft.eqf_level == 5


def test_the_api_refuses_a_bad_body_with_the_error_shape(client: Client) -> None:
    organisation = make_organisation()
    api = Api(client, designer_of(organisation))
    path = f"/api/v1/orgs/{organisation.slug}/elm-imports"
    response = api("POST", f"/orgs/{organisation.slug}/elm-imports", {"type": "Badge"})
    assert response.status_code == 422
    assert response.json()["field"] == "file" and "Qualification" in response.json()["message"]
    response = client.post(path, b"<xml/>", content_type="application/xml", headers=api.headers)
    assert response.status_code == 422 and response.json()["field"] == "Content-Type"
    big = b" " * (services.MAX_UPLOAD_BYTES + 1)
    response = client.post(path, big, content_type="application/json", headers=api.headers)
    assert response.status_code == 413 and response.json()["data"]["limit"] == 2 * 1024 * 1024
