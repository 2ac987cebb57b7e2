"""Open Badges 3.0 structure: the 1EdTech validator's fixtures, the implementation guide, bad input.

For each OB 3.0 JSON fixture of the 1EdTech validator, the structure checks the verification
pipeline runs (the VC data model, then Open Badges 3.0) must agree with upstream: a fixture
that upstream rejects for its structure is reported at the field upstream names; any other
fixture has no structural error, unless listed below with the reason.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from microcred.vc.datamodel import Problem, validate_credential
from microcred.vc.ob3 import AchievementCredential, OpenBadgeCredential, validate_ob3
from tests import conformance

FOLDER = "1edtech-validator"

# Upstream probes that judge structure, and the code our checks give the same failure.
PROBE_CODES = {
    "ContextPropertyProbe": "datamodel.context.base",
    "CredentialSubjectProbe": "ob3.type_value",
    "EvidenceProbe": "ob3.type_value",
    "IssuerProbe": "ob3.type_value",
    "JsonSchemaProbe": "ob3.required",
    "TypePropertyProbe": "ob3.type_value",
}

# Where each fixture rejected for its structure breaks the model (from the manifest's reason).
EXPECTED_PATHS = {
    "ob30/simple-err-context.json": "$['@context'][0]",
    "ob30/simple-err-credential-subject-achievement-result-description-type.json": (
        "$.credentialSubject.achievement.resultDescription[2].type"
    ),
    "ob30/simple-err-credential-subject-identifier-type.json": (
        "$.credentialSubject.identifier[0].type"
    ),
    "ob30/simple-err-credential-subject-profile-type.json": "$.credentialSubject.source.type",
    "ob30/simple-err-credential-subject-result-type.json": "$.credentialSubject.result[1].type",
    "ob30/simple-err-credential-subject-type.json": "$.credentialSubject.type",
    "ob30/simple-err-evidence-type.json": "$.evidence[1].type",
    "ob30/simple-err-issuer-otheridentifier-type.json": "$.issuer.otherIdentifier[1].type",
    "ob30/simple-err-issuer-parentorg-type.json": "$.issuer.parentOrg.type",
    "ob30/simple-err-issuer-type.json": "$.issuer.type",
    "ob30/simple-err-issuer.json": "$.issuer",
    "ob30/simple-err-type.json": "$.type",
}

# Fixtures upstream rejects for other reasons that break the OB 3.0 model as well: ours
# reports a structural error that upstream's fail-fast run never reaches.
ALSO_BROKEN = {
    "ob30/simple-err-issued.json": (
        "its subject has no achievement (required); upstream stops earlier, at IssuanceProbe"
    ),
    "ob30/simple-noproof.json": (
        "its subject has no achievement (required); upstream only reports the missing proof"
    ),
    "ob30/complete_v1.json": (
        "its embedded EndorsementCredentials have no id (required); upstream stops at "
        "InlineJsonSchemaProbe"
    ),
}

# Fixtures that must have no problem at all, warnings included.
CLEAN = {"ob30/simple.json", "ob30/complete.json"}


def ob30_json_fixtures() -> list[Any]:
    cases = conformance.cases(FOLDER, "fixtures")
    if not conformance.available():
        return cases
    return [c for c in cases if c["file"].startswith("ob30/") and c["format"] == "json"]


def structure_problems(document: dict[str, Any], inspector: str) -> list[Problem]:
    """Return what the pipeline's structure checks report for a document of that inspector."""
    problems = validate_credential(document)
    if inspector in ("OB30Inspector", "EndorsementInspector"):
        problems += validate_ob3(document)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def describe(problems: list[Problem]) -> str:
    return "\n".join(f"{p.severity} {p.code} {p.path}: {p.message}" for p in problems)


@pytest.mark.parametrize("case", ob30_json_fixtures(), ids=lambda case: case.get("file", "absent"))
def test_1edtech_ob30_fixture(case: dict[str, Any]) -> None:
    if case["expected"] is None:
        pytest.skip(case["reason"])
    problems = structure_problems(conformance.load_json(FOLDER, case["file"]), case["inspector"])
    probe = case.get("upstream_report_assertions", {}).get("probe")
    if case["expected"] == "invalid" and probe in PROBE_CODES:
        assert case["file"] in EXPECTED_PATHS, f"map {case['file']} ({case['reason']})"
        expected = (PROBE_CODES[probe], EXPECTED_PATHS[case["file"]])
        assert expected in {(p.code, p.path) for p in errors(problems)}, describe(problems)
    elif case["file"] in ALSO_BROKEN:
        assert errors(problems), ALSO_BROKEN[case["file"]]
    elif case["file"] in CLEAN:
        assert problems == [], describe(problems)
    else:
        assert not errors(problems), describe(problems)


def test_listed_fixtures_exist() -> None:
    files = {case["file"] for case in conformance.manifest(FOLDER)["fixtures"]}
    assert set(EXPECTED_PATHS) | set(ALSO_BROKEN) | CLEAN <= files


