"""Checks and checklist items that several profiles share.

Checklist items shared by profiles have one id and one text, so a reviewer
walking several profiles sees each question once.
"""

from __future__ import annotations

from datetime import date

from microcred.frameworks.quality.findings import Check, Problem, requires
from microcred.frameworks.quality.specification import Specification
from microcred.text import sentence

ASSESSMENT_FITS_OUTCOMES = (
    "assessment-fits-outcomes",
    sentence(
        "The assessment methods fit the learning outcomes: the evidence asked "
        "for shows each outcome."
    ),
)
OUTCOMES_AT_LEVEL = (
    "outcomes-at-level",
    sentence(
        "The learning outcomes are written at the stated level and are achievable in the workload."
    ),
)
INDUSTRY_NEED = (
    "industry-need-evidenced",
    sentence(
        "The need for the micro-credential (by industry, employers or the community) is evidenced."
    ),
)
QUALITY_ASSURANCE_REAL = (
    "quality-assurance-in-place",
    sentence("The quality assurance stated is in place and applies to this micro-credential."),
)
IDENTITY_CHECKED = (
    "identity-checked",
    sentence("Learners' identity is checked at assessment as stated."),
)


def has_outcomes(spec: Specification) -> bool:
    """Whether at least one learning outcome is written."""
    return any(outcome.text.strip() for outcome in spec.outcomes)


def has_workload(spec: Specification) -> bool:
    """Whether the notional workload is stated in hours."""
    return bool(spec.workload_hours)


def has_rubric(spec: Specification) -> bool:
    """Whether a rubric with at least one criterion says how evidence is judged."""
    return spec.rubric is not None and bool(spec.rubric.criteria)


def has_pass_rule(spec: Specification) -> bool:
    """Whether the rubric says what it takes to pass."""
    return spec.rubric is not None and bool(spec.rubric.pass_rule.strip())


def has_awarding_body(spec: Specification) -> bool:
    """Whether the awarding body (or the organisation that stands for it) is named."""
    return bool(spec.awarding_body_name)


def has_level(spec: Specification) -> bool:
    """Whether the EQF level is stated."""
    return spec.eqf_level is not None


outcomes_written: Check = requires(has_outcomes)
workload_stated: Check = requires(has_workload)
awarding_body_named: Check = requires(has_awarding_body)
level_stated: Check = requires(has_level)
rubric_defined: Check = requires(lambda spec: has_rubric(spec) and has_pass_rule(spec))


def all_present(*names: str) -> Check:
    """Make a check that reports each blank text field of ``names`` at its own field."""

    def check(spec: Specification, today: date) -> list[Problem]:
        return [Problem(field=name) for name in names if not getattr(spec, name).strip()]

    return check
