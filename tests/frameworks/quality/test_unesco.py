"""UNESCO: assessment against clearly defined standards, a trusted provider, standalone value."""

from __future__ import annotations

from typing import Any

import pytest

from tests.frameworks.quality.helpers import changed, found

PROFILE = "unesco"
STANDARDS = "unesco.assessment-standards"
PROVIDER = "unesco.trusted-provider"

CASES = [
    ({"rubric": None}, STANDARDS, "error", "rubric"),
    ({"rubric.criteria": []}, STANDARDS, "error", "rubric"),
    ({"rubric.pass_rule": ""}, STANDARDS, "error", "rubric.pass_rule"),
    ({"awarding_body": "", "organisation": None}, PROVIDER, "error", "awarding_body"),
    ({"quality_assurance": ""}, PROVIDER, "error", "quality_assurance"),
    (
        {"description": "", "statement_of_purpose": ""},
        "unesco.standalone-value",
        "error",
        "description",
    ),
    ({"stackability": ""}, "unesco.stackability", "advice", "stackability"),
]


@pytest.mark.parametrize("changes", [{"description": ""}, {"statement_of_purpose": ""}])
def test_either_a_description_or_a_purpose_shows_standalone_value(changes: dict[str, Any]) -> None:
    assert found(changed(changes), PROFILE) == set()
