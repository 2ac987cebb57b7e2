"""MICROBOL: the metadata groups a micro-credential in the EHEA describes.

Each of the seven groups maps to the specification fields that show it. The
learner's own details are put on each award by the platform; what the
specification can show for that group is how the learner's identity is verified.
"""

from __future__ import annotations

from datetime import date

from microcred.frameworks.quality.findings import Problem, Profile, Rule, Severity, present
from microcred.frameworks.quality.profiles import common
from microcred.frameworks.quality.specification import Specification
from microcred.text import sentence

ID = "microbol"
DOCUMENT = "MICROBOL, Common Framework for Micro-credentials in the EHEA (2022)"

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def _issuer(spec: Specification, today: date) -> list[Problem]:
    problems = []
    if not common.has_awarding_body(spec):
        problems.append(Problem(field="awarding_body", message=sentence("Name the awarding body.")))
    if not spec.country.strip():
        problems.append(Problem(field="country", message=sentence("State the issuer's country.")))
    return problems


def _micro_credential(spec: Specification, today: date) -> list[Problem]:
    problems = []
    if not spec.title.strip():
        problems.append(
            Problem(field="title", message=sentence("Give the micro-credential a title."))
        )
    if not common.has_outcomes(spec):
        problems.append(Problem(field="outcomes", message=sentence("Write the learning outcomes.")))
    return problems


def _learning_experience(spec: Specification, today: date) -> list[Problem]:
    problems = []
    if not common.has_workload(spec):
        problems.append(
            Problem(field="workload_hours", message=sentence("State the workload in hours."))
        )
    if not spec.assessment_type.strip():
        problems.append(
            Problem(
                field="assessment_type", message=sentence("State how the learning is assessed.")
            )
        )
    if not spec.quality_assurance.strip():
        problems.append(
            Problem(
                field="quality_assurance", message=sentence("State the quality assurance used.")
            )
        )
    return problems


PROFILE = Profile(
    id=ID,
    name=sentence("MICROBOL metadata groups"),
    source=DOCUMENT,
    rules=(
        Rule(
            f"{ID}.learner",
            WARNING,
            sentence("State how the learner's identity is verified; each award names the learner."),
            "identity_verification",
            f"{DOCUMENT}: information about the learner",
            present("identity_verification"),
        ),
        Rule(
            f"{ID}.issuer",
            ERROR,
            sentence("Name the issuing organisation and its country."),
            "awarding_body",
            f"{DOCUMENT}: information about the issuing organisation",
            _issuer,
        ),
        Rule(
            f"{ID}.micro-credential",
            ERROR,
            sentence("Describe the micro-credential."),
            "title",
            f"{DOCUMENT}: information about the micro-credential",
            _micro_credential,
        ),
        Rule(
            f"{ID}.learning-experience",
            ERROR,
            sentence("Describe the learning experience."),
            "workload_hours",
            f"{DOCUMENT}: information about the learning experience",
            _learning_experience,
        ),
        Rule(
            f"{ID}.level",
            ERROR,
            sentence("State the level of the learning (EQF 1-8)."),
            "eqf_level",
            f"{DOCUMENT}: level",
            common.level_stated,
        ),
        Rule(
            f"{ID}.participation",
            ERROR,
            sentence("State the form of participation: online, onsite or blended."),
            "participation_form",
            f"{DOCUMENT}: form of participation",
            present("participation_form"),
        ),
        Rule(
            f"{ID}.entry-requirements",
            WARNING,
            sentence("State the entry requirements (prerequisites), or that there are none."),
            "prerequisites",
            f"{DOCUMENT}: entry requirements",
            present("prerequisites"),
        ),
    ),
    checklist=(
        common.ASSESSMENT_FITS_OUTCOMES,
        common.OUTCOMES_AT_LEVEL,
        (
            f"{ID}.entry-requirements-fair",
            sentence(
                "The entry requirements are needed for the outcomes and do not exclude learners "
                "without reason."
            ),
        ),
    ),
)