@pytest.mark.parametrize("name", ["credential.json", "signed-credential.json"])
def test_implementation_guide_credential_is_clean(name: str) -> None:
    document = conformance.load_json("ob3-impl-guide", "obv3p0", name)
    assert validate_credential(document) + validate_ob3(document) == []


@pytest.mark.parametrize(
    "case",
    conformance.cases("dcc-fixtures", "credentials"),
    ids=lambda case: case.get("file", "absent"),
)
def test_dcc_open_badges_have_no_structural_error(case: dict[str, Any]) -> None:
    """Only the fixture the DCC names as failing the OB 3.0 JSON Schema has errors."""
    if case["expected"]["overall"] == "unreadable":
        pytest.skip("the upstream file is empty")
    document = conformance.load_json("dcc-fixtures", case["file"])
    if not {"OpenBadgeCredential", "AchievementCredential"} & set(document["type"]):
        pytest.skip("not an Open Badges credential")
    problems = errors(validate_ob3(document))
    if case["expected"].get("ob3_json_schema") == "fails":
        assert problems
    else:
        assert not problems, describe(problems)


# --- hand-made credentials --------------------------------------------------------------------


def badge() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:1e7e2ab4-25e5-4d4a-a7a5-3c0f1ad3f2f1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:uni.example", "type": ["Profile"], "name": "Example University"},
        "validFrom": "2026-03-01T00:00:00Z",
        "name": "Data Literacy",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://uni.example/achievements/data-literacy",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": "Data Literacy",
                "description": "Reads, cleans and charts tabular data.",
                "criteria": {"narrative": "Pass the assessed project."},
                "resultDescription": [
                    {
                        "id": "urn:uuid:rd-grade",
                        "type": ["ResultDescription"],
                        "name": "Project grade",
                        "resultType": "RubricCriterionLevel",
                        "rubricCriterionLevel": [
                            {
                                "id": "urn:uuid:level-merit",
                                "type": ["RubricCriterionLevel"],
                                "name": "Merit",
                            }
                        ],
                    },
                    {
                        "id": "urn:uuid:rd-status",
                        "type": "ResultDescription",
                        "name": "Completion",
                        "resultType": "Status",
                    },
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": "urn:uuid:rd-grade",
                    "achievedLevel": "urn:uuid:level-merit",
                },
                {
                    "type": "Result",
                    "resultDescription": "urn:uuid:rd-status",
                    "status": "Completed",
                },
            ],
        },
        "evidence": {"id": "https://uni.example/evidence/1", "type": "Evidence"},
    }


def changed(path: str, value: Any) -> dict[str, Any]:
    """Return the badge with the value at a dotted path set (``None`` deletes it)."""
    document = copy.deepcopy(badge())
    *parents, last = path.split(".")
    node: Any = document
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    key: Any = int(last) if last.isdigit() else last
    if value is None:
        del node[key]
    else:
        node[key] = value
    return document


def test_the_hand_made_badge_is_clean() -> None:
    assert validate_ob3(badge()) == []


@pytest.mark.parametrize(
    ("path", "value", "code", "json_path"),
    [
        ("type", ["VerifiableCredential"], "ob3.type_value", "$.type"),
        ("issuer.type", "Organization", "ob3.type_value", "$.issuer.type"),
        ("issuer.id", "example university", "ob3.not_uri", "$.issuer.id"),
        (
            "credentialSubject.achievement.criteria",
            None,
            "ob3.required",
            "$.credentialSubject.achievement.criteria",
        ),
        (
            "credentialSubject.achievement.name",
            42,
            "ob3.not_string",
            "$.credentialSubject.achievement.name",
        ),
        (
            "credentialSubject.achievement.creditsAvailable",
            "3",
            "ob3.not_number",
            "$.credentialSubject.achievement.creditsAvailable",
        ),
        (
            "credentialSubject.achievement.image",
            {"id": "https://uni.example/i.png"},
            "ob3.required",
            "$.credentialSubject.achievement.image.type",
        ),
        (
            "credentialSubject.activityStartDate",
            "yesterday",
            "ob3.not_datetime",
            "$.credentialSubject.activityStartDate",
        ),
        (
            "credentialSubject.identifier",
            {
                "type": "IdentityObject",
                "hashed": "true",
                "identityHash": "x",
                "identityType": "emailAddress",
            },
            "ob3.not_boolean",
            "$.credentialSubject.identifier.hashed",
        ),
        (
            "credentialSubject.result.1.status",
            "Passed",
            "ob3.not_in_vocabulary",
            "$.credentialSubject.result[1].status",
        ),
        (
            "credentialSubject.result.0.resultDescription",
            "urn:uuid:nowhere",
            "ob3.result.resultDescription",
            "$.credentialSubject.result[0].resultDescription",
        ),
        (
            "credentialSubject.result.0.achievedLevel",
            "urn:uuid:nowhere",
            "ob3.result.achievedLevel",
            "$.credentialSubject.result[0].achievedLevel",
        ),
        (
            "credentialSubject.result.1.status",
            None,
            "ob3.result.status",
            "$.credentialSubject.result[1].status",
        ),
        ("evidence.type", ["Artifact"], "ob3.type_value", "$.evidence.type"),
        ("validFrom", None, "ob3.valid_from_missing", "$.validFrom"),
        (
            "@context",
            ["https://www.w3.org/ns/credentials/v2"],
            "ob3.context.missing",
            "$['@context']",
        ),
        ("credentialSubject", [{"id": "did:example:a"}], "ob3.not_object", "$.credentialSubject"),
        ("endorsementJwt", ["not a jws"], "ob3.not_jws", "$.endorsementJwt[0]"),
    ],
)
def test_errors_point_at_the_field(path: str, value: Any, code: str, json_path: str) -> None:
    problems = errors(validate_ob3(changed(path, value)))
    assert (code, json_path) in {(p.code, p.path) for p in problems}, describe(problems)


