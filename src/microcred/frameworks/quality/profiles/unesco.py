"""UNESCO's common definition: assessment against clearly defined standards, a trusted
provider, standalone value (and, optionally, a contribution to other credentials)."""

from __future__ import annotations

from datetime import date

from microcred.frameworks.quality.findings import Problem, Profile, Rule, Severity, present
from microcred.frameworks.quality.profiles import common
from microcred.frameworks.quality.specification import Specification
from microcred.text import sentence

ID = "unesco"
DOCUMENT = "UNESCO, Towards a common definition of micro-credentials (2022)"

ERROR, ADVICE = Severity.ERROR, Severity.ADVICE


def _assessment_standards(spec: Specification, today: date) -> list[Problem]:
    if not common.has_rubric(spec):
        return [
            Problem(
                message=sentence("Add a rubric whose criteria define the standard of assessment.")
            )
        ]
    if not common.has_pass_rule(spec):
        return [
            Problem(field="rubric.pass_rule", message=sentence("State the rubric's pass rule."))
        ]
    return []


def _trusted_provider(spec: Specification, today: date) -> list[Problem]:
    problems = []
    if not common.has_awarding_body(spec):
        problems.append(Problem(field="awarding_body", message=sentence("Name the awarding body.")))
    if not spec.quality_assurance.strip():
        problems.append(
            Problem(
                field="quality_assurance",
                message=sentence("State the quality assurance that makes the provider trusted."),
            )
        )
    return problems


def _standalone_value(spec: Specification, today: date) -> list[Problem]:
    if spec.description.strip() or spec.statement_of_purpose.strip():
        return []
    return [Problem()]


PROFILE = Profile(
    id=ID,
    name=sentence("UNESCO definition of micro-credentials"),
    source=DOCUMENT,
    rules=(
        Rule(
            f"{ID}.assessment-standards",
            ERROR,
            sentence("Assess against clearly defined standards."),
            "rubric",
            DOCUMENT,
            _assessment_standards,
        ),
        Rule(
            f"{ID}.trusted-provider",
            ERROR,
            sentence("Show that a trusted provider awards it."),
            "awarding_body",
            DOCUMENT,
            _trusted_provider,
        ),
        Rule(
            f"{ID}.standalone-value",
            ERROR,
            sentence(
                "Describe the value of the micro-credential on its own (description or "
                "statement of purpose)."
            ),
            "description",
            DOCUMENT,
            _standalone_value,
        ),
        Rule(
            f"{ID}.stackability",
            ADVICE,
            sentence(
                "Consider stating what the micro-credential contributes to (other "
                "micro-credentials or larger credentials)."
            ),
            "stackability",
            DOCUMENT,
            present("stackability"),
        ),
    ),
    checklist=(
        common.ASSESSMENT_FITS_OUTCOMES,
        common.QUALITY_ASSURANCE_REAL,
        (
            f"{ID}.standalone-value",
            sentence("The micro-credential has value on its own for learners and employers."),
        ),
    ),
)
