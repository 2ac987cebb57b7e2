"""Australia's National Microcredentials Framework: at least one hour, smaller than a
qualification, assessed."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.frameworks.quality.profiles.australia import participation_only
from tests.frameworks.quality.helpers import changed, found, messages

PROFILE = "au-nmf"
VOLUME = "au-nmf.minimum-volume"
SIZE = "au-nmf.smaller-than-qualification"
ASSESSED = "au-nmf.assessed"

CASES = [
    ({"workload_hours": None, "credits": {}}, VOLUME, "error", "workload_hours"),
    ({"workload_hours": 0.5, "credits": {}}, VOLUME, "error", "workload_hours"),
    ({"workload_hours": 600, "credits": {}}, SIZE, "error", "workload_hours"),
    ({"workload_hours": None, "credits": {"ECTS": 30}}, SIZE, "error", "workload_hours"),
    ({"assessment_type": ""}, ASSESSED, "error", "assessment_type"),
    ({"assessment_type": "Attendance only."}, ASSESSED, "error", "assessment_type"),
    ({"assessment_type": "Participation in all sessions"}, ASSESSED, "error", "assessment_type"),
]


@pytest.mark.parametrize(
    "changes",
    [
        {"workload_hours": 1, "credits": {}},
        {"workload_hours": 599, "credits": {}},
        {"workload_hours": None, "credits": {"NZQCF": 5}},
    ],
)
def test_volumes_within_the_framework_pass(changes: dict[str, Any]) -> None:
    assert found(changed(changes), PROFILE) == set()


def test_the_volume_message_says_the_limit() -> None:
    [message] = messages(changed({"workload_hours": 800, "credits": {}}), SIZE)
    assert "800 hours" in message
    assert "600 hours" in message


@pytest.mark.parametrize(
    ("assessment_type", "expected"),
    [
        ("Attendance", True),
        ("participation only", True),
        ("Completion of the course", True),
        ("Self-declared completion", True),
        ("Attendance and a graded quiz", False),
        ("Portfolio reviewed by an assessor", False),
        ("", False),
    ],
)
def test_participation_only(assessment_type: str, expected: bool) -> None:
    assert participation_only(assessment_type) is expected
