"""The public API: profiles, ordering of findings, coherence always on, profile results."""

from __future__ import annotations

import pytest

from microcred.catalogue.fields import EDITABLE_FIELDS
from microcred.errors import InvalidInput
from microcred.frameworks import quality
from microcred.frameworks.quality import (
    COHERENCE,
    PROFILES,
    Finding,
    Severity,
    check_specification,
    get_profile,
    parse_specification,
    profile_results,
)
from microcred.frameworks.quality.specification import FIELDS
from tests.frameworks.quality.helpers import TODAY, changed, complete

SHIPPED = ("eu-annex-i", "microbol", "stacq", "au-nmf", "nzqa", "in-ncvet", "unesco", "coherence")


def test_the_shipped_profiles_in_order() -> None:
    assert tuple(PROFILES) == SHIPPED
    assert [profile.id for profile in quality.get_profiles()] == list(SHIPPED)
    assert COHERENCE == "coherence"


@pytest.mark.parametrize("profile_id", SHIPPED)
def test_every_rule_is_named_explained_and_sourced(profile_id: str) -> None:
    profile = get_profile(profile_id)
    assert profile.rules and profile.checklist
    for rule in profile.rules:
        assert rule.id.startswith(f"{profile_id}.")
        assert rule.message.strip() and rule.field.strip() and rule.source.strip()
    assert len({rule.id for rule in profile.rules}) == len(profile.rules)


def test_checklist_items_shared_by_profiles_read_the_same() -> None:
    texts: dict[str, str] = {}
    for profile in PROFILES.values():
        for item_id, text in profile.checklist:
            assert texts.setdefault(item_id, text) == text, item_id


@pytest.mark.parametrize("bad", ["bogus", "", None])
def test_an_unknown_profile_names_the_profiles_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        get_profile(bad)
    assert caught.value.field == "profiles"
    with pytest.raises(InvalidInput) as caught:
        check_specification(complete(), profiles=["eu-annex-i", bad], today=TODAY)
    assert caught.value.field == "profiles"


def test_coherence_is_always_checked() -> None:
    spec = changed({"rubric": None})
    for profiles in ([], ["eu-annex-i"], ["coherence", "coherence"]):
        findings = check_specification(spec, profiles=profiles, today=TODAY)
        assert [finding.rule_id for finding in findings] == ["coherence.rubric"]


def test_findings_come_errors_first_then_warnings_then_advice_in_rule_order() -> None:
    spec = changed(
        {"further_information": "", "eqf_level": None, "title": "", "country": "", "tags": []}
    )
    findings = check_specification(spec, profiles=["eu-annex-i"], today=TODAY)
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("eu-annex-i.title", Severity.ERROR),
        ("eu-annex-i.country", Severity.ERROR),
        ("eu-annex-i.level", Severity.WARNING),
        ("eu-annex-i.further-information", Severity.ADVICE),
    ]
    assert findings[0].source == "Council Recommendation 2022/C 243/02, Annex I, mandatory elements"
    assert findings[0].profile == "eu-annex-i"


def test_a_parsed_specification_is_checked_as_is() -> None:
    spec = parse_specification(changed({"title": ""}))
    findings = check_specification(spec, profiles=["eu-annex-i"], today=TODAY)
    assert [finding.rule_id for finding in findings] == ["eu-annex-i.title"]


def test_profile_results_count_errors_only() -> None:
    spec = changed({"prerequisites": "", "evidence_of_need": "", "rubric.pass_rule": ""})
    profiles = ["eu-annex-i", "in-ncvet", "microbol"]
    findings = check_specification(spec, profiles=profiles, today=TODAY)
    expected = {"eu-annex-i": True, "in-ncvet": False, "microbol": True, "coherence": False}
    assert profile_results(findings, profiles) == expected
    stored = [finding.as_dict() for finding in findings]
    assert profile_results(stored, profiles) == expected


def test_profile_results_of_no_findings_meet_every_profile() -> None:
    assert profile_results([], ["nzqa"]) == {"nzqa": True, "coherence": True}
    warning = Finding("nzqa.level", Severity.WARNING, "m", "eqf_level", "s", "nzqa")
    assert profile_results([warning], ["nzqa"]) == {"nzqa": True, "coherence": True}


def test_every_key_the_platform_sends_is_accepted() -> None:
    """catalogue.get_specification sends the version's fields and these parts."""
    sent = {name for name in EDITABLE_FIELDS if name != "image"}
    sent |= {"number", "status", "image", "awarding_body", "outcomes", "credits", "rubric"}
    sent |= {"organisation"}
    assert sent <= set(FIELDS)
