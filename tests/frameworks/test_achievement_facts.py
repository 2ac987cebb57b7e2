"""Credits and EQF levels are read from an achievement where issuers state them."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.frameworks.achievement_facts import read_achievement

EQF6_URL = {"targetUrl": "http://data.europa.eu/snb/eqf/6", "targetName": "EQF level 6"}

CASES = [
    # (case, achievement, credits, level)
    ("nothing stated", {"name": "Badge"}, {}, None),
    ("not an object", ["creditsAvailable", 5], {}, None),
    ("creditsAvailable is read as ECTS", {"creditsAvailable": 5}, {"ECTS": 5.0}, None),
    ("creditsAvailable as text", {"creditsAvailable": "2.5"}, {"ECTS": 2.5}, None),
    ("EQF by the EU concept URL", {"alignment": [EQF6_URL]}, {}, 6),
    ("a single alignment object", {"alignment": EQF6_URL}, {}, 6),
    (
        "EQF by framework and code",
        {"alignment": [{"targetFramework": "EQF", "targetCode": "5", "targetUrl": "x:y"}]},
        {},
        5,
    ),
    (
        "a credit alignment names the system, creditsAvailable is then not ECTS",
        {
            "creditsAvailable": 3,
            "alignment": [{"targetFramework": "US semester credit hours", "targetCode": "3"}],
        },
        {"US_SEMESTER": 3.0},
        None,
    ),
    (
        "ELM's ECTS concept",
        {
            "alignment": [
                {
                    "targetUrl": "http://data.europa.eu/snb/education-credit/6fcec5c5af",
                    "targetCode": "2",
                }
            ]
        },
        {"ECTS": 2.0},
        None,
    ),
    (
        "a system by its code, any case",
        {"alignment": [{"targetFramework": "ects", "targetCode": "4"}]},
        {"ECTS": 4.0},
        None,
    ),
    # Hostile or meaningless values are ignored, never trusted.
    (
        "level out of range",
        {"alignment": [{"targetFramework": "EQF", "targetCode": "9"}]},
        {},
        None,
    ),
    (
        "level URL out of range",
        {"alignment": [{"targetUrl": "http://data.europa.eu/snb/eqf/0"}]},
        {},
        None,
    ),
    ("negative credits", {"creditsAvailable": -5}, {}, None),
    ("infinite credits", {"creditsAvailable": "inf"}, {}, None),
    ("a boolean is no number", {"creditsAvailable": True}, {}, None),
    (
        "a credit code that is no number",
        {"alignment": [{"targetFramework": "ECTS", "targetCode": "five"}]},
        {},
        None,
    ),
    (
        "an unknown framework",
        {"alignment": [{"targetFramework": "Moon credits", "targetCode": "3"}]},
        {},
        None,
    ),
    ("alignments that are not objects", {"alignment": ["EQF 6", 7]}, {}, None),
]


@pytest.mark.parametrize(
    ("achievement", "credits", "level"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_read_achievement(achievement: Any, credits: dict[str, float], level: int | None) -> None:
    facts = read_achievement(achievement)
    assert dict(facts.credits) == credits
    assert facts.level == level
