"""EU Council Recommendation on micro-credentials: the elements of Annex I.

The mandatory elements a specification carries are errors when missing (the
level only a warning: Annex I asks for it "if applicable"); the optional
elements are reported as advice. Identification of the learner, the date of
issuing and the grade are on each award, not on the specification.
"""

from __future__ import annotations

from microcred.frameworks.quality.findings import Profile, Rule, Severity, present, requires
from microcred.frameworks.quality.profiles import common
from microcred.text import sentence

ID = "eu-annex-i"
DOCUMENT = "Council Recommendation 2022/C 243/02, Annex I"
MANDATORY = f"{DOCUMENT}, mandatory elements"
OPTIONAL = f"{DOCUMENT}, optional elements"

ERROR, WARNING, ADVICE = Severity.ERROR, Severity.WARNING, Severity.ADVICE

PROFILE = Profile(
    id=ID,
    name=sentence("EU Council Recommendation on micro-credentials (Annex I)"),
    source=DOCUMENT,
    rules=(
        Rule(
            f"{ID}.title",
            ERROR,
            sentence("Give the micro-credential a title."),
            "title",
            MANDATORY,
            present("title"),
        ),
        Rule(
            f"{ID}.country",
            ERROR,
            sentence(
                "State the country (or region) of the issuer as an ISO 3166-1 code such as NL."
            ),
            "country",
            MANDATORY,
            present("country"),
        ),
        Rule(
            f"{ID}.awarding-body",
            ERROR,
            sentence("Name the awarding body."),
            "awarding_body",
            MANDATORY,
            common.awarding_body_named,
        ),
        Rule(
            f"{ID}.outcomes",
            ERROR,
            sentence("Write the learning outcomes: what a holder knows, understands and can do."),
            "outcomes",
            MANDATORY,
            common.outcomes_written,
        ),
        Rule(
            f"{ID}.workload",
            ERROR,
            sentence("State the notional workload needed to achieve the outcomes, in hours."),
            "workload_hours",
            MANDATORY,
            common.workload_stated,
        ),
        Rule(
            f"{ID}.workload-ects",
            ADVICE,
            sentence(
                "State the workload in ECTS credits as well: Annex I asks for ECTS wherever "
                "possible."
            ),
            "credits.ECTS",
            MANDATORY,
            requires(lambda spec: "ECTS" in spec.credits),
        ),
        Rule(
            f"{ID}.level",
            WARNING,
            sentence(
                "State the level (EQF 1-8) where one applies; Annex I asks for it if applicable."
            ),
            "eqf_level",
            MANDATORY,
            common.level_stated,
        ),
        Rule(
            f"{ID}.assessment",
            ERROR,
            sentence(
                "State the type of assessment (for example: a graded project and an oral exam)."
            ),
            "assessment_type",
            MANDATORY,
            present("assessment_type"),
        ),
        Rule(
            f"{ID}.participation",
            ERROR,
            sentence("State the form of participation: online, onsite or blended."),
            "participation_form",
            MANDATORY,
            present("participation_form"),
        ),
        Rule(
            f"{ID}.quality-assurance",
            ERROR,
            sentence("State the type of quality assurance that underpins the micro-credential."),
            "quality_assurance",
            MANDATORY,
            present("quality_assurance"),
        ),
        Rule(
            f"{ID}.prerequisites",
            ADVICE,
            sentence("Consider stating the prerequisites for enrolling (or that there are none)."),
            "prerequisites",
            OPTIONAL,
            present("prerequisites"),
        ),
        Rule(
            f"{ID}.identity-verification",
            ADVICE,
            sentence(
                "Consider stating the supervision and identity verification during assessment."
            ),
            "identity_verification",
            OPTIONAL,
            present("identity_verification"),
        ),
        Rule(
            f"{ID}.stackability",
            ADVICE,
            sentence(
                "Consider stating the integration and stackability options (standalone, or what "
                "it stacks into)."
            ),
            "stackability",
            OPTIONAL,
            present("stackability"),
        ),
        Rule(
            f"{ID}.further-information",
            ADVICE,
            sentence(
                "Consider giving further information (for example a link to the course page)."
            ),
            "further_information",
            OPTIONAL,
            present("further_information"),
        ),
    ),
    checklist=(
        common.ASSESSMENT_FITS_OUTCOMES,
        common.OUTCOMES_AT_LEVEL,
        common.QUALITY_ASSURANCE_REAL,
        (
            f"{ID}.workload-realistic",
            sentence(
                "The notional workload is realistic for the learning outcomes and the assessment."
            ),
        ),
    ),
)
