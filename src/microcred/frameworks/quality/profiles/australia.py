"""Australia's National Microcredentials Framework: assessed learning of at least one hour,
smaller than a full AQF qualification."""

from __future__ import annotations

import re
from datetime import date

from microcred.frameworks.quality.findings import Problem, Profile, Rule, Severity
from microcred.frameworks.quality.specification import Specification
from microcred.text import sentence

ID = "au-nmf"
DOCUMENT = "National Microcredentials Framework (Australian Government, 2021)"
DEFINITION = f"{DOCUMENT}, definition of a microcredential"

MINIMUM_HOURS = 1.0
# The smallest AQF award qualification, Certificate I, has a volume of learning of 0.5-1 year
# (AQF, 2nd edition 2013; one year is 1,200 hours): a microcredential stays below 600 hours.
QUALIFICATION_HOURS = 600.0

# An assessment type made only of these words certifies attendance, not learning.
_PARTICIPATION_WORDS = frozenset(
    {
        "participation", "attendance", "attending", "attended", "presence", "completion",
        "completing", "completed", "course", "sessions", "session", "all", "of", "the", "and",
        "or", "only", "full", "none", "self", "declared", "declaration", "enrolment",
        "in", "at", "each", "every", "class", "classes", "lecture", "lectures", "workshop",
        "workshops", "webinar", "webinars", "module", "modules",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")

ERROR = Severity.ERROR


def participation_only(assessment_type: str) -> bool:
    """Whether ``assessment_type`` says learners pass by taking part rather than being assessed."""
    words = _WORD.findall(assessment_type.lower())
    return bool(words) and all(word in _PARTICIPATION_WORDS for word in words)


def _minimum_volume(spec: Specification, today: date) -> list[Problem]:
    hours = spec.hours
    if hours is None:
        return [Problem(message=sentence("State the workload in hours (at least one hour)."))]
    if hours < MINIMUM_HOURS:
        return [
            Problem(
                message=sentence(
                    "The workload is %(hours)s hours; a microcredential needs at least one "
                    "hour of learning.",
                    hours=f"{hours:g}",
                )
            )
        ]
    return []


def _smaller_than_qualification(spec: Specification, today: date) -> list[Problem]:
    hours = spec.hours
    if hours is not None and hours >= QUALIFICATION_HOURS:
        return [
            Problem(
                message=sentence(
                    "The workload is %(hours)s hours, as large as an AQF Certificate I (from "
                    "%(limit)s hours); reduce it below that.",
                    hours=f"{hours:g}",
                    limit=f"{QUALIFICATION_HOURS:g}",
                )
            )
        ]
    return []


def _assessed(spec: Specification, today: date) -> list[Problem]:
    if not spec.assessment_type.strip():
        return [Problem(message=sentence("State how the learning is assessed."))]
    if participation_only(spec.assessment_type):
        return [
            Problem(
                message=sentence(
                    "%(assessment)s certifies participation only; a microcredential certifies "
                    "assessed learning. Describe the assessment.",
                    assessment=repr(spec.assessment_type.strip()),
                )
            )
        ]
    return []


PROFILE = Profile(
    id=ID,
    name=sentence("Australia: National Microcredentials Framework"),
    source=DOCUMENT,
    rules=(
        Rule(
            f"{ID}.minimum-volume",
            ERROR,
            sentence("A microcredential needs at least one hour of learning."),
            "workload_hours",
            DEFINITION,
            _minimum_volume,
        ),
        Rule(
            f"{ID}.smaller-than-qualification",
            ERROR,
            sentence("A microcredential is smaller than an AQF award qualification."),
            "workload_hours",
            DEFINITION,
            _smaller_than_qualification,
        ),
        Rule(
            f"{ID}.assessed",
            ERROR,
            sentence("A microcredential certifies assessed learning."),
            "assessment_type",
            DEFINITION,
            _assessed,
        ),
    ),
    checklist=(
        (
            f"{ID}.assessment-valid",
            sentence("The assessment judges the learning or competency itself, not attendance."),
        ),
        (
            f"{ID}.not-a-qualification",
            sentence(
                "The micro-credential does not duplicate or stand in for a full AQF qualification."
            ),
        ),
    ),
)
