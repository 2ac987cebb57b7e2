"""Grade conversion by grading tables: the ECTS method, as the EGRACONS project applies it.

Grades do not convert by arithmetic: a 27/30 in Italy and a 2.0 in Germany mean what they
mean in the distribution of grades they come from. The ECTS Users' Guide 2015 (European
Commission), section 4.3 "Grade distribution", asks each institution to publish a grading
table per reference group (a field of study, by its ISCED-F code): the share of each
passing grade among all passing grades awarded over at least two years. A grade then
converts by its position in that distribution: the grade of the other table that holds
the same percentile band. The EGRACONS tool (European Grade Conversion System) does
exactly that for the institutions that take part.

The method here, step by step:

1. Order each table's passing grades best first and give each grade its band of
   cumulative percentages: the best grade with 10% covers 0-10, the next with 25% covers
   10-35, and so on to 100.
2. The source grade's band is compared with every band of the target table; each target
   grade whose band overlaps it is a candidate, with its **share**: the part of the source
   band it covers (the shares add up to 1).
3. The **main** grade is the one with the largest share; when two share it equally, the
   better grade (the learner gets the benefit of the doubt, as recognition of prior
   learning asks). A grade held by no one (0%) has a band of one point; the target grade
   whose band holds that point is its conversion.

Percentages are as published, so they are rounded: a table is accepted when they add up to
100 within :data:`ROUNDING_TOLERANCE` points, and bands are computed on the shares scaled
to exactly 100. Tables for different fields do not compare (the guide compares like with
like), so converting across fields is refused.

There is no open data set of grading tables: the tests use synthetic tables with answers
computed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from microcred.errors import InvalidInput
from microcred.text import sentence

__all__ = ["ROUNDING_TOLERANCE", "Conversion", "GradingTable", "convert"]

# Published percentages are rounded to whole numbers or one decimal: a table whose shares
# add up to between 99 and 101 is a table of rounded shares, not a wrong one.
ROUNDING_TOLERANCE = 1.0


@dataclass(frozen=True)
class GradingTable:
    """The distribution of an institution's passing grades in one field, best grade first.

    ``grades`` pairs each passing grade with its percentage of all passing grades.
    ``field`` names the reference group (an ISCED-F code such as ``"0613"``).
    """

    system: str
    field: str
    grades: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        # Accept any sequence of pairs (a list read from JSON) but keep an immutable tuple.
        pairs = []
        for index, pair in enumerate(self.grades):
            if not isinstance(pair, tuple | list) or len(pair) != 2:
                raise InvalidInput(
                    sentence("Each grade is a pair: the grade and its percentage."),
                    field=f"grades[{index}]",
                )
            pairs.append(tuple(pair))
        object.__setattr__(self, "grades", tuple(pairs))
        if not isinstance(self.system, str) or not self.system.strip():
            raise InvalidInput(sentence("The grading system needs a name."), field="system")
        if not isinstance(self.field, str) or not self.field.strip():
            raise InvalidInput(sentence("The table needs its field of study."), field="field")
        if not self.grades:
            raise InvalidInput(sentence("The table lists no grades."), field="grades")
        seen = set()
        for index, (grade, share) in enumerate(self.grades):
            if not isinstance(grade, str) or not grade.strip():
                raise InvalidInput(
                    sentence("A grade needs a name."), field=f"grades[{index}].grade"
                )
            if grade in seen:
                raise InvalidInput(
                    sentence(
                        "The grade %(grade)s is listed twice.",
                        grade=repr(grade),
                    ),
                    field=f"grades[{index}].grade",
                )
            seen.add(grade)
            if (
                isinstance(share, bool)
                or not isinstance(share, int | float)
                or not math.isfinite(share)
                or share < 0
            ):
                raise InvalidInput(
                    sentence(
                        "The share of %(grade)s must be a percentage of 0 or more; got %(share)s.",
                        grade=repr(grade),
                        share=repr(share),
                    ),
                    field=f"grades[{index}].percentage",
                )
        total = sum(share for _, share in self.grades)
        if abs(total - 100) > ROUNDING_TOLERANCE:
            raise InvalidInput(
                sentence(
                    "The percentages add up to %(total)s, not 100.",
                    total=format(total, "g"),
                ),
                code="grades.not_100",
                field="grades",
                data={"total": total},
            )

    @classmethod
    def from_counts(
        cls, system: str, field: str, counts: Iterable[tuple[str, int]]
    ) -> GradingTable:
        """Return the table of ``counts`` (each passing grade, best first, and how often given)."""
        counts = tuple(counts)
        for index, (grade, count) in enumerate(counts):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InvalidInput(
                    sentence(
                        "The count of %(grade)s must be a whole number of 0 or more; got "
                        "%(count)s.",
                        grade=repr(grade),
                        count=repr(count),
                    ),
                    field=f"grades[{index}].count",
                )
        total = sum(count for _, count in counts)
        if counts and total == 0:
            raise InvalidInput(sentence("No passing grade was counted."), field="grades")
        return cls(system, field, tuple((grade, 100 * count / total) for grade, count in counts))

    def bands(self) -> dict[str, tuple[float, float]]:
        """Return each grade's band of cumulative percentages, from the top (best is 0)."""
        total = sum(share for _, share in self.grades)
        bands = {}
        low = 0.0
        for grade, share in self.grades:
            high = low + 100 * share / total
            bands[grade] = (low, high)
            low = high
        return bands


