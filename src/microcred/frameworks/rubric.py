"""The rubric's pass rule, moderation sampling and the outcome of an attempt, as pure rules.

A rubric has criteria, each with levels worth points and, optionally, a
minimum level to pass; the rubric may also ask for a total of points. A
judgement passes when every criterion is at or above its minimum level (by
points: a level worth as much as the minimum is "at" it) and the total
reaches the pass mark. A failed attempt is "resubmit" while attempts remain
and "fail" on the last one.

Nothing here knows Django: the assessment app turns its rows into these
values and stores what comes back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from microcred.text import sentence

PASS = "pass"
FAIL = "fail"
RESUBMIT = "resubmit"


@dataclass(frozen=True)
class Level:
    id: int
    points: int


@dataclass(frozen=True)
class Criterion:
    id: int
    levels: Sequence[Level]
    minimum_level: int | None = None


@dataclass(frozen=True)
class Rule:
    """A rubric reduced to what its pass rule needs."""

    criteria: Sequence[Criterion]
    pass_points: int | None = None

    @property
    def maximum_points(self) -> int:
        return sum(max((level.points for level in c.levels), default=0) for c in self.criteria)


@dataclass(frozen=True)
class Judgement:
    """What the pass rule says about one set of chosen levels."""

    passed: bool
    total: int
    below_minimum: tuple[int, ...]


class RubricError(ValueError):
    """The chosen levels do not fit the rubric: a criterion missing, or a level of another one."""

    def __init__(self, message: str, *, criterion: int) -> None:
        super().__init__(message)
        self.criterion = criterion


def judge(rule: Rule, chosen: Mapping[int, int]) -> Judgement:
    """Apply the pass rule to ``chosen`` (criterion id to level id); every criterion needs one.

    Raise :class:`RubricError` naming the criterion when a level is missing or
    belongs to another criterion.
    """
    total = 0
    below = []
    for criterion in rule.criteria:
        if criterion.id not in chosen:
            raise RubricError(
                sentence(
                    "Criterion %(id)s has no level.",
                    id=criterion.id,
                ),
                criterion=criterion.id,
            )
        points = {level.id: level.points for level in criterion.levels}
        level = chosen[criterion.id]
        if level not in points:
            raise RubricError(
                sentence(
                    "Level %(level)s is not a level of criterion %(id)s.",
                    level=level,
                    id=criterion.id,
                ),
                criterion=criterion.id,
            )
        total += points[level]
        if criterion.minimum_level is not None and points[level] < points[criterion.minimum_level]:
            below.append(criterion.id)
    reaches_total = rule.pass_points is None or total >= rule.pass_points
    return Judgement(passed=not below and reaches_total, total=total, below_minimum=tuple(below))


def outcome(passed: bool, *, attempt: int, max_attempts: int) -> str:
    """Return "pass", or for a failed attempt "resubmit" while attempts remain, else "fail"."""
    if passed:
        return PASS
    return RESUBMIT if attempt < max_attempts else FAIL


def is_borderline(total: int, *, pass_points: int | None, margin: int) -> bool:
    """Whether ``total`` lies within ``margin`` points of the pass mark, on either side.

    A rubric without a total pass mark has no borderline by points.
    """
    return pass_points is not None and abs(total - pass_points) <= margin


def in_sample(key: str, share: Decimal | float) -> bool:
    """Whether the submission identified by ``key`` falls in a moderation sample of ``share``.

    The choice is a hash of the key, not a random draw: the same submission is
    always in or out, a rerun chooses the same sample, and over many
    submissions the sample comes to ``share`` of them.
    """
    share = Decimal(str(share))
    if share <= 0:
        return False
    if share >= 1:
        return True
    bucket = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return Decimal(bucket) / Decimal(2**64) < share
