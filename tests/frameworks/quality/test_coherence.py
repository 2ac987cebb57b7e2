"""Coherence rules, always checked: the parts of a specification agree with each other."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from microcred.frameworks.quality import check_specification, unmeetable_items
from tests.frameworks.quality.helpers import DELETE, TODAY, changed, found, messages

PROFILE = "coherence"
CREDITS = "coherence.credits-match-workload"
VERB = "coherence.observable-verb"
WINDOW = "coherence.review-date-window"
COUNTRY = "coherence.country-of-issuer"
DESCRIBED = "coherence.rubric-level-descriptors"


def outcome(text: str) -> dict[str, Any]:
    return {"text": text, "skills": [{"uri": "http://data.europa.eu/esco/skill/x", "label": "x"}]}


CASES = [
    ({"credits.ECTS": 10}, CREDITS, "error", "credits.ECTS"),
    ({"credits.UK": 50}, CREDITS, "error", "credits.UK"),
    ({"country": "IR"}, COUNTRY, "error", "country"),
    ({"country": "DE", "awarding_body": ""}, COUNTRY, "error", "country"),
    ({"outcomes[0].text": "Understand pandas."}, VERB, "error", "outcomes[0].text"),
    ({"outcomes[1].text": "Learners will know data quality."}, VERB, "error", "outcomes[1].text"),
    ({"outcomes[2].text": ""}, VERB, "error", "outcomes[2].text"),
    ({"outcomes[0].text": "Wrangle data."}, "coherence.known-verb", "advice", "outcomes[0].text"),
    ({"rubric": None}, "coherence.rubric", "error", "rubric"),
    ({"rubric.criteria": []}, "coherence.rubric", "error", "rubric.criteria"),
    ({"rubric.criteria[2].outcomes": [1]}, "coherence.outcome-assessed", "error", "outcomes[2]"),
    (
        {"rubric.criteria[0].outcomes": []},
        "coherence.criterion-mapped",
        "error",
        "rubric.criteria[0].outcomes",
    ),
    (
        {"rubric.criteria[0].outcomes": [1, 7]},
        "coherence.criterion-mapped",
        "error",
        "rubric.criteria[0].outcomes[1]",
    ),
    (
        {"rubric.criteria[1].levels[2].description": ""},
        DESCRIBED,
        "error",
        "rubric.criteria[1].levels[2].description",
    ),
    (
        {"rubric.criteria[0].levels[0].description": DELETE},
        DESCRIBED,
        "error",
        "rubric.criteria[0].levels[0].description",
    ),
    (
        {"rubric.criteria[2].levels[1].description": "  "},
        DESCRIBED,
        "error",
        "rubric.criteria[2].levels[1].description",
    ),
    ({"rubric.pass_rule": ""}, "coherence.pass-rule", "error", "rubric.pass_rule"),
    ({"rubric.pass_points": 10}, "coherence.pass-rule", "error", "rubric.pass_points"),
    ({"eqf_level": 1}, "coherence.level-plausible", "warning", "eqf_level"),
    (
        {
            "eqf_level": 8,
            "outcomes": [outcome("Describe a data set."), outcome("List errors.")],
            "rubric.criteria": [{"name": "All", "outcomes": [1, 2]}],
        },
        "coherence.level-plausible",
        "warning",
        "eqf_level",
    ),
    (
        {"workload_hours": 2000, "credits": {"ECTS": 70}},
        "coherence.micro-volume",
        "warning",
        "credits.ECTS",
    ),
    (
        {"workload_hours": 2000, "credits": {}},
        "coherence.micro-volume",
        "warning",
        "workload_hours",
    ),
    ({"outcomes[1].skills": []}, "coherence.esco-skill", "advice", "outcomes[1].skills"),
    ({"review_date": None}, "coherence.review-date", "warning", "review_date"),
    ({"review_date": TODAY.isoformat()}, WINDOW, "error", "review_date"),
    ({"review_date": "2029-11-24"}, WINDOW, "error", "review_date"),
]


@pytest.mark.parametrize(
    "changes",
    [
        {"credits": {"ECTS": 1.7, "HOURS": 50, "US_SEMESTER": 1.1, "CEU": 5}},
        {"workload_hours": None},
        {"review_date": "2029-11-23"},
        {"outcomes[0].text": "By the end, learners will be able to apply pandas to data."},
        {"outcomes[0].text": "Analyses data-quality problems."},
        {"eqf_level": 3},
        {"workload_hours": 1650, "credits": {}},
        {"rubric.pass_points": 9},
        {"rubric.pass_points": 10, "rubric.criteria[0].levels": []},
        {"country": "nl"},
        {"country": "DE", "awarding_body": "Deutsche Hochschule"},
        {"country": ""},
        {"organisation": None},
    ],
)
def test_coherent_variations_pass(changes: dict[str, Any]) -> None:
    assert found(changed(changes), PROFILE) == set()


def test_a_credit_mismatch_says_the_expected_range() -> None:
    [message] = messages(changed({"credits.ECTS": 10}), CREDITS)
    assert "1.7-2" in message
    assert "50 hours" in message


def test_a_vague_verb_gets_verbs_at_the_level_the_eqf_level_intends() -> None:
    [message] = messages(changed({"outcomes[0].text": "Understand pandas."}), VERB)
    assert "'understand'" in message
    assert "analyse" in message  # EQF 5 outcomes typically analyse (Bloom level 4)
    [message] = messages(changed({"eqf_level": None, "outcomes[0].text": "Know pandas."}), VERB)
    assert "identify" in message  # without a level, "know" stands for remembering


def test_a_review_date_on_29_february_has_a_three_year_window() -> None:
    leap_day = date(2024, 2, 29)
    spec = changed({"review_date": "2027-03-01"})
    findings = check_specification(spec, profiles=[], today=leap_day)
    assert WINDOW in {finding.rule_id for finding in findings}
    spec = changed({"review_date": "2027-02-28"})
    findings = check_specification(spec, profiles=[], today=leap_day)
    assert WINDOW not in {finding.rule_id for finding in findings}


def test_a_country_not_the_issuers_names_both() -> None:
    [message] = messages(changed({"country": "IR"}), COUNTRY)
    assert "IR" in message
    assert "NL" in message
    assert "Example University of Applied Sciences" in message


def test_levels_without_descriptors_are_one_finding_per_criterion_naming_the_levels() -> None:
    spec = changed(
        {
            "rubric.criteria[0].levels[0].description": "",
            "rubric.criteria[0].levels[2].description": "",
        }
    )
    [message] = messages(spec, DESCRIBED)
    assert "'Detection of problems'" in message
    assert "'Insufficient', 'Excellent'" in message and "'Sufficient'" not in message


def test_the_descriptor_checklist_item_cannot_be_met_while_levels_lack_descriptors() -> None:
    spec = changed({"rubric.criteria[1].levels[0].description": ""})
    findings = check_specification(spec, profiles=[], today=TODAY)
    blocked = unmeetable_items(findings, [])
    assert list(blocked) == ["coherence.rubric-levels-clear"]
    assert "'Diagnosis and correction'" in blocked["coherence.rubric-levels-clear"][0]
    stored = [finding.as_dict() for finding in findings]
    assert unmeetable_items(stored, ["eu-annex-i"]) == blocked
    assert unmeetable_items(check_specification(changed({}), profiles=[], today=TODAY), []) == {}