@pytest.mark.parametrize(
    ("path", "value", "code", "json_path"),
    [
        (
            "credentialSubject.achievement.achievementType",
            "Program",
            "ob3.achievementType.unknown",
            "$.credentialSubject.achievement.achievementType",
        ),
        (
            "credentialSubject.achievement.criteria",
            {},
            "ob3.criteria.empty",
            "$.credentialSubject.achievement.criteria",
        ),
        (
            "credentialSubject.achievement.image",
            "https://uni.example/i.png",
            "ob3.image.url",
            "$.credentialSubject.achievement.image",
        ),
        ("credentialSubject.id", None, "ob3.credentialSubject.identity", "$.credentialSubject"),
        ("name", None, "ob3.name.missing", "$.name"),
    ],
)
def test_warnings_do_not_block(path: str, value: Any, code: str, json_path: str) -> None:
    problems = validate_ob3(changed(path, value))
    assert [(p.severity, p.code, p.path) for p in problems] == [("warning", code, json_path)]


def test_warnings_deep_in_arrays_name_their_whole_path() -> None:
    alignment = {"type": ["Alignment"], "targetName": "A", "targetUrl": "https://a.example"}
    odd = {**alignment, "targetType": "Skill", "ext:notes": {"image": "https://n.example/i.png"}}
    problems = validate_ob3(
        changed("credentialSubject.achievement.alignment", [alignment, alignment, odd])
    )
    assert [(p.code, p.path) for p in problems] == [
        ("ob3.targetType.unknown", "$.credentialSubject.achievement.alignment[2].targetType"),
        ("ob3.image.url", "$.credentialSubject.achievement.alignment[2]['ext:notes'].image"),
    ]


def test_extension_terms_and_url_issuers_are_accepted() -> None:
    assert (
        validate_ob3(changed("credentialSubject.achievement.achievementType", "ext:Program")) == []
    )
    assert validate_ob3(changed("issuer", "did:web:uni.example")) == []


def test_a_vc_1_1_badge_does_not_need_valid_from() -> None:
    document = changed("validFrom", None)
    document["@context"][0] = "https://www.w3.org/2018/credentials/v1"
    document["issuanceDate"] = "2026-03-01T00:00:00Z"
    assert validate_ob3(document) == []


def test_nested_endorsements_are_checked_where_they_are() -> None:
    endorsement = {
        "@context": badge()["@context"],
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": "did:web:agency.example",
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Accredited",
        "credentialSubject": {
            "id": "https://uni.example/achievements/data-literacy",
            "type": "EndorsementSubject",
        },
    }
    problems = validate_ob3(changed("credentialSubject.achievement.endorsement", [endorsement]))
    assert [(p.code, p.path) for p in problems] == [
        ("ob3.required", "$.credentialSubject.achievement.endorsement[0].id")
    ]
    assert "EndorsementCredential requires it" in problems[0].message


def test_an_endorsement_credential_is_checked_as_one() -> None:
    document = changed("type", ["VerifiableCredential", "EndorsementCredential"])
    problems = errors(validate_ob3(document))
    assert ("ob3.type_value", "$.credentialSubject.type") in {(p.code, p.path) for p in problems}


def test_messages_are_plain_sentences() -> None:
    document = changed("credentialSubject.achievement", {"type": 5, "criteria": [], "name": None})
    document["issuer"] = 7
    problems = validate_ob3(document)
    assert problems
    for problem in problems:
        assert "Input should" not in problem.message
        assert "Field required" not in problem.message
        assert problem.message.endswith(".")
    assert "issuer must be a URL or a JSON object (Profile)." in [p.message for p in problems]


def test_not_a_json_object() -> None:
    assert [(p.code, p.path) for p in validate_ob3([])] == [("ob3.not_object", "$")]


def test_the_models_give_typed_access_and_keep_extensions() -> None:
    document = badge()
    document["credentialSubject"]["achievement"]["ext:level"] = "EQF 5"
    credential = OpenBadgeCredential.model_validate(document)
    assert OpenBadgeCredential is AchievementCredential
    assert credential.credentialSubject.achievement.name == "Data Literacy"
    assert credential.evidence is not None and credential.evidence[0].type == ["Evidence"]
    assert credential.credentialSubject.achievement.model_extra == {"ext:level": "EQF 5"}
