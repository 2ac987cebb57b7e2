"""CTDL exports of pathways and transfer values use only CTDL terms, where CTDL allows them."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pytest

from microcred.frameworks.credits import SYSTEMS
from microcred.frameworks.ctdl import (
    CONTEXT,
    CREDIT_UNITS,
    Reference,
    ctid,
    pathway_graph,
    transfer_value_profile,
    vocabulary_problems,
)
from microcred.frameworks.pathways import TransferValue, from_badgr, parse_pathway
from tests import conformance
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
