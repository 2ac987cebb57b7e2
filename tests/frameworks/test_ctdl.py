"""CTDL exports of pathways and transfer values use only CTDL terms, where CTDL allows them."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from microcred.frameworks.credits import SYSTEMS
from microcred.frameworks.ctdl import (
    CONTEXT,
    CREDIT_UNITS,
    CredentialRecord,
    OrganisationRecord,
    Outcome,
    Reference,
    assessment_method_types,
    credential_class,
    credential_resources,
    ctid,
    graph,
    organisation_node,
    pathway_graph,
    transfer_value_profile,
    vocabulary_problems,
)
from microcred.frameworks.pathways import TransferValue, from_badgr, parse_pathway
from tests import conformance, ctdl_checks
from tests.frameworks.badgr_pathway import EXPORT
from tests.frameworks.test_pathways import FULL

PATHWAY_URL = "https://microcred.example/orgs/uni/pathways/data-analyst"
OWNER = "https://microcred.example/orgs/uni"
TARGET = Reference(
    "https://microcred.example/achievements/0b6c", "Data Analyst", "ceterms:MicroCredential"
)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return conformance.load_json("ctdl", "ctdl", "schema.json")


def export(rules: dict[str, Any] = FULL) -> dict[str, Any]:
    return pathway_graph(
        url=PATHWAY_URL,
        name="Data Analyst",
        rule=parse_pathway(rules),
        destination=TARGET,
        owner=OWNER,
        description="Foundations, methods and electives.",
    )


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["@id"]: item for item in document["@graph"]}


def test_ctids_are_stable_uuid5s_of_the_url() -> None:
    assert ctid(PATHWAY_URL) == ctid(PATHWAY_URL)
    assert ctid(PATHWAY_URL) != ctid(f"{PATHWAY_URL}#core")
    assert re.fullmatch(
        r"ce-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", ctid(PATHWAY_URL)
    )


def test_a_pathway_exports_with_its_destination_components_and_conditions(schema) -> None:
    document = export()
    assert document["@context"] == CONTEXT
    assert vocabulary_problems(document, schema) == []
    nodes = by_id(document)
    pathway = nodes[PATHWAY_URL]
    assert pathway["@type"] == "ceterms:Pathway"
    assert pathway["ceterms:ctid"] == ctid(PATHWAY_URL)
    assert pathway["ceterms:ownedBy"] == [OWNER]
    destination = nodes[f"{PATHWAY_URL}#destination"]
    assert pathway["ceterms:hasDestinationComponent"] == [destination["@id"]]
    assert destination["ceterms:proxyFor"] == TARGET.url
    assert destination["ceterms:credentialType"] == "ceterms:MicroCredential"
    components = [
        f"{PATHWAY_URL}#{key}"
        for key in ("stats", "viz", "core-exam", "sql", "python", "ethics", "cloud")
    ]
    assert destination["ceasn:hasChild"] == components
    assert pathway["ceterms:hasPart"] == [destination["@id"], *components]
    stats = nodes[f"{PATHWAY_URL}#stats"]
    assert stats["ceterms:proxyFor"] == "urn:achievement:stats"
    assert stats["ceterms:credentialType"] == "ceterms:OpenBadge"
    assert stats["ceterms:pointValue"] == [
        {
            "@type": "ceterms:ValueProfile",
            "ceterms:creditUnitType": ["creditUnit:DegreeCredit"],
            "schema:value": 5,
            "schema:description": {"en": "ECTS credits"},
        }
    ]

    [root] = destination["ceterms:hasCondition"]
    assert root["ceterms:name"] == {"en": "Data Analyst"}
    assert root["ceterms:requiredNumber"] == 3
    assert "ceterms:targetComponent" not in root
    # The root's constraints that CTDL has no term for are said in words.
    assert root["ceterms:description"]["en"] == (
        "All 3. Each with a Status of Completed or better. Earned within the last 60 months."
    )
    core_or_exam, methods, electives = root["ceterms:hasCondition"]
    assert core_or_exam["ceterms:requiredNumber"] == 1
    assert core_or_exam["ceterms:targetComponent"] == [f"{PATHWAY_URL}#core-exam"]
    [core] = core_or_exam["ceterms:hasCondition"]
    assert core["ceterms:requiredNumber"] == 2
    assert core["ceterms:targetComponent"] == [f"{PATHWAY_URL}#stats", f"{PATHWAY_URL}#viz"]
    assert methods["ceterms:requiredNumber"] == 1
    assert methods["ceterms:description"]["en"] == "At least 1 of 2. Each at EQF level 5 or higher."
    assert "ceterms:requiredNumber" not in electives
    assert electives["ceterms:requiredConstraints"] == 1
    assert electives["ceterms:hasConstraint"] == [
        {
            "@type": "ceterms:Constraint",
            "ceterms:name": {"en": "At least 10 ECTS credits"},
            "ceterms:leftSource": ["ceterms:pointValue"],
            "ceterms:comparator": "compare:GTEQ",
            "ceterms:rightSource": ["10"],
        }
    ]


def test_a_converted_badgr_pathway_exports_cleanly(schema) -> None:
    assert vocabulary_problems(export(from_badgr(EXPORT)), schema) == []


def test_every_credit_system_and_credential_class_is_a_ctdl_term(schema) -> None:
    assert set(CREDIT_UNITS) == set(SYSTEMS)
    children = [
        {
            "kind": "component",
            "key": f"c{index}",
            "name": kind,
            "achievement": f"urn:achievement:{index}",
            "achievementType": kind,
            "credits": {system: 1 for system in SYSTEMS},
        }
        for index, kind in enumerate(
            [
                "MicroCredential",
                "Certificate",
                "Badge",
                "Course",
                "MasterDegree",
                "License",
                "Diploma",
            ]
        )
    ]
    rules = {
        "kind": "group",
        "key": "g",
        "name": "G",
        "require": {"atLeast": 1},
        "children": children,
    }
    document = export(rules)
    assert vocabulary_problems(document, schema) == []
    types = [item.get("ceterms:credentialType") for item in document["@graph"][2:]]
    assert types == [
        "ceterms:MicroCredential",
        "ceterms:Certificate",
        "ceterms:OpenBadge",
        "ceterms:OpenBadge",
        "ceterms:MasterDegree",
        "ceterms:License",
        "ceterms:Diploma",
    ]


def test_a_transfer_value_exports_as_a_profile(schema) -> None:
    source = Reference("https://other.example/achievements/stat101", "STAT 101")
    url = "https://microcred.example/orgs/uni/transfer-values/stat101"
    document = transfer_value_profile(
        url=url,
        name="STAT 101 towards Data Analyst",
        transfer=TransferValue(
            achievement=source.url, counts_as=("stats",), credits={"ECTS": 5, "HOURS": 140}
        ),
        source=source,
        targets=[TARGET],
        owner=OWNER,
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
    )
    assert vocabulary_problems(document, schema) == []
    [profile] = document["@graph"]
    assert profile["@type"] == "ceterms:TransferValueProfile"
    assert profile["ceterms:ctid"] == ctid(url)
    assert profile["ceterms:startDate"] == "2026-01-01"
    assert [value["schema:value"] for value in profile["ceterms:transferValue"]] == [5, 140]
    assert [value["ceterms:creditUnitType"] for value in profile["ceterms:transferValue"]] == [
        ["creditUnit:DegreeCredit"],
        ["creditUnit:ClockHour"],
    ]
    assert profile["ceterms:transferValueFrom"] == [
        {"@id": source.url, "@type": "ceterms:OpenBadge", "ceterms:name": {"en": "STAT 101"}}
    ]
    assert profile["ceterms:transferValueFor"][0]["@type"] == "ceterms:MicroCredential"
    assert "ceterms:description" not in profile


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (
            lambda nodes: nodes[0].update({"ceterms:pathwayColour": "blue"}),
            "@graph[0].ceterms:pathwayColour: unknown property 'ceterms:pathwayColour'",
        ),
        (
            lambda nodes: nodes[0].update({"ceterms:requiredNumber": 2}),
            "@graph[0].ceterms:requiredNumber: "
            "ceterms:requiredNumber is not a property of ceterms:Pathway",
        ),
        (
            lambda nodes: nodes[0].update({"@type": "ceterms:Pathwy"}),
            "@graph[0].@type: unknown class 'ceterms:Pathwy'",
        ),
        (
            lambda nodes: nodes[1]["ceterms:hasCondition"][0]["ceterms:hasCondition"][2][
                "ceterms:hasConstraint"
            ][0].update({"ceterms:comparator": "compare:AtLeast"}),
            "@graph[1].ceterms:hasCondition[0].ceterms:hasCondition[2]"
            ".ceterms:hasConstraint[0].ceterms:comparator: unknown term 'compare:AtLeast'",
        ),
        (
            lambda nodes: nodes[2].update({"ceterms:transferValue": []}),
            "@graph[2].ceterms:transferValue: "
            "ceterms:transferValue is not a property of ceterms:CredentialComponent",
        ),
    ],
)
def test_a_wrong_term_or_domain_is_reported(schema, spoil, problem: str) -> None:
    document = copy.deepcopy(export())
    spoil(document["@graph"])
    assert vocabulary_problems(document, schema) == [problem]


def test_a_subclass_is_in_the_domain_of_its_superclass() -> None:
    schema = {
        "@graph": [
            {"@id": "ex:Thing", "@type": "rdfs:Class"},
            {"@id": "ex:Part", "@type": "rdfs:Class", "rdfs:subClassOf": ["ex:Thing"]},
            {"@id": "ex:Other", "@type": "rdfs:Class"},
            {"@id": "ex:size", "@type": "rdf:Property", "schema:domainIncludes": ["ex:Thing"]},
        ]
    }
    assert vocabulary_problems({"@type": "ex:Part", "ex:size": 3}, schema) == []
    assert vocabulary_problems({"@type": "ex:Other", "ex:size": 3}, schema) == [
        "$.ex:size: ex:size is not a property of ex:Other"
    ]


ORGANISATION = OrganisationRecord(
    url=OWNER,
    name="University of Example",
    country="NL",
    type="university",
    email="registry@uni.example",
    region="Utrecht",
)
CREDENTIAL = CredentialRecord(
    url="https://microcred.example/catalogue/uni/data-stewardship/",
    webpage="https://microcred.example/catalogue/uni/data-stewardship/v2/",
    achievement="https://microcred.example/achievements/5b1e",
    name="Data Stewardship",
    version=2,
    achievement_type="MicroCredential",
    assessment="A written exam and a data management plan.",
    participation_form="blended",
    criteria="Pass the exam and submit a plan that meets the rubric.",
    description="Plans, documents and shares research data.",
    published=date(2026, 3, 1),
    languages=("en", "nl"),
    keywords=("data", "research"),
    credits={"ECTS": 2, "HOURS": 55},
    outcomes=(
        Outcome("Write a data management plan", (("http://data.europa.eu/esco/skill/1", "x"),)),
        Outcome("Share data under a licence"),
    ),
)


def organisation_graph(credential: CredentialRecord = CREDENTIAL) -> dict[str, Any]:
    resources = credential_resources(credential, owner=OWNER)
    owner = organisation_node(ORGANISATION, owns=[credential.url], offers=[credential.url])
    return graph(f"{OWNER}ctdl.json", [owner, *resources])


def test_an_organisation_and_its_micro_credential_export_as_clean_ctdl() -> None:
    document = organisation_graph()
    ctdl_checks.assert_clean(document)
    nodes = by_id(document)
    owner = nodes[OWNER]
    assert owner["@type"] == "ceterms:CredentialOrganization"
    assert owner["ceterms:agentType"][0]["ceterms:targetNode"] == "orgType:Postsecondary"
    assert owner["ceterms:owns"] == owner["ceterms:offers"] == [CREDENTIAL.url]
    credential = nodes[CREDENTIAL.url]
    assert credential["@type"] == "ceterms:MicroCredential"
    assert credential["ceterms:ctid"] == ctid(CREDENTIAL.url)
    assert credential["ceterms:learningDeliveryType"][0]["ceterms:targetNode"] == (
        "deliveryType:BlendedDelivery"
    )
    [requirements] = credential["ceterms:requires"]
    assert [value["schema:value"] for value in requirements["ceterms:creditValue"]] == [2, 55]
    assessment = nodes[f"{CREDENTIAL.url}#assessment"]
    assert requirements["ceterms:targetAssessment"] == [assessment["@id"]]
    assert [item["ceterms:targetNode"] for item in assessment["ceterms:assessmentMethodType"]] == [
        "assessMethod:Exam",
        "assessMethod:Artifact",
    ]
    assert assessment["ceterms:deliveryType"][0]["ceterms:targetNode"] == (
        "deliveryType:BlendedDelivery"
    )
    framework = nodes[f"{CREDENTIAL.url}#outcomes"]
    assert framework["@type"] == "ceasn:CompetencyFramework"
    first, second = (nodes[item] for item in framework["ceasn:hasTopChild"])
    assert first["ceasn:competencyText"] == {"en": "Write a data management plan"}
    assert first["ceasn:skillEmbodied"] == ["http://data.europa.eu/esco/skill/1"]
    assert "ceasn:skillEmbodied" not in second
    assert [item["ceterms:targetNode"] for item in requirements["ceterms:targetCompetency"]] == [
        first["@id"],
        second["@id"],
    ]
    assert assessment["ceterms:assesses"] == [first["@id"], second["@id"]]


@pytest.mark.parametrize(
    ("kind", "ctdl_class"),
    [
        ("MicroCredential", "ceterms:MicroCredential"),
        ("Certificate", "ceterms:Certificate"),
        ("Certification", "ceterms:Certification"),
        ("Badge", "ceterms:OpenBadge"),
        ("Course", "ceterms:MicroCredential"),
        ("AssessmentResult", "ceterms:MicroCredential"),
    ],
)
def test_each_achievement_type_is_a_ctdl_class_its_terms_allow(kind: str, ctdl_class: str) -> None:
    assert credential_class(kind) == ctdl_class
    document = organisation_graph(replace(CREDENTIAL, achievement_type=kind))
    assert by_id(document)[CREDENTIAL.url]["@type"] == ctdl_class
    ctdl_checks.assert_clean(document)


@pytest.mark.parametrize(
    ("assessment", "methods"),
    [
        ("Written examination.", ["assessMethod:Exam"]),
        ("A portfolio of three lessons.", ["assessMethod:PortfolioEvaluation"]),
        ("An observed practical session.", ["assessMethod:Performance"]),
        ("A project report.", ["assessMethod:Artifact"]),
        ("Marked against the rubric.", ["assessMethod:Artifact"]),
        # Words are matched from their start: "attested" names no test.
        ("Attested work experience.", ["assessMethod:Artifact"]),
        ("Exam, then an oral presentation.", ["assessMethod:Exam", "assessMethod:Performance"]),
    ],
)
def test_assessment_methods_are_read_from_the_description(
    assessment: str, methods: list[str]
) -> None:
    assert assessment_method_types(assessment) == methods


def test_a_term_the_context_does_not_define_is_caught_by_the_expansion_count() -> None:
    """The negative control of the expansion check: a term without a CTDL prefix is dropped."""
    document = copy.deepcopy(organisation_graph())
    document["@graph"][1]["colour"] = "blue"
    assert ctdl_checks.expanded_terms(ctdl_checks.expand(document)) == (
        ctdl_checks.compact_terms(document) - 1
    )


def test_a_prefix_the_context_does_not_define_is_caught_after_expansion() -> None:
    """The other negative control: the term is kept, but its value is no web address."""
    document = copy.deepcopy(organisation_graph())
    framework = next(i for i in document["@graph"] if i["@type"] == "ceasn:CompetencyFramework")
    framework["ceasn:publisher"] = ["publicationStatus:Published"]
    assert ctdl_checks.unexpanded_iris(ctdl_checks.expand(document)) == {
        "publicationStatus:Published"
    }
