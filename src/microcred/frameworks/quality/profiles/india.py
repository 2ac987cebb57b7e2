"""India (NCVET): a micro-credential states its purpose, its learning outcomes, and the
evidence that industry needs it."""

from __future__ import annotations

from microcred.frameworks.quality.findings import Profile, Rule, Severity, present
from microcred.frameworks.quality.profiles import common
from microcred.text import sentence

ID = "in-ncvet"
DOCUMENT = "National Council for Vocational Education and Training (India), micro-credentials"

ERROR = Severity.ERROR

PROFILE = Profile(
    id=ID,
    name=sentence("India: NCVET micro-credentials"),
    source=DOCUMENT,
    rules=(
        Rule(
            f"{ID}.purpose",
            ERROR,
            sentence(
                "Write the statement of purpose: what the micro-credential is for and for whom."
            ),
            "statement_of_purpose",
            f"{DOCUMENT}: statement of purpose",
            present("statement_of_purpose"),
        ),
        Rule(
            f"{ID}.outcomes",
            ERROR,
            sentence("Write the learning outcomes."),
            "outcomes",
            f"{DOCUMENT}: learning outcomes",
            common.outcomes_written,
        ),
        Rule(
            f"{ID}.evidence-of-need",
            ERROR,
            sentence("Give the evidence of need by industry (employers, sector bodies, job data)."),
            "evidence_of_need",
            f"{DOCUMENT}: evidence of need",
            present("evidence_of_need"),
        ),
    ),
    checklist=(
        common.INDUSTRY_NEED,
        common.ASSESSMENT_FITS_OUTCOMES,
    ),
)
