"""New Zealand (NZQA): 1 to 40 NZQCF credits, a framework level, a review date."""

from __future__ import annotations

from typing import Any

import pytest

from tests.frameworks.quality.helpers import changed, found, messages

PROFILE = "nzqa"
CREDITS = "nzqa.credits"

CASES = [
    ({"workload_hours": None, "credits": {}}, CREDITS, "error", "credits.NZQCF"),
    ({"credits": {"NZQCF": 41}}, CREDITS, "error", "credits.NZQCF"),
    ({"credits": {"NZQCF": 0.5}}, CREDITS, "error", "credits.NZQCF"),
    ({"workload_hours": 500, "credits": {}}, CREDITS, "error", "credits.NZQCF"),
    ({"eqf_level": None}, "nzqa.level", "error", "eqf_level"),
    ({"review_date": None}, "nzqa.review-date", "error", "review_date"),
]


@pytest.mark.parametrize(
    "changes",
    [
        {"credits": {"NZQCF": 1}},
        {"credits": {"NZQCF": 40}},
        {"workload_hours": 50, "credits": {}},
        {"workload_hours": None, "credits": {"ECTS": 2}},
    ],
)
def test_credit_values_from_1_to_40_pass(changes: dict[str, Any]) -> None:
    assert found(changed(changes), PROFILE) == set()


def test_credits_worked_out_from_hours_are_explained() -> None:
    [message] = messages(changed({"workload_hours": 500, "credits": {}}), CREDITS)
    assert "worth 50 NZQCF credits" in message
    assert "1 to 40" in message
