"""ELM exports conform to the EU's shapes (3.1) and schema (3.2); ELM imports read what the EU
writes. The EU's own samples are the positive controls of the checks."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from microcred.frameworks import elm
from tests import conformance
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

__all__ = ["edc_schema", "shacl"]  # fixtures

ESCO = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"
ISSUER = elm.Issuer(
    id="did:web:microcred.example:orgs:lakeside",
    name="Lakeside",
    legal_name="Lakeside University",
    country="IE",
    url="https://lakeside.example",
    email="info@lakeside.example",
    identifiers=(("IE-123", "ext:PIC"),),
    accreditations=(elm.Accreditation("Institutional review", "QQI", "https://qqi.example"),),
)
SPEC = elm.Specification(
    key="0b6c0f5e-1111-4c1c-9d5e-000000000001",
    title="Data Science Foundations",
    description="Statistics and programming for analysing data.",
    homepage="https://microcred.example/catalogue/lakeside/data-science/v1/",
    participation_form="blended",
    supervised=True,
    identity_verification="Photo ID checked by the invigilator",
    assessment_type="Written examination and project",
    quality_assurance="Internal review against the EU Annex I profile",
    outcomes=(
        elm.Outcome("Develop digital content", (elm.Skill(ESCO, "develop digital content"),)),
        elm.Outcome(
            "Explain regression", (elm.Skill("https://onet.example/2.A.1", "Math", "O*NET"),)
        ),
    ),
    languages=("en", "ga"),
    eqf_level=6,
    ects=5.0,
    workload_hours=Decimal("125.5"),
    prerequisites="Secondary school mathematics.",
    grading="Every criterion at Proficient or above.",
    stackability="Counts towards the certificate in data science.",
    modified=datetime(2026, 1, 15, tzinfo=UTC),
)
AWARD = elm.Award(
    key="7d1e2c3b-2222-4c1c-9d5e-000000000002",
    learner_id="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    learner_name="Eva Example",
    issued_at=datetime(2026, 2, 1, 9, 30, tzinfo=UTC),
    valid_until=datetime(2029, 2, 1, tzinfo=UTC),
    grade="Distinction",
    image_png=b"\x89PNG\r\n\x1a\n",
)
NO_LEVEL = elm.Specification(**{**SPEC.__dict__, "eqf_level": None, "ects": None})


def credential(version: elm.Version = "3.1", issuer: elm.Issuer = ISSUER) -> dict[str, Any]:
    return elm.credential_document(AWARD, SPEC, issuer, version=version)


# -- the EU samples: positive controls -------------------------------------------------------


def test_the_signed_eu_sample_conforms(shacl: Shacl) -> None:
    signed = conformance.load_json("elm", "edc-3.1", "Sample-MC-Annex1-signed.jsonld")
    assert shacl.violations(json.loads(signed["payload"])) == set()


def test_the_unsigned_eu_sample_lacks_exactly_what_sealing_adds(shacl: Shacl) -> None:
    unsigned = conformance.load_json("elm", "edc-3.1", "Sample-MC-Annex1-unsigned.jsonld")
    assert shacl.violations(unsigned) == sealing(unsigned)


@pytest.mark.parametrize(
    "name", ["digicomp-generic.json", "microcredential-data-and-software-business.json"]
)
def test_the_ebsi_examples_validate(edc_schema: EdcSchema, name: str) -> None:
    assert edc_schema.errors(conformance.load_json("elm", "ebsi-3.2", "examples", name)) == []


def test_the_versions_are_not_interchangeable(shacl: Shacl, edc_schema: EdcSchema) -> None:
    """A check that accepted anything would accept the other version's document too."""
    assert edc_schema.errors(credential("3.1"))
    example = conformance.load_json(
        "elm", "ebsi-3.2", "examples", "microcredential-data-and-software-business.json"
    )
    assert Violation(example["id"], "https://www.w3.org/2018/credentials#issued") not in (
        shacl.violations({**example, "@context": elm.CONTEXT_31})
    )
    assert shacl.violations({**example, "@context": elm.CONTEXT_31}) - sealing(example)


# -- exports ---------------------------------------------------------------------------------


def test_a_credential_lacks_only_what_sealing_adds(shacl: Shacl) -> None:
    document = credential()
    assert shacl.violations(document) == sealing(document)


