"""Grades convert by matching percentile bands of grading tables, checked against hand sums.

There is no open data set of grading tables, so the tables here are synthetic: an Italian
30-point scale and a German 1.0-4.0 scale for one field, with bands worked out by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred.errors import InvalidInput
from microcred.frameworks.grades import GradingTable, convert

FIELD = "0613"  # ISCED-F: software and applications development and analysis

# Cumulative bands (top first): 30L 0-5, 30 5-15, 29 15-23, 28 23-35, 27 35-50, 26 50-60,
# 25 60-70, 24 70-80, 23 80-88, 22 88-93, 21 93-96, 20 96-98, 19 98-99, 18 99-100.
ITALY = GradingTable(
    "Italian 30-point scale",
    FIELD,
    (
        ("30L", 5),
        ("30", 10),
        ("29", 8),
        ("28", 12),
        ("27", 15),
        ("26", 10),
        ("25", 10),
        ("24", 10),
        ("23", 8),
        ("22", 5),
        ("21", 3),
        ("20", 2),
        ("19", 1),
        ("18", 1),
    ),
)
# 1.0 0-10, 1.3 10-20, 1.7 20-35, 2.0 35-50, 2.3 50-65, 2.7 65-75, 3.0 75-85, 3.3 85-90,
# 3.7 90-95, 4.0 95-100.
GERMANY = GradingTable(
    "German 1.0-4.0 scale",
    FIELD,
    [
        ["1.0", 10],
        ["1.3", 10],
        ["1.7", 15],
        ["2.0", 15],
        ["2.3", 15],
        ["2.7", 10],
        ["3.0", 10],
        ["3.3", 5],
        ["3.7", 5],
        ["4.0", 5],
    ],
)


@pytest.mark.parametrize(
    ("grade", "source", "target", "band", "shares", "main"),
    [
        # 23-35 lies inside 1.7's 20-35.
        ("28", ITALY, GERMANY, (23, 35), {"1.7": 1.0}, "1.7"),
        # 15-23: 15-20 in 1.3 (5 of 8 points), 20-23 in 1.7 (3 of 8).
        ("29", ITALY, GERMANY, (15, 23), {"1.3": 0.625, "1.7": 0.375}, "1.3"),
        # 88-93: 88-90 in 3.3 (2 of 5), 90-93 in 3.7 (3 of 5).
        ("22", ITALY, GERMANY, (88, 93), {"3.3": 0.4, "3.7": 0.6}, "3.7"),
        # 5-15: half in 1.0, half in 1.3; a tie goes to the better grade.
        ("30", ITALY, GERMANY, (5, 15), {"1.0": 0.5, "1.3": 0.5}, "1.0"),
        ("25", ITALY, GERMANY, (60, 70), {"2.3": 0.5, "2.7": 0.5}, "2.3"),
        # The other way: 2.0's 35-50 is exactly 27's band.
        ("2.0", GERMANY, ITALY, (35, 50), {"27": 1.0}, "27"),
        # 75-85: 75-80 in 24 (5 of 10), 80-85 in 23 (5 of 10).
        ("3.0", GERMANY, ITALY, (75, 85), {"24": 0.5, "23": 0.5}, "24"),
        # 95-100 spreads over five Italian grades: 95-96 21, 96-98 20, 98-99 19, 99-100 18.
        ("4.0", GERMANY, ITALY, (95, 100), {"21": 0.2, "20": 0.4, "19": 0.2, "18": 0.2}, "20"),
    ],
)
def test_hand_computed_conversions(
    grade: str,
    source: GradingTable,
    target: GradingTable,
    band: tuple[float, float],
    shares: dict[str, float],
    main: str,
) -> None:
    conversion = convert(grade, source, target)
    assert conversion.band == pytest.approx(band)
    assert dict(conversion.shares) == pytest.approx(shares)
    assert list(conversion.shares) == list(shares)  # best first, as the target lists them
    assert sum(conversion.shares.values()) == pytest.approx(1)
    assert conversion.main == main


def test_the_message_says_where_the_grade_stands() -> None:
    assert convert("29", ITALY, GERMANY).message == (
        "29 in Italian 30-point scale (top 15-23% of passing grades) converts to 1.3 in "
        "German 1.0-4.0 scale (62.5%; also 1.7)."
    )
    assert convert("28", ITALY, GERMANY).message.endswith(
        "converts to 1.7 in German 1.0-4.0 scale."
    )


def test_counts_become_percentages() -> None:
    table = GradingTable.from_counts(
        "Pass/merit/distinction", FIELD, [("D", 30), ("M", 50), ("P", 20)]
    )
    assert table.grades == (("D", 30.0), ("M", 50.0), ("P", 20.0))
    assert table.bands() == {"D": (0, 30), "M": (30, 80), "P": (80, 100)}
    # Merit's 30-80 against a plain ECTS-like table: A 0-10, B 10-35, C 35-65, D 65-90, E 90-100.
    ects = GradingTable("ECTS", FIELD, (("A", 10), ("B", 25), ("C", 30), ("D", 25), ("E", 10)))
    conversion = convert("M", table, ects)
    assert dict(conversion.shares) == pytest.approx({"B": 0.1, "C": 0.6, "D": 0.3})
    assert conversion.main == "C"


def test_rounded_percentages_are_accepted_and_scaled() -> None:
    # Thirds published as 33.3 each add up to 99.9.
    thirds = GradingTable("Thirds", FIELD, (("1", 33.3), ("2", 33.3), ("3", 33.3)))
    assert thirds.bands()["3"] == pytest.approx((200 / 3, 100))


def test_a_grade_nobody_got_converts_by_its_position() -> None:
    table = GradingTable("Sparse", FIELD, (("A+", 0), ("A", 40), ("B", 60)))
    assert table.bands()["A+"] == (0, 0)
    conversion = convert("A+", table, GERMANY)
    assert conversion.shares == {"1.0": 1.0}
    assert conversion.main == "1.0"


def _table(**overrides: Any) -> GradingTable:
    values: dict[str, Any] = {"system": "S", "field": FIELD, "grades": (("A", 50), ("B", 50))}
    values.update(overrides)
    return GradingTable(**values)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"grades": (("A", 50), ("B", 45))}, "grades", "grades.not_100"),
        ({"grades": (("A", 60), ("B", 60))}, "grades", "grades.not_100"),
        ({"grades": ()}, "grades", "input.invalid"),
        ({"grades": (("A", 50), ("A", 50))}, "grades[1].grade", "input.invalid"),
        ({"grades": (("A", 150), ("B", -50))}, "grades[1].percentage", "input.invalid"),
        ({"grades": (("A", "50"), ("B", 50))}, "grades[0].percentage", "input.invalid"),
        ({"grades": (("", 50), ("B", 50))}, "grades[0].grade", "input.invalid"),
        ({"grades": (("A", 50, 1), ("B", 50))}, "grades[0]", "input.invalid"),
        ({"system": " "}, "system", "input.invalid"),
        ({"field": ""}, "field", "input.invalid"),
    ],
)
def test_bad_tables_name_the_field(overrides: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        _table(**overrides)
    assert raised.value.field == field
    assert raised.value.code == code


def test_bad_counts_name_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        GradingTable.from_counts("S", FIELD, [("A", 3), ("B", 1.5)])
    assert raised.value.field == "grades[1].count"
    with pytest.raises(InvalidInput) as raised:
        GradingTable.from_counts("S", FIELD, [("A", 0), ("B", 0)])
    assert raised.value.field == "grades"


def test_an_unknown_grade_or_another_field_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        convert("31", ITALY, GERMANY)
    assert (raised.value.field, raised.value.code) == ("grade", "grades.unknown_grade")
    law = GradingTable("German 1.0-4.0 scale", "0421", GERMANY.grades)
    with pytest.raises(InvalidInput) as raised:
        convert("28", ITALY, law)
    assert (raised.value.field, raised.value.code) == ("target.field", "grades.different_fields")
