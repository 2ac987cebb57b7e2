"""The rubric's pass rule, the outcome of an attempt, borderline cases and the moderation sample."""

from __future__ import annotations

import pytest

from microcred.frameworks.rubric import (
    Criterion,
    Level,
    RubricError,
    Rule,
    in_sample,
    is_borderline,
    judge,
    outcome,
)

DESIGN = Criterion(id=1, levels=(Level(11, 1), Level(12, 2), Level(13, 3)), minimum_level=12)
FEEDBACK = Criterion(id=2, levels=(Level(21, 1), Level(22, 2)), minimum_level=22)
RULE = Rule(criteria=(DESIGN, FEEDBACK), pass_points=4)


def test_every_criterion_at_its_minimum_passes():
    judgement = judge(RULE, {1: 12, 2: 22})
    assert judgement.passed
    assert judgement.total == 4
    assert judgement.below_minimum == ()


def test_a_criterion_below_its_minimum_fails_even_with_enough_points():
    judgement = judge(RULE, {1: 13, 2: 21})
    assert not judgement.passed
    assert judgement.total == 4
    assert judgement.below_minimum == (2,)


def test_a_total_below_the_pass_points_fails():
    rule = Rule(criteria=(Criterion(id=1, levels=(Level(1, 1), Level(2, 5))),), pass_points=3)
    assert not judge(rule, {1: 1}).passed
    assert judge(rule, {1: 2}).passed


def test_without_minimums_or_pass_points_any_levels_pass():
    rule = Rule(criteria=(Criterion(id=1, levels=(Level(1, 0), Level(2, 1))),))
    assert judge(rule, {1: 1}).passed


def test_a_missing_criterion_is_named():
    with pytest.raises(RubricError) as error:
        judge(RULE, {1: 12})
    assert error.value.criterion == 2


def test_a_level_of_another_criterion_is_refused():
    with pytest.raises(RubricError) as error:
        judge(RULE, {1: 22, 2: 22})
    assert error.value.criterion == 1


def test_maximum_points():
    assert RULE.maximum_points == 5


@pytest.mark.parametrize(
    ("passed", "attempt", "expected"),
    [
        (True, 1, "pass"),
        (True, 3, "pass"),
        (False, 1, "resubmit"),
        (False, 2, "resubmit"),
        (False, 3, "fail"),
    ],
)
def test_outcome_with_three_attempts(passed, attempt, expected):
    assert outcome(passed, attempt=attempt, max_attempts=3) == expected


def test_a_single_attempt_fails_at_once():
    assert outcome(False, attempt=1, max_attempts=1) == "fail"


@pytest.mark.parametrize(
    ("total", "expected"), [(2, False), (3, True), (4, True), (5, True), (6, False)]
)
def test_borderline_within_the_margin_on_either_side(total, expected):
    assert is_borderline(total, pass_points=4, margin=1) is expected


def test_no_borderline_without_a_pass_mark():
    assert not is_borderline(4, pass_points=None, margin=10)


def test_the_sample_is_stable_and_near_its_share():
    keys = [f"submission-{number}" for number in range(2000)]
    chosen = [key for key in keys if in_sample(key, 0.25)]
    assert 400 < len(chosen) < 600
    assert chosen == [key for key in keys if in_sample(key, "0.25")]
    assert not any(in_sample(key, 0) for key in keys[:50])
    assert all(in_sample(key, 1) for key in keys[:50])