def test_with_an_eidas_identifier_a_credential_lacks_only_issued(shacl: Shacl) -> None:
    sealed_issuer = elm.Issuer(**{**ISSUER.__dict__, "eidas_identifier": "IE/IE/123456"})
    document = credential(issuer=sealed_issuer)
    assert shacl.violations(document) == {Violation(document["id"], ISSUED)}
    assert document["issuer"]["eIDASIdentifier"]["notation"] == "IE/IE/123456"


@pytest.mark.parametrize("spec", [SPEC, NO_LEVEL], ids=["qualification", "specification"])
def test_a_specification_conforms(shacl: Shacl, spec: elm.Specification) -> None:
    document = elm.specification_document(spec, ISSUER)
    assert document["type"] == (
        "Qualification" if spec.eqf_level else "LearningAchievementSpecification"
    )
    assert shacl.violations(document) == set()


def test_a_credential_validates_as_elm_32(edc_schema: EdcSchema) -> None:
    document = credential("3.2")
    assert edc_schema.errors(document) == []
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "VerifiableAttestation" in document["type"]


@pytest.mark.parametrize("spec", [SPEC, NO_LEVEL], ids=["qualification", "specification"])
def test_a_specification_validates_as_elm_32(
    edc_schema: EdcSchema, spec: elm.Specification
) -> None:
    document = elm.specification_document(spec, ISSUER, version="3.2")
    assert edc_schema.errors(without_context(document), f"{document['type']}Type") == []


