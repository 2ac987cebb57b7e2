"""STACQ: the seven criteria of a quality micro-credential, each shown by specification fields.

Verification of the credential itself is what the platform's signed awards
provide; what the specification shows is how the learner's identity is checked
at assessment. Testing is the assessment: its type and a rubric with a pass rule.
"""

from __future__ import annotations

from datetime import date

from microcred.frameworks.quality.findings import Problem, Profile, Rule, Severity, present
from microcred.frameworks.quality.profiles import common
from microcred.frameworks.quality.specification import Specification
from microcred.text import sentence

ID = "stacq"
DOCUMENT = "STACQ project, quality criteria for micro-credentials"

ERROR = Severity.ERROR


def _testing(spec: Specification, today: date) -> list[Problem]:
    problems = []
    if not spec.assessment_type.strip():
        problems.append(
            Problem(field="assessment_type", message=sentence("State the type of assessment."))
        )
    if not (common.has_rubric(spec) and common.has_pass_rule(spec)):
        problems.append(
            Problem(field="rubric", message=sentence("Add a rubric with criteria and a pass rule."))
        )
    return problems


def _identification(spec: Specification, today: date) -> list[Problem]:
    problems = []
    if not spec.title.strip():
        problems.append(
            Problem(field="title", message=sentence("Give the micro-credential a title."))
        )
    if not common.has_awarding_body(spec):
        problems.append(Problem(field="awarding_body", message=sentence("Name the awarding body.")))
    if not spec.country.strip():
        problems.append(Problem(field="country", message=sentence("State the issuer's country.")))
    return problems


PROFILE = Profile(
    id=ID,
    name=sentence("STACQ quality criteria"),
    source=DOCUMENT,
    rules=(
        Rule(
            f"{ID}.quality-assurance",
            ERROR,
            sentence("State the quality assurance that underpins the micro-credential."),
            "quality_assurance",
            f"{DOCUMENT}: quality assurance",
            present("quality_assurance"),
        ),
        Rule(
            f"{ID}.verification",
            ERROR,
            sentence("State how the learner's identity is verified at assessment."),
            "identity_verification",
            f"{DOCUMENT}: verification",
            present("identity_verification"),
        ),
        Rule(
            f"{ID}.level",
            ERROR,
            sentence("State the level (EQF 1-8)."),
            "eqf_level",
            f"{DOCUMENT}: level",
            common.level_stated,
        ),
        Rule(
            f"{ID}.learning-outcomes",
            ERROR,
            sentence("Write the learning outcomes."),
            "outcomes",
            f"{DOCUMENT}: learning outcomes",
            common.outcomes_written,
        ),
        Rule(
            f"{ID}.workload",
            ERROR,
            sentence("State the workload in hours."),
            "workload_hours",
            f"{DOCUMENT}: workload",
            common.workload_stated,
        ),
        Rule(
            f"{ID}.testing",
            ERROR,
            sentence("Say how the learning is tested."),
            "assessment_type",
            f"{DOCUMENT}: testing",
            _testing,
        ),
        Rule(
            f"{ID}.identification",
            ERROR,
            sentence("Identify the micro-credential and its issuer."),
            "title",
            f"{DOCUMENT}: identification",
            _identification,
        ),
    ),
    checklist=(
        common.ASSESSMENT_FITS_OUTCOMES,
        common.QUALITY_ASSURANCE_REAL,
        common.IDENTITY_CHECKED,
    ),
)
