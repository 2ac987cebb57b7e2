"""Credit systems convert through notional hours and flag values that disagree with the hours."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.errors import InvalidInput
from microcred.frameworks.credits import (
    SYSTEMS,
    check_credits,
    credits_for,
    credits_range,
    get_system,
    hours_for,
)

systems = st.sampled_from(sorted(SYSTEMS))
hours = st.floats(min_value=0.5, max_value=20_000, allow_nan=False, allow_infinity=False)
credit_values = st.floats(min_value=0.1, max_value=500, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("system", "value", "expected"),
    [
        ("ECTS", 1, (25, 30)),
        ("ECTS", 6, (150, 180)),
        ("UK", 15, (150, 150)),
        ("NZQCF", 5, (50, 50)),
        ("US_SEMESTER", 3, (135, 135)),
        ("CEU", Decimal("2.5"), (25, 25)),
        ("HOURS", 40, (40, 40)),
    ],
)
def test_hours_for_each_system(system: str, value: object, expected: tuple[int, int]) -> None:
    assert hours_for(system, value) == pytest.approx(expected)


def test_ects_uses_the_central_value_and_accepts_the_whole_range() -> None:
    assert credits_for("ECTS", 55) == pytest.approx(2)
    assert credits_range("ECTS", 150) == pytest.approx((5, 6))
    assert check_credits(150, {"ECTS": 5}) == []
    assert check_credits(150, {"ECTS": 6}) == []


@given(systems, hours)
def test_hours_to_credits_and_back_brackets_the_hours(system: str, amount: float) -> None:
    low, high = hours_for(system, credits_for(system, amount))
    assert low <= amount * (1 + 1e-9)
    assert high >= amount * (1 - 1e-9)


@given(systems, credit_values)
def test_credits_to_central_hours_and_back_is_the_identity(system: str, value: float) -> None:
    central = value * get_system(system).hours_central
    assert credits_for(system, central) == pytest.approx(value)


@given(hours)
def test_values_converted_from_the_hours_never_disagree(amount: float) -> None:
    values = {system: round(credits_for(system, amount), 2) for system in SYSTEMS}
    assert check_credits(amount, values) == []


@given(systems, hours)
def test_twice_the_right_value_is_flagged_with_what_it_should_be(
    system: str, amount: float
) -> None:
    [finding] = check_credits(amount, {system: 2 * credits_for(system, amount)})
    assert finding.system == system
    assert finding.field == f"credits.{system}"
    low, high = credits_range(system, amount)
    assert finding.expected_low == pytest.approx(low)
    assert finding.expected_high == pytest.approx(high)
    assert "should be" in finding.message


def test_a_finding_says_what_the_value_should_be() -> None:
    [finding] = check_credits(100, {"ECTS": 1, "UK": 10, "HOURS": 100})
    assert finding.system == "ECTS"
    assert finding.message == (
        "ECTS credits: 1 does not match 100 hours of learning; at 25-30 hours per credit it "
        "should be 3.3-4."
    )
    [finding] = check_credits(100, {"UK": 20})
    assert finding.message.endswith("at 10 hours per credit it should be 10.")


def test_rounding_within_the_tolerance_is_accepted() -> None:
    assert check_credits(40, {"ECTS": Decimal("1.5")}) == []
    assert check_credits(40, {"ECTS": 2}) != []
    assert check_credits(40, {"ECTS": 2}, tolerance=0.5) == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: hours_for("POINTS", 1), "system"),
        (lambda: credits_for("ECTS", -1), "hours"),
        (lambda: credits_for("ECTS", float("nan")), "hours"),
        (lambda: hours_for("ECTS", "six"), "value"),
        (lambda: hours_for("ECTS", True), "value"),
        (lambda: check_credits(0, {"ECTS": 1}), "hours"),
        (lambda: check_credits(10, {"ECTS": -2}), "credits.ECTS"),
        (lambda: check_credits(10, {"KUDOS": 2}), "system"),
    ],
)
def test_bad_input_names_the_field(call, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        call()
    assert raised.value.field == field
