"""EU Council Recommendation 2022/C 243/02, Annex I: mandatory elements block, optional advise."""

from __future__ import annotations

from tests.frameworks.quality.helpers import DELETE, changed, found

PROFILE = "eu-annex-i"
NO_AWARDING_BODY = {"awarding_body": "", "organisation": None}

CASES = [
    ({"title": ""}, "eu-annex-i.title", "error", "title"),
    ({"title": DELETE}, "eu-annex-i.title", "error", "title"),
    ({"country": None}, "eu-annex-i.country", "error", "country"),
    (NO_AWARDING_BODY, "eu-annex-i.awarding-body", "error", "awarding_body"),
    ({"outcomes": []}, "eu-annex-i.outcomes", "error", "outcomes"),
    ({"outcomes": [{"text": "  "}]}, "eu-annex-i.outcomes", "error", "outcomes"),
    ({"workload_hours": None}, "eu-annex-i.workload", "error", "workload_hours"),
    ({"credits": {"UK": 5}}, "eu-annex-i.workload-ects", "advice", "credits.ECTS"),
    ({"eqf_level": None}, "eu-annex-i.level", "warning", "eqf_level"),
    ({"assessment_type": ""}, "eu-annex-i.assessment", "error", "assessment_type"),
    ({"participation_form": ""}, "eu-annex-i.participation", "error", "participation_form"),
    ({"quality_assurance": " "}, "eu-annex-i.quality-assurance", "error", "quality_assurance"),
    ({"prerequisites": ""}, "eu-annex-i.prerequisites", "advice", "prerequisites"),
    (
        {"identity_verification": ""},
        "eu-annex-i.identity-verification",
        "advice",
        "identity_verification",
    ),
    ({"stackability": ""}, "eu-annex-i.stackability", "advice", "stackability"),
    (
        {"further_information": ""},
        "eu-annex-i.further-information",
        "advice",
        "further_information",
    ),
]


def test_the_organisation_stands_for_a_blank_awarding_body() -> None:
    assert found(changed({"awarding_body": ""}), PROFILE) == set()
