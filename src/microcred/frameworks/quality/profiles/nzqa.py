"""New Zealand: micro-credentials listed on the NZQCF have 1 to 40 credits, a level and a
review period."""

from __future__ import annotations

from datetime import date

from microcred.frameworks.credits import credits_for, format_amount
from microcred.frameworks.quality.findings import Problem, Profile, Rule, Severity, requires
from microcred.frameworks.quality.profiles import common
from microcred.frameworks.quality.specification import Specification
from microcred.text import sentence

ID = "nzqa"
LISTING = "NZQA Qualification and Micro-credential Listing and Operational Rules 2022, rule 6"
LOWEST, HIGHEST = 1.0, 40.0

ERROR = Severity.ERROR


def _credits(spec: Specification, today: date) -> list[Problem]:
    stated = spec.credits.get("NZQCF")
    if stated is None:
        if spec.hours is None:
            return [Problem(message=sentence("State the credit value in NZQCF credits (1 to 40)."))]
        stated = credits_for("NZQCF", spec.hours)
        worth = sentence(
            "The workload is worth %(credits)s NZQCF credits", credits=format_amount(stated)
        )
    else:
        worth = sentence(
            "The credit value is %(credits)s NZQCF credits", credits=format_amount(stated)
        )
    if LOWEST <= round(stated, 2) <= HIGHEST:
        return []
    return [
        Problem(
            message=sentence(
                "%(worth)s; an NZQA micro-credential has 1 to 40 credits (10 to 400 notional "
                "learning hours).",
                worth=worth,
            )
        )
    ]


PROFILE = Profile(
    id=ID,
    name=sentence("New Zealand: NZQA micro-credentials"),
    source=LISTING,
    rules=(
        Rule(
            f"{ID}.credits",
            ERROR,
            sentence("Give 1 to 40 NZQCF credits."),
            "credits.NZQCF",
            LISTING,
            _credits,
        ),
        Rule(
            f"{ID}.level",
            ERROR,
            sentence("State the level on the framework (as its EQF level, 1-8)."),
            "eqf_level",
            LISTING,
            common.level_stated,
        ),
        Rule(
            f"{ID}.review-date",
            ERROR,
            sentence(
                "Set a review date: NZQA lists a period for ongoing review (usually 1-3 years)."
            ),
            "review_date",
            LISTING,
            requires(lambda spec: spec.review_date is not None),
        ),
    ),
    checklist=(
        common.INDUSTRY_NEED,
        (
            f"{ID}.no-duplication",
            sentence(
                "The micro-credential does not duplicate learning already quality assured by NZQA."
            ),
        ),
        (
            f"{ID}.purpose-outcome",
            sentence(
                "The purpose statement says who the micro-credential serves and the pathways it "
                "opens."
            ),
        ),
    ),
)
