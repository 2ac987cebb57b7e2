"""A version as an Open Badges 3.0 Achievement: valid OB 3.0, no undefined JSON-LD term."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion
from microcred.organisations import services as organisations
from microcred.vc.ob3 import OB3_CONTEXT, validate_ob3
from microcred.vc.rdfc import canonicalize
from tests.platform.catalogue.factories import ESCO_ASSESS_STUDENTS, make_draft, make_published

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# Terms the VC 2.0 context does not define expand under its @vocab to this namespace.
UNDEFINED_TERM_NAMESPACE = "https://www.w3.org/ns/credentials/issuer-dependent#"


def credential_with(achievement: dict[str, Any], issuer: dict[str, Any]) -> dict[str, Any]:
    """The smallest OpenBadgeCredential that carries ``achievement``."""
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": "urn:uuid:2f1a3b1e-4d8f-4f4e-9c1e-3d2f1a0b9c8d",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": achievement,
        },
    }


def versions() -> dict[str, MicroCredentialVersion]:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    return {
        "complete": make_published(image=SimpleUploadedFile("badge.png", png)),
        # Without a rubric it cannot pass quality assurance, so it stays a draft.
        "minimal": make_draft(
            eqf_level=None,
            credits={},
            languages=[],
            tags=[],
            rubric=None,
            outcomes=["Explain the purpose of assessment"],
            description="",
            criteria="",
            field_of_study="",
        ),
        "total points": make_published(
            rubric={
                "pass_rule": "At least 3 points.",
                "pass_points": 3,
                "criteria": [
                    {
                        "name": "Design",
                        "outcomes": [1, 2],
                        "levels": [{"name": "Good", "points": 3, "description": "Valid and fair."}],
                    }
                ],
            }
        ),
    }


@pytest.mark.parametrize("kind", ["complete", "minimal", "total points"])
def test_the_achievement_is_valid_ob3_and_canonicalizes_with_no_undefined_term(kind: str) -> None:
    version = versions()[kind]
    organisation = version.microcredential.organisation
    credential = credential_with(
        services.get_achievement(version), organisations.get_profile(organisation, embedded=True)
    )
    assert [problem.as_dict() for problem in validate_ob3(credential)] == []
    nquads = canonicalize(credential)
    assert UNDEFINED_TERM_NAMESPACE not in nquads
    assert services.achievement_id(version) in nquads


def test_the_achievement_carries_the_version() -> None:
    version = versions()["complete"]
    organisation = version.microcredential.organisation
    achievement = services.get_achievement(version)
    identifier = f"https://microcred.test/achievements/{version.achievement_uuid}"
    assert achievement["id"] == identifier
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == "Classroom assessment"
    assert achievement["creator"] == organisations.get_profile(organisation, embedded=True)
    assert achievement["creator"]["id"] == organisations.organisation_did(organisation)
    assert achievement["criteria"]["id"] == (
        f"https://microcred.test/catalogue/{organisation.slug}/classroom-assessment/v1/"
    )
    narrative = achievement["criteria"]["narrative"]
    assert "1. Design classroom assessments" in narrative
    assert "- Type of quality assurance: Internal quality assurance" in narrative
    assert "- Notional workload: 55 hours of learning (2 ECTS credits)" in narrative
    esco, eqf = achievement["alignment"]
    assert esco == {
        "type": ["Alignment"],
        "targetName": "assess students",
        "targetUrl": ESCO_ASSESS_STUDENTS,
        "targetFramework": "ESCO",
        "targetType": "ceasn:Competency",
        "targetCode": ESCO_ASSESS_STUDENTS.rsplit("/", 1)[-1],
    }
    assert eqf["targetUrl"] == "http://data.europa.eu/snb/eqf/6"
    assert achievement["creditsAvailable"] == 2.0
    assert achievement["inLanguage"] == "en"
    assert achievement["tag"] == ["assessment", "teaching"]
    assert (achievement["version"], achievement["humanCode"]) == ("1", "classroom-assessment")
    assert achievement["fieldOfStudy"] == "Education"
    assert achievement["image"]["id"] == f"{identifier}/image"
    design, _feedback, total = achievement["resultDescription"]
    assert design["resultType"] == "RubricCriterionLevel"
    assert [level["points"] for level in design["rubricCriterionLevel"]] == ["1", "2", "3"]
    assert design["requiredLevel"] == f"{identifier}#criterion-1-level-2"
    assert design["alignment"][0]["targetUrl"].endswith("/v1/#outcome-1")
    assert total == {
        "id": f"{identifier}#total",
        "type": ["ResultDescription"],
        "name": "Total points",
        "resultType": "RubricScore",
        "valueMin": "0",
        "valueMax": "5",
        "requiredValue": "4",
    }


def test_the_annex_elements_are_all_there_in_plain_words() -> None:
    draft = make_draft(complete=False, country="")
    assert [label for label, _ in services.annex_elements(draft)] == [
        "Title",
        "Country or region of the issuer",
        "Awarding body",
        "Learning outcomes",
        "Notional workload",
        "Level",
        "Type of assessment",
        "Form of participation",
        "Type of quality assurance",
        "Prerequisites needed to enrol",
        "Supervision and identity verification during assessment",
        "Integration and stackability options",
        "Further information",
    ]
    elements = dict(services.annex_elements(versions()["complete"]))
    assert elements["Learning outcomes"] == [
        "Design classroom assessments",
        "Give feedback that helps students learn",
    ]
    assert elements["Level"] == "EQF level 6"
    assert elements["Form of participation"] == "Online"
    assert elements["Supervision and identity verification during assessment"] == (
        "Supervised, with identity verification: Video call with photo identity check."
    )
    assert elements["Awarding body"].startswith("Organisation")
