"""Reading a specification: types and shapes, with errors that name the JSON path."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.errors import InvalidInput
from microcred.frameworks.quality import parse_specification
from tests.frameworks.quality.helpers import changed, complete


def test_the_example_reads_completely() -> None:
    spec = parse_specification(complete())
    assert spec.title.startswith("Cleaning")
    assert spec.workload_hours == 50.0
    assert spec.credits == {"ECTS": 2.0, "NZQCF": 5.0, "UK": 5.0}
    assert spec.outcomes[2].skills[0].label == "manage data"
    assert spec.rubric is not None and spec.rubric.criteria[1].outcomes == (2,)
    assert spec.review_date is not None and spec.review_date.isoformat() == "2029-06-30"
    assert (spec.number, spec.status, spec.image) == (1, "draft", False)


def test_an_empty_object_is_a_specification_that_states_nothing() -> None:
    spec = parse_specification({})
    assert spec.title == "" and spec.outcomes == () and spec.hours is None


def test_decimal_strings_are_numbers_and_hours_come_from_credits() -> None:
    spec = parse_specification({"credits": {"ECTS": "2.0"}, "number": None, "image": None})
    assert spec.credits == {"ECTS": 2.0}
    assert spec.hours == 55.0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"titel": "A typo"}, "titel"),
        ({"title": 3}, "title"),
        ({"participation_form": "online-ish"}, "participation_form"),
        ({"supervised": "yes"}, "supervised"),
        ({"image": "badge.png"}, "image"),
        ({"number": -1}, "number"),
        ({"eqf_level": 9}, "eqf_level"),
        ({"eqf_level": 4.5}, "eqf_level"),
        ({"workload_hours": "many"}, "workload_hours"),
        ({"workload_hours": -5}, "workload_hours"),
        ({"languages": ["en", 7]}, "languages[1]"),
        ({"review_date": "soon"}, "review_date"),
        ({"review_date": 2027}, "review_date"),
        ({"outcomes": "Analyse data."}, "outcomes"),
        ({"outcomes[1]": "Analyse data."}, "outcomes[1]"),
        ({"outcomes[1].text": ["Analyse"]}, "outcomes[1].text"),
        ({"outcomes[2].skills[0].uri": ""}, "outcomes[2].skills[0].uri"),
        ({"credits": {"ECTZ": 2}}, "credits.ECTZ"),
        ({"credits": {"ECTS": None}}, "credits.ECTS"),
        ({"credits": [2]}, "credits"),
        ({"rubric": "pass"}, "rubric"),
        ({"rubric.pass_rule": 6}, "rubric.pass_rule"),
        ({"rubric.criteria[0].outcomes": [0]}, "rubric.criteria[0].outcomes[0]"),
        ({"rubric.criteria[1].outcomes": ["2"]}, "rubric.criteria[1].outcomes[0]"),
        ({"rubric.criteria[0].levels[1].points": -1}, "rubric.criteria[0].levels[1].points"),
        ({"organisation": {"name": 5}}, "organisation.name"),
    ],
)
def test_bad_input_names_the_json_path(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_specification(changed(changes))
    assert caught.value.field == field
    assert caught.value.code == "quality.invalid_specification"
    assert caught.value.message.startswith(f"{field}: ")


@pytest.mark.parametrize("data", [[], "spec", None])
def test_a_specification_is_an_object(data: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_specification(data)
    assert caught.value.field == ""