def test_every_annex_i_element_is_in_its_elm_place() -> None:
    document = credential()
    achievement = document["credentialSubject"]["hasClaim"]
    qualification = achievement["specifiedBy"]
    assessment = achievement["provenBy"]
    assert qualification["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert qualification["creditPoint"]["point"] == "5"
    assert qualification["creditPoint"]["framework"]["id"] == elm.ECTS[0]
    assert qualification["volumeOfLearning"] == "PT125H30M"
    assert qualification["mode"]["prefLabel"] == {"en": "Blended"}
    assert qualification["learningSetting"]["inScheme"]["id"] == elm.SETTING_SCHEME
    assert [c["id"] for c in qualification["language"]] == [
        "http://publications.europa.eu/resource/authority/language/ENG",
        "http://publications.europa.eu/resource/authority/language/GLE",
    ]
    assert assessment["idVerification"]["inScheme"]["id"] == elm.SUPERVISION_SCHEME
    assert assessment["idVerification"]["prefLabel"] == {"en": "Supervised with ID verification"}
    assert assessment["grade"]["noteLiteral"] == {"en": "Distinction"}
    proven = qualification["provenBy"]
    assert proven["dcType"]["prefLabel"] == {"en": "Written examination and project"}
    assert proven["gradingScheme"]["description"] == {
        "en": "Every criterion at Proficient or above."
    }
    qa, institutional = qualification["accreditation"]
    assert qa["title"] == {"en": "Internal review against the EU Annex I profile"}
    assert qa["dcType"]["id"] == elm.PROGRAMME_QA[0]
    assert institutional["accreditingAgent"]["legalName"] == {"en": "QQI"}
    esco, other = qualification["learningOutcome"]
    assert esco["relatedESCOSkill"]["id"] == ESCO
    assert other["relatedSkill"]["prefLabel"] == {"en": "Math"}
    assert qualification["entryRequirement"]["noteLiteral"] == {
        "en": "Secondary school mathematics."
    }
    assert document["issuer"]["location"]["address"]["countryCode"]["id"].endswith("/country/IRL")
    assert "issued" not in document
    assert document["expirationDate"] == "2029-02-01T00:00:00Z"


def test_elm_32_writes_arrays_and_language_maps_of_arrays() -> None:
    qualification = credential("3.2")["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    assert qualification["title"] == {"en": ["Data Science Foundations"]}
    assert isinstance(qualification["creditPoint"], list)
    assert "dateModified" in qualification and "modified" not in qualification


def test_a_specification_without_a_level_says_its_quality_assurance_in_a_note() -> None:
    document = elm.specification_document(NO_LEVEL, ISSUER)
    assert "accreditation" not in document and "eqfLevel" not in document
    notes = [note["noteLiteral"]["en"] for note in document["additionalNote"]]
    assert "Quality assurance: Internal review against the EU Annex I profile" in notes


def test_the_uploadable_form_wraps_the_credential_as_the_eu_sample_does() -> None:
    sample = conformance.load_json("elm", "edc-3.1", "Sample-MC-Annex1-unsigned-uploadable.json")
    document = credential()
    upload = elm.uploadable(document)
    assert set(upload) == set(sample) == {"credential"}
    assert upload["credential"] == document
    assert set(sample["credential"]["type"]) == set(upload["credential"]["type"])


def test_an_unknown_version_or_country_is_refused() -> None:
    with pytest.raises(ValueError, match="ELM version"):
        elm.credential_document(AWARD, SPEC, ISSUER, version="4.0")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha-2"):
        credential(issuer=elm.Issuer(**{**ISSUER.__dict__, "country": "XX"}))


# -- removing a required property gives exactly its violation ----------------------------------


def _node(document: dict[str, Any], path: str) -> dict[str, Any]:
    node: Any = document
    for step in filter(None, path.split(".")):
        node = node[int(step)] if step.isdigit() else node[step]
    return node


def _copies(value: Any, node_id: str) -> list[dict[str, Any]]:
    found = []
    if isinstance(value, dict):
        if value.get("id") == node_id:
            found.append(value)
        for item in value.values():
            found.extend(_copies(item, node_id))
    elif isinstance(value, list):
        for item in value:
            found.extend(_copies(item, node_id))
    return found


CLAIM = "credentialSubject.hasClaim"
REQUIRED_31 = [
    ("", "credentialProfiles"),
    ("", "displayParameter"),
    ("", "credentialSchema"),
    ("", "credentialSubject"),
    ("", "validFrom"),
    ("", "issuer"),
    ("issuer", "legalName"),
    ("issuer", "location"),
    ("issuer.location", "address"),
    ("issuer.location.address", "countryCode"),
    ("displayParameter", "title"),
    ("displayParameter", "language"),
    ("displayParameter", "primaryLanguage"),
    ("displayParameter", "individualDisplay"),
    ("displayParameter.individualDisplay.displayDetail", "image"),
    ("displayParameter.individualDisplay.displayDetail", "page"),
    ("credentialSubject", "hasClaim"),
    (CLAIM, "title"),
    (CLAIM, "awardedBy"),
    (f"{CLAIM}.awardedBy", "awardingBody"),
    (f"{CLAIM}.provenBy", "title"),
    (f"{CLAIM}.provenBy", "grade"),
    (f"{CLAIM}.provenBy.grade", "noteLiteral"),
    (f"{CLAIM}.provenBy.specifiedBy", "title"),
    (f"{CLAIM}.provenBy.specifiedBy.gradingScheme", "title"),
    (f"{CLAIM}.specifiedBy", "title"),
    (f"{CLAIM}.specifiedBy.creditPoint", "framework"),
    (f"{CLAIM}.specifiedBy.creditPoint", "point"),
    (f"{CLAIM}.specifiedBy.learningOutcome.0", "title"),
    (f"{CLAIM}.specifiedBy.accreditation.0", "title"),
    (f"{CLAIM}.specifiedBy.accreditation.0", "accreditingAgent"),
    (f"{CLAIM}.specifiedBy.accreditation.0", "dcType"),
]


@pytest.mark.parametrize(
    ("path", "term"), REQUIRED_31, ids=[f"{p or '$'}.{t}" for p, t in REQUIRED_31]
)
def test_removing_a_required_property_gives_exactly_its_violation(
    shacl: Shacl, path: str, term: str
) -> None:
    """The same node may be written in several places (the issuer is also the awarding
    body): the property goes from every copy."""
    document = copy.deepcopy(credential())
    unsealed = sealing(document)
    node = _node(document, path)
    for copy_of_node in _copies(document, node["id"]):
        copy_of_node.pop(term, None)
    found = shacl.violations(document) - unsealed
    assert found == {Violation(node["id"], shacl.iri(term))}


REQUIRED_32 = [
    "credentialProfiles",
    "displayParameter",
    "issuer",
    "credentialSubject",
    "issued",
    "validFrom",
    "credentialSchema",
]


@pytest.mark.parametrize("term", REQUIRED_32)
def test_removing_a_required_property_fails_the_32_schema_on_it(
    edc_schema: EdcSchema, term: str
) -> None:
    document = credential("3.2")
    del document[term]
    # The EBSI attestation schema requires some of them too: the same error, twice.
    assert set(edc_schema.errors(document)) == {f"$: '{term}' is a required property"}


# -- imports ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ("edc-3.1", "Sample-MC-Annex1-unsigned.jsonld"),
        ("edc-3.1", "Sample-MC-Annex1-unsigned-uploadable.json"),
    ],
    ids=["edc", "uploadable"],
)
def test_the_eu_sample_is_read(parts: tuple[str, str]) -> None:
    read = elm.read_specification(conformance.load_json("elm", *parts))
    assert read.title == "Digital micro-credential creation"
    assert read.eqf_level == 6 and read.ects == 2.0 and read.workload_hours == Decimal("60")
    assert read.participation_form == "blended" and read.languages == ("en",)
    assert [o.text for o in read.outcomes] == [
        "Communication, collaboration and creativity",
        "Developing digital content",
    ]
    assert read.outcomes[0].skills[0].framework == "ESCO"
    assert read.prerequisites.startswith("The learner needs")
    assert read.version == "3.1"