@dataclass(frozen=True)
class Conversion:
    """A grade converted: the target grades whose bands overlap its band, with their shares."""

    grade: str
    source: GradingTable
    target: GradingTable
    band: tuple[float, float]
    shares: Mapping[str, float]
    main: str

    @property
    def message(self) -> str:
        """The conversion in words: where the grade stands, what it converts to, and the rest."""
        low, high = self.band
        others = [grade for grade in self.shares if grade != self.main]
        values = {
            "grade": self.grade,
            "source": self.source.system,
            "low": f"{low:g}",
            "high": f"{high:g}",
            "main": self.main,
            "target": self.target.system,
        }
        if others:
            return sentence(
                "%(grade)s in %(source)s (top %(low)s-%(high)s%% of passing grades) converts to "
                "%(main)s in %(target)s (%(share)s%%; also %(others)s).",
                share=f"{round(self.shares[self.main] * 100, 1):g}",
                others=", ".join(others),
                **values,
            )
        return sentence(
            "%(grade)s in %(source)s (top %(low)s-%(high)s%% of passing grades) converts to "
            "%(main)s in %(target)s.",
            **values,
        )


def convert(grade: str, source: GradingTable, target: GradingTable) -> Conversion:
    """Return ``grade`` of ``source`` converted to ``target`` by matching percentile bands.

    Raise :class:`InvalidInput` when ``grade`` is not a passing grade of ``source`` or the
    tables are of different fields.
    """
    bands = source.bands()
    if grade not in bands:
        raise InvalidInput(
            sentence(
                "%(grade)s is not a passing grade of %(system)s; its grades are %(bands)s.",
                grade=repr(grade),
                system=source.system,
                bands=", ".join(bands),
            ),
            code="grades.unknown_grade",
            field="grade",
        )
    if source.field != target.field:
        raise InvalidInput(
            sentence(
                "The tables are for different fields (%(field)s and %(other_field)s); grades"
                " convert only within one reference group.",
                field=source.field,
                other_field=target.field,
            ),
            code="grades.different_fields",
            field="target.field",
        )
    low, high = bands[grade]
    target_bands = target.bands()
    shares: dict[str, float] = {}
    if high - low > 0:
        for candidate, (t_low, t_high) in target_bands.items():
            overlap = min(high, t_high) - max(low, t_low)
            if overlap > 1e-9:
                # Rounded so that equal overlaps compare equal despite floating point.
                shares[candidate] = round(overlap / (high - low), 9)
    else:
        # Nobody got this grade: its band is a point; take the band that holds it.
        for candidate, (t_low, t_high) in target_bands.items():
            if t_low <= low < t_high or (low == 100 and t_high == 100):
                shares[candidate] = 1.0
                break
    # Target grades are best first, so on a tie max() keeps the better grade.
    main = max(shares, key=lambda candidate: shares[candidate])
    return Conversion(grade, source, target, (low, high), shares, main)
