"""The Open Badges 3.0 builders: valid objects out, and a typed error naming the field for a bad
value in. What they build passes 1EdTech's AchievementCredential JSON Schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.vc import ob3_builders as ob3
from microcred.vc.errors import OB3ValueError, StructureError
from microcred.vc.ob3 import validate_ob3
from microcred.vc.statuslist import status_entry
from tests.ob3_schema import schema_errors

ISSUED = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ACHIEVEMENT_ID = "https://example.org/achievements/1"


def issuer() -> dict[str, Any]:
    return ob3.build_profile(
        id="did:web:example.org",
        name="Example University",
        url="https://example.org",
        address=ob3.build_address(country_code="NL", region="Utrecht"),
        other_identifiers=[
            ob3.build_identifier_entry(identifier="NL-123", identifier_type="ext:ErasmusCode")
        ],
    )


def achievement(**changes: Any) -> dict[str, Any]:
    level = ob3.build_rubric_criterion_level(
        id=f"{ACHIEVEMENT_ID}#criterion-1-level-1", name="Sufficient", points="1"
    )
    arguments: dict[str, Any] = {
        "id": ACHIEVEMENT_ID,
        "name": "Data Stewardship",
        "description": "Plans, documents and shares research data responsibly.",
        "criteria_url": "https://example.org/catalogue/data-stewardship/v1/",
        "criteria_narrative": "Submit a data management plan.",
        "creator": issuer(),
        "achievement_type": "MicroCredential",
        "alignments": [
            ob3.build_alignment(
                target_name="EQF level 6",
                target_url="http://data.europa.eu/snb/eqf/6",
                target_framework="European Qualifications Framework",
                target_code="6",
            )
        ],
        "credits_available": 2.0,
        "image": ob3.build_image(id=f"{ACHIEVEMENT_ID}/image", caption="Data Stewardship"),
        "result_descriptions": [
            ob3.build_result_description(
                id=f"{ACHIEVEMENT_ID}#criterion-1",
                name="Data management plan",
                result_type="RubricCriterionLevel",
                rubric_criterion_levels=[level],
                required_level=level["id"],
            )
        ],
        **changes,
    }
    return ob3.build_achievement(**arguments)


def credential(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "id": "https://example.org/credentials/1",
        "name": "Data Stewardship",
        "issuer": issuer(),
        "achievement": achievement(),
        "valid_from": ISSUED,
        "identifiers": [
            ob3.build_email_identity("ada@example.org", salt="pepper"),
            ob3.build_name_identity("Ada Lovelace"),
        ],
        "results": [
            ob3.build_result(
                result_description=f"{ACHIEVEMENT_ID}#criterion-1",
                achieved_level=f"{ACHIEVEMENT_ID}#criterion-1-level-1",
            )
        ],
        "evidence": [
            ob3.build_evidence(id="https://example.org/evidence/1", name="plan.pdf"),
            ob3.build_quality_report_evidence("https://example.org/qa/data-stewardship/v1/"),
        ],
        "credential_status": status_entry(
            list_credential_url="https://example.org/status/suspension-1",
            index=7,
            purpose="suspension",
        ),
        **changes,
    }
    return ob3.build_achievement_credential(**arguments)


def test_a_built_credential_is_open_badges_3_and_passes_the_json_schema() -> None:
    built = credential()
    assert [p for p in validate_ob3(built) if p.severity == "error"] == []
    assert [p.code for p in validate_ob3(built)] == []
    assert schema_errors(built) == []
    assert built["credentialStatus"]["statusPurpose"] == "suspension"
    assert built["validFrom"] == "2026-11-22T12:00:00Z"
    assert built["credentialSubject"]["identifier"][0]["identityHash"] == ob3.identity_hash(
        "ada@example.org", "pepper"
    )
    assert ob3.with_context(built["issuer"])["@context"] == list(ob3.CONTEXTS)


def test_values_not_given_are_left_out() -> None:
    profile = ob3.build_profile(id="did:key:z6Mk", name="Someone", email="", description=None)
    assert profile == {"id": "did:key:z6Mk", "type": ["Profile"], "name": "Someone"}


def test_a_list_of_status_entries_is_refused() -> None:
    entry = status_entry(
        list_credential_url="https://example.org/status/revocation-1", index=1, purpose="revocation"
    )
    with pytest.raises(OB3ValueError) as raised:
        credential(credential_status=[entry, entry])
    assert raised.value.field == "$.credentialStatus"
    assert raised.value.code == "ob3.credentialStatus.not_one"


@pytest.mark.parametrize(
    ("build", "field", "code"),
    [
        (lambda: ob3.build_profile(id="not a uri", name="X"), "$.id", "ob3.not_uri"),
        (
            lambda: ob3.build_profile(id="did:key:z6Mk", name="X", url="example.org"),
            "$.url",
            "ob3.not_uri",
        ),
        (
            lambda: ob3.build_alignment(target_name="Skill", target_url="skill"),
            "$.targetUrl",
            "ob3.not_uri",
        ),
        (
            lambda: ob3.build_alignment(
                target_name="Skill", target_url="https://example.org/s", target_type="Skill"
            ),
            "$.targetType",
            "ob3.targetType.unknown",
        ),
        (lambda: achievement(achievement_type="Nanodegree"), "$.achievementType", None),
        (lambda: achievement(name=None), "$.name", "ob3.required"),
        (
            lambda: achievement(criteria_url=None, criteria_narrative=None),
            "$.criteria",
            "ob3.criteria.empty",
        ),
        (lambda: achievement(credits_available="2"), "$.creditsAvailable", "ob3.not_number"),
        (
            lambda: ob3.build_result_description(
                id=f"{ACHIEVEMENT_ID}#total", name="Total", result_type="Points"
            ),
            "$.resultType",
            "ob3.resultType.unknown",
        ),
        (
            lambda: ob3.build_result_description(
                id=f"{ACHIEVEMENT_ID}#c",
                name="C",
                result_type="RubricCriterionLevel",
                required_level=f"{ACHIEVEMENT_ID}#elsewhere",
            ),
            "$.requiredLevel",
            "ob3.result.requiredLevel",
        ),
        (lambda: ob3.build_result(status="Passed"), "$.status", "ob3.not_in_vocabulary"),
        (lambda: ob3.build_result(value=3), "$.value", "ob3.not_string"),
        (lambda: ob3.build_evidence(name="A file"), "$", "ob3.evidence.empty"),
        (lambda: ob3.build_evidence(id="/relative/path"), "$.id", "ob3.not_uri"),
        (
            lambda: credential(
                results=[ob3.build_result(result_description=f"{ACHIEVEMENT_ID}#nothing")]
            ),
            "$.credentialSubject.result[0].resultDescription",
            "ob3.result.resultDescription",
        ),
        (
            lambda: credential(achievement={"id": ACHIEVEMENT_ID, "type": ["Achievement"]}),
            "$.credentialSubject.achievement.criteria",
            "ob3.required",
        ),
    ],
)
def test_a_wrong_value_is_refused_with_its_field(build, field: str, code: str | None) -> None:
    with pytest.raises(OB3ValueError) as raised:
        build()
    assert raised.value.field == field
    if code is not None:
        assert raised.value.code == code
    assert f"{field}: " in raised.value.message
    assert raised.value.data["problems"][0]["path"] == field
    assert isinstance(raised.value, StructureError)


def test_the_schema_check_checks_formats_and_accepts_only_a_proof_object() -> None:
    """The session-wide check must see a bad date-time (its FormatChecker needs
    rfc3339-validator) and let through only the proof-object conflict."""
    built = credential()
    assert schema_errors({**built, "validFrom": "2026-11-22T12:00:00"}) != []
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}
    assert schema_errors({**built, "proof": proof}) == []
    assert schema_errors({**built, "proof": [proof], "credentialStatus": [{}]}) != []
