"""CLR 2.0 structure and nested credentials: the 1EdTech validator's CLR fixtures, the
implementation guide's ClrCredential, and bad input."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from microcred.vc.clr import ClrCredential, nested_credentials, validate_clr
from microcred.vc.datamodel import Problem, validate_credential
from microcred.vc.ob3 import validate_ob3
from tests import conformance

FOLDER = "1edtech-validator"
JWS = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl"


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def describe(problems: list[Problem]) -> str:
    return "\n".join(f"{p.severity} {p.code} {p.path}: {p.message}" for p in problems)


def clr20_fixtures() -> list[Any]:
    cases = conformance.cases(FOLDER, "fixtures")
    if not conformance.available():
        return cases
    return [case for case in cases if case["file"].startswith("clr20/")]


@pytest.mark.parametrize("case", clr20_fixtures(), ids=lambda case: case.get("file", "absent"))
def test_1edtech_clr20_fixture(case: dict[str, Any]) -> None:
    """Valid upstream (with or without warnings): no structural error, here or nested."""
    if case["expected"] is None:
        pytest.skip(case["reason"])
    document = conformance.load_json(FOLDER, case["file"])
    problems = validate_credential(document) + validate_clr(document)
    nested = nested_credentials(document)
    assert nested
    for path, credential in nested:
        assert isinstance(credential, dict), path
        problems += validate_credential(credential) + validate_ob3(credential)
    assert not errors(problems), describe(problems)


def test_v1_fixture_warns_about_associations_to_missing_achievements() -> None:
    document = conformance.load_json(FOLDER, "clr20", "simple_v1.json")
    warnings = {(p.code, p.path) for p in validate_clr(document)}
    assert warnings == {
        ("clr.association.unresolved", "$.credentialSubject.association[2].targetId"),
        ("clr.association.unresolved", "$.credentialSubject.association[3].targetId"),
        ("clr.association.unresolved", "$.credentialSubject.association[4].sourceId"),
    }


@pytest.mark.parametrize("name", ["credential.json", "signed-credential.json"])
def test_implementation_guide_clr_is_clean(name: str) -> None:
    document = conformance.load_json("ob3-impl-guide", "clrv2p0", name)
    assert validate_credential(document) + validate_clr(document) == []
    [(path, credential)] = nested_credentials(document)
    assert path == "$.credentialSubject.verifiableCredential[0]"
    assert credential == document["credentialSubject"]["verifiableCredential"][0]
    assert validate_ob3(credential) == []


def test_every_nested_credential_is_returned_with_its_path() -> None:
    document = conformance.load_json(FOLDER, "clr20", "simple_v1.json")
    nested = nested_credentials(document)
    assert [path for path, _ in nested] == [
        f"$.credentialSubject.verifiableCredential[{index}]" for index in range(6)
    ]
    assert [credential["id"] for _, credential in nested] == [
        vc["id"] for vc in document["credentialSubject"]["verifiableCredential"]
    ]


# --- hand-made CLRs -------------------------------------------------------------------------


def achievement(suffix: str) -> dict[str, Any]:
    return {
        "id": f"urn:uuid:achievement-{suffix}",
        "type": "Achievement",
        "name": f"Module {suffix}",
        "description": f"Module {suffix} of the programme.",
        "criteria": {"narrative": "Pass the module."},
    }


def clr() -> dict[str, Any]:
    badge = conformance.load_json("ob3-impl-guide", "obv3p0", "signed-credential.json")
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:clr-1",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": "did:web:uni.example", "type": "Profile"},
        "validFrom": "2026-06-01T00:00:00Z",
        "name": "Transcript",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": "ClrSubject",
            "verifiableCredential": [badge, JWS],
            "achievement": [achievement("a"), achievement("b")],
            "association": [
                {
                    "type": "Association",
                    "associationType": "isPartOf",
                    "sourceId": "urn:uuid:achievement-a",
                    "targetId": "urn:uuid:achievement-b",
                }
            ],
        },
    }


def test_the_hand_made_clr_is_clean() -> None:
    assert validate_clr(clr()) == []


def subject_with(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(clr())
    document["credentialSubject"].update(changes)
    return document


OB3_ONLY_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


@pytest.mark.parametrize(
    ("subject_changes", "changes", "code", "path"),
    [
        (
            {"verifiableCredential": []},
            {},
            "clr.too_few",
            "$.credentialSubject.verifiableCredential",
        ),
        (
            {"verifiableCredential": [42]},
            {},
            "clr.not_credential",
            "$.credentialSubject.verifiableCredential[0]",
        ),
        ({"type": "AchievementSubject"}, {}, "clr.type_value", "$.credentialSubject.type"),
        (
            {"association": {"type": "Association", "associationType": "isPartOf"}},
            {},
            "clr.required",
            "$.credentialSubject.association.sourceId",
        ),
        (
            {"achievement": [{**achievement("a"), "criteria": None}]},
            {},
            "clr.not_object",
            "$.credentialSubject.achievement[0].criteria",
        ),
        ({}, {"type": ["VerifiableCredential"]}, "clr.type_value", "$.type"),
        ({}, {"@context": OB3_ONLY_CONTEXT}, "clr.context.missing", "$['@context']"),
    ],
)
def test_errors_point_at_the_field(
    subject_changes: dict[str, Any], changes: dict[str, Any], code: str, path: str
) -> None:
    document = {**subject_with(**subject_changes), **changes}
    problems = errors(validate_clr(document))
    assert (code, path) in {(p.code, p.path) for p in problems}, describe(problems)


def test_unknown_association_types_and_targets_are_warnings() -> None:
    association = {
        "type": "Association",
        "associationType": "contains",
        "sourceId": "urn:uuid:achievement-a",
        "targetId": "urn:uuid:elsewhere",
    }
    document = subject_with(
        verifiableCredential=[clr()["credentialSubject"]["verifiableCredential"][0]]
    )
    document["credentialSubject"]["association"] = [association]
    problems = validate_clr(document)
    assert {(p.severity, p.code, p.path) for p in problems} == {
        (
            "warning",
            "clr.associationType.unknown",
            "$.credentialSubject.association[0].associationType",
        ),
        ("warning", "clr.association.unresolved", "$.credentialSubject.association[0].targetId"),
    }


def test_achievements_of_nested_credentials_resolve_associations() -> None:
    document = subject_with(
        achievement=[achievement("a")],
        verifiableCredential=[clr()["credentialSubject"]["verifiableCredential"][0]],
    )
    nested_achievement = document["credentialSubject"]["verifiableCredential"][0][
        "credentialSubject"
    ]["achievement"]["id"]
    document["credentialSubject"]["association"][0]["targetId"] = nested_achievement
    assert validate_clr(document) == []


def test_nested_credentials_include_jws_and_enveloped_ones() -> None:
    enveloped = {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "EnvelopedVerifiableCredential",
        "id": f"data:application/vc+jwt,{JWS}",
    }
    cose = {**enveloped, "id": "data:application/vc+cose;base64,2D2Dnw"}
    document = subject_with(verifiableCredential=[JWS, enveloped, cose, 42])
    assert nested_credentials(document) == [
        ("$.credentialSubject.verifiableCredential[0]", JWS),
        ("$.credentialSubject.verifiableCredential[1]", JWS),
        ("$.credentialSubject.verifiableCredential[2]", cose),
    ]
    assert nested_credentials({"credentialSubject": "nobody"}) == []


def test_the_models_give_typed_access() -> None:
    credential = ClrCredential.model_validate(clr())
    assert [a.name for a in credential.credentialSubject.achievement or []] == [
        "Module a",
        "Module b",
    ]
    assert credential.credentialSubject.association[0].associationType == "isPartOf"