def test_an_ebsi_32_credential_is_read() -> None:
    document = conformance.load_json(
        "elm", "ebsi-3.2", "examples", "microcredential-data-and-software-business.json"
    )
    read = elm.read_specification(document)
    assert read.title == "Data and software business" and read.ects == 5.0
    assert read.version == "3.2" and len(read.outcomes) == 3


@pytest.mark.parametrize("version", elm.VERSIONS)
def test_an_export_reads_back(version: elm.Version) -> None:
    for document in (
        credential(version),
        elm.specification_document(SPEC, ISSUER, version=version),
    ):
        read = elm.read_specification(document)
        assert (read.title, read.eqf_level, read.ects) == (SPEC.title, 6, 5.0)
        assert read.workload_hours == Decimal("125.5")
        assert read.languages == ("en", "ga")
        assert read.participation_form == "blended"
        assert read.assessment_type == SPEC.assessment_type
        assert read.quality_assurance.startswith(SPEC.quality_assurance)
        assert [o.text for o in read.outcomes] == [o.text for o in SPEC.outcomes]


BAD = [
    ([], "$", "JSON object"),
    ({"credential": "x"}, "$.credential", "not a JSON object"),
    ({"type": "Badge", "title": {"en": "x"}}, "$.type", "Expected a Qualification"),
    ({"type": "Qualification"}, "$.title", "no title"),
    ({"type": "Qualification", "title": "x"}, "$.title", "language map"),
    ({"type": "Qualification", "title": {"en": 3}}, "$.title.en", "not a string"),
    (
        {
            "type": "Qualification",
            "title": {"en": "x"},
            "eqfLevel": {"id": "http://data.europa.eu/snb/eqf/9"},
        },
        "$.eqfLevel",
        "EQF",
    ),
    (
        {"type": "Qualification", "title": {"en": "x"}, "volumeOfLearning": "60 hours"},
        "$.volumeOfLearning",
        "ISO 8601",
    ),
    (
        {
            "type": "Qualification",
            "title": {"en": "x"},
            "creditPoint": {"framework": {"id": elm.ECTS[0]}, "point": "lots"},
        },
        "$.creditPoint[0].point",
        "not a number",
    ),
    (
        {"type": "Qualification", "title": {"en": "x"}, "learningOutcome": [{"title": {}}]},
        "$.learningOutcome[0].title",
        "language map",
    ),
    (
        {"type": ["VerifiableCredential", "EuropeanDigitalCredential"], "credentialSubject": {}},
        "$.credentialSubject.hasClaim",
        "no claim",
    ),
]


@pytest.mark.parametrize(("document", "field", "words"), BAD, ids=[b[1] + " " + b[2] for b in BAD])
def test_a_bad_document_is_refused_naming_the_place(document: Any, field: str, words: str) -> None:
    with pytest.raises(elm.ElmError, match=words) as caught:
        elm.read_specification(document)
    assert caught.value.field == field
