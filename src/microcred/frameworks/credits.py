"""Credit systems and their conversion through notional hours of learning.

A micro-credential states its workload in hours and, optionally, in any
number of credit systems (EU Council Recommendation 2022/C 243/02, Annex I:
"notional workload needed to achieve the learning outcomes (in ECTS, wherever
possible)"). Every system here is defined by the hours one credit stands for,
so values convert through hours and can be checked against the stated hours.

Hours per credit, and where the figure comes from:

- ``ECTS``: 25-30 hours (ECTS Users' Guide 2015, section 3.2: 60 credits are
  1,500-1,800 hours of a full-time year). 27.5 is used as the central value.
- ``UK``: 10 notional hours (QAA, Higher Education Credit Framework for
  England, 2021: one credit is ten notional hours of learning).
- ``NZQCF``: 10 notional learning hours (NZQA, New Zealand Qualifications and
  Credentials Framework: one credit is ten notional learning hours).
- ``US_SEMESTER``: 45 hours of total learning. The US federal definition of a
  credit hour (34 CFR 600.2) is one hour of classroom instruction and at least
  two hours of out-of-class work each week for about fifteen weeks, that is
  15 + 30 = 45 hours; this module assumes that minimum as the notional total.
- ``CEU``: 10 contact hours (IACET: one Continuing Education Unit is ten
  contact hours of instruction). Contact hours are treated as notional hours,
  an assumption: a CEU says nothing about private study.
- ``HOURS``: plain study hours, one hour each.

Hours are notional and approximate, so everything here is a float.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from microcred.errors import InvalidInput
from microcred.text import Sentence, capitalised, plural_sentence, sentence

Number = int | float | Decimal

# How far beyond a system's own range a value may stray before it is flagged: credit
# values are usually rounded to a half or a whole credit.
DEFAULT_TOLERANCE = 0.1
# Values are stated to two decimals, so half a hundredth either way is rounding, not disagreement.
ROUNDING = 0.005


@dataclass(frozen=True)
class CreditSystem:
    """A credit system: how many notional hours of learning one credit stands for."""

    code: str
    name: str
    hours_low: float
    hours_high: float
    hours_central: float

    @property
    def label(self) -> str:
        """The name as a form labels it, with a capital: "Study hours", "ECTS credits" (in
        the reader's language where a page shows it)."""
        if isinstance(self.name, Sentence):
            return capitalised(self.name)
        return self.name[:1].upper() + self.name[1:]

    @property
    def hours_text(self) -> str:
        """The hours of one credit in words, such as "25-30 hours"."""
        if self.hours_low == self.hours_high:
            return plural_sentence("%(count)s hour", "%(count)s hours", count=int(self.hours_low))
        return sentence(
            "%(low)s-%(high)s hours",
            low=format_amount(self.hours_low),
            high=format_amount(self.hours_high),
        )


SYSTEMS: dict[str, CreditSystem] = {
    system.code: system
    for system in (
        CreditSystem("ECTS", sentence("ECTS credits"), 25, 30, 27.5),
        CreditSystem("UK", sentence("UK credits"), 10, 10, 10),
        CreditSystem("NZQCF", sentence("NZQCF credits"), 10, 10, 10),
        CreditSystem("US_SEMESTER", sentence("US semester credit hours"), 45, 45, 45),
        CreditSystem("CEU", sentence("Continuing education units"), 10, 10, 10),
        CreditSystem("HOURS", sentence("study hours"), 1, 1, 1),
    )
}


@dataclass(frozen=True)
class CreditFinding:
    """A credit value that disagrees with the stated hours, and what it should be."""

    system: str
    value: float
    expected_low: float
    expected_high: float
    message: str
    code: str = "credits.disagrees"

    @property
    def field(self) -> str:
        return f"credits.{self.system}"


def get_system(code: str) -> CreditSystem:
    """Return the credit system called ``code``; raise :class:`InvalidInput` for an unknown one."""
    try:
        return SYSTEMS[code]
    except (KeyError, TypeError):
        raise InvalidInput(
            sentence(
                "Unknown credit system %(code)s; use one of %(systems)s.",
                code=repr(code),
                systems=", ".join(SYSTEMS),
            ),
            code="credits.unknown_system",
            field="system",
            data={"systems": list(SYSTEMS)},
        ) from None


def hours_for(system: str, value: Number) -> tuple[float, float]:
    """Return the range of notional hours that ``value`` credits of ``system`` stand for."""
    definition = get_system(system)
    credits = _amount(value, "value")
    return credits * definition.hours_low, credits * definition.hours_high


def credits_for(system: str, hours: Number) -> float:
    """Return the credits of ``system`` that ``hours`` notional hours are worth (central value)."""
    return _amount(hours, "hours") / get_system(system).hours_central


def convert(value: Number, source: str, target: str) -> float:
    """Return ``value`` credits of ``source`` as credits of ``target``, through central hours.

    Credits of different systems are only comparable through the notional hours they stand
    for; the central value of each system is used, so 10 UK credits (100 hours) are about
    3.6 ECTS credits (at 27.5 hours each).
    """
    amount = _amount(value, "value")
    if source == target:
        get_system(source)
        return amount
    return credits_for(target, amount * get_system(source).hours_central)


def credits_range(system: str, hours: Number) -> tuple[float, float]:
    """Return the lowest and highest credit values of ``system`` that agree with ``hours``."""
    definition = get_system(system)
    amount = _amount(hours, "hours")
    return amount / definition.hours_high, amount / definition.hours_low


def check_credits(
    hours: Number,
    values: Mapping[str, Number],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[CreditFinding]:
    """Return a finding for each credit value that disagrees with ``hours`` beyond ``tolerance``.

    A value agrees when it lies within the credits the hours are worth at
    the system's lowest and highest hours per credit, widened by
    ``tolerance`` (a fraction) on each side and by :data:`ROUNDING`.
    """
    amount = _amount(hours, "hours")
    if amount <= 0:
        raise InvalidInput(
            sentence("The workload must be more than 0 hours."),
            code="credits.no_hours",
            field="hours",
        )
    findings = []
    for code, raw in values.items():
        definition = get_system(code)
        value = _amount(raw, f"credits.{code}")
        low, high = credits_range(code, amount)
        if low * (1 - tolerance) - ROUNDING <= value <= high * (1 + tolerance) + ROUNDING:
            continue
        should_be = format_range(low, high)
        findings.append(
            CreditFinding(
                system=code,
                value=value,
                expected_low=low,
                expected_high=high,
                message=sentence(
                    "%(system)s: %(value)s does not match %(hours)s hours of learning; at "
                    "%(per_credit)s per credit it should be %(should_be)s.",
                    system=definition.name,
                    value=format_amount(value),
                    hours=format_amount(amount),
                    per_credit=definition.hours_text,
                    should_be=should_be,
                ),
            )
        )
    return findings


def _amount(value: Number, field: str) -> float:
    """Return ``value`` as a finite, non-negative float, or raise naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(
            sentence(
                "%(field)s must be a number; got %(value)s.",
                field=field,
                value=repr(value),
            ),
            field=field,
        )
    amount = float(value)
    if not math.isfinite(amount) or amount < 0:
        raise InvalidInput(
            sentence(
                "%(field)s must be a number of 0 or more; got %(value)s.",
                field=field,
                value=value,
            ),
            field=field,
        )
    return amount


def format_range(low: float, high: float) -> str:
    """Write a range for people, such as "3.3-4", or one figure when both ends read the same."""
    first, last = format_amount(low), format_amount(high)
    return first if first == last else f"{first}-{last}"


def format_amount(value: float | Decimal) -> str:
    """Write a figure for people: one decimal from 1 up, two below, no trailing zeros."""
    value = float(value)
    text = f"{value:.1f}" if value >= 1 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
