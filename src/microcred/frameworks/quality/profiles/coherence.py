"""Coherence: the rules every specification meets, whatever frameworks its issuer chose.

They check that the parts agree with each other: credits with hours, outcomes
with the rubric and the level, the volume with what "micro" means, and that the
specification will be reviewed in time.
"""

from __future__ import annotations

from datetime import date

from microcred.frameworks.credits import check_credits, credits_for, format_amount
from microcred.frameworks.quality.findings import Problem, Profile, Rule, Severity, requires
from microcred.frameworks.quality.profiles import common
from microcred.frameworks.quality.specification import Specification
from microcred.frameworks.quality.verbs import EQF_BLOOM, LEVEL_NAMES, read_verb, suggest_verbs
from microcred.text import sentence

ID = "coherence"
EU = "Council Recommendation 2022/C 243/02"
ECTS_GUIDE = "ECTS Users' Guide 2015, section 3.2"
BLOOM = "Anderson and Krathwohl, A taxonomy for learning, teaching and assessing (2001)"
OUTCOMES_GUIDE = "Kennedy, Hyland and Ryan, Writing and using learning outcomes (2006)"
EQF = "Council Recommendation 2017/C 189/03 on the EQF, Annex II (level descriptors)"
ESCO = "ESCO v1, European Skills, Competences, Qualifications and Occupations"
MICRO_ECTS = 60.0
REVIEW_YEARS = 3
LEVELS_DESCRIBED = f"{ID}.rubric-level-descriptors"
LEVELS_CLEAR = f"{ID}.rubric-levels-clear"

ERROR, WARNING, ADVICE = Severity.ERROR, Severity.WARNING, Severity.ADVICE


def _credits_match(spec: Specification, today: date) -> list[Problem]:
    if not spec.workload_hours or not spec.credits:
        return []
    return [
        Problem(
            field=finding.field,
            message=sentence(
                "%(problem)s Correct the credits or the hours.", problem=finding.message
            ),
        )
        for finding in check_credits(spec.workload_hours, spec.credits)
    ]


def _intended_level(spec: Specification, fallback: int) -> int:
    """The Bloom level outcomes should reach: the EQF level's, else the verb's own."""
    return EQF_BLOOM[spec.eqf_level] if spec.eqf_level is not None else fallback


def _observable_verb(spec: Specification, today: date) -> list[Problem]:
    problems = []
    for index, outcome in enumerate(spec.outcomes):
        field = f"outcomes[{index}].text"
        if not outcome.text.strip():
            problems.append(
                Problem(
                    field, sentence("Write outcome %(number)s, or remove it.", number=index + 1)
                )
            )
            continue
        verb = read_verb(outcome.text)
        if verb.vague and verb.level is not None:
            level = _intended_level(spec, verb.level)
            problems.append(
                Problem(
                    field,
                    sentence(
                        "Outcome %(number)s starts with %(verb)s, which an assessor cannot "
                        "observe; start with a verb such as %(verbs)s (Bloom level %(level)s, "
                        "%(level_name)s).",
                        number=index + 1,
                        verb=repr(verb.verb),
                        verbs=", ".join(suggest_verbs(level)),
                        level=level,
                        level_name=LEVEL_NAMES[level],
                    ),
                )
            )
    return problems


def _known_verb(spec: Specification, today: date) -> list[Problem]:
    problems = []
    for index, outcome in enumerate(spec.outcomes):
        verb = read_verb(outcome.text)
        if verb.verb and verb.level is None and not verb.vague:
            level = _intended_level(spec, 3)
            problems.append(
                Problem(
                    f"outcomes[{index}].text",
                    sentence(
                        "Outcome %(number)s starts with %(verb)s, which is not a verb of "
                        "Bloom's taxonomy; check that it names something a learner does that an "
                        "assessor can see, or use one such as %(verbs)s.",
                        number=index + 1,
                        verb=repr(verb.verb),
                        verbs=", ".join(suggest_verbs(level)),
                    ),
                )
            )
    return problems


def _country_is_issuers(spec: Specification, today: date) -> list[Problem]:
    """The country is the awarding body's; when the issuer is the awarding body (none other is
    named, or it is named as the issuer), a different country is a mistake that would be signed
    into every credential."""
    issuer = spec.organisation
    if issuer is None or not spec.country or not issuer.country:
        return []
    if spec.awarding_body.strip() not in ("", issuer.name.strip()):
        return []
    if spec.country.strip().upper() == issuer.country.strip().upper():
        return []
    return [
        Problem(
            "country",
            sentence(
                "The country is %(country)s but the issuer, %(issuer)s, is in "
                "%(issuer_country)s; choose the issuer's country, or name the awarding body "
                "that is in %(country)s.",
                country=spec.country,
                issuer=issuer.name,
                issuer_country=issuer.country,
            ),
        )
    ]


def _rubric(spec: Specification, today: date) -> list[Problem]:
    if spec.rubric is None:
        return [Problem()]
    if not spec.rubric.criteria:
        return [
            Problem("rubric.criteria", sentence("Add the rubric's criteria, each for an outcome."))
        ]
    return []


def _levels_described(spec: Specification, today: date) -> list[Problem]:
    if spec.rubric is None:
        return []
    problems = []
    for index, criterion in enumerate(spec.rubric.criteria):
        empty = [
            position
            for position, level in enumerate(criterion.levels)
            if not level.description.strip()
        ]
        if not empty:
            continue
        name = criterion.name.strip() or f"{index + 1}"
        names = ", ".join(repr(criterion.levels[position].name) for position in empty)
        problems.append(
            Problem(
                f"rubric.criteria[{index}].levels[{empty[0]}].description",
                sentence(
                    "Criterion %(criterion)s: describe what the evidence shows at level "
                    "%(levels)s, so assessors judge alike and learners know what is asked.",
                    criterion=repr(name),
                    levels=names,
                ),
            )
        )
    return problems


def _outcomes_assessed(spec: Specification, today: date) -> list[Problem]:
    if spec.rubric is None or not spec.rubric.criteria:
        return []  # no rubric at all is the rubric rule's finding, not one per outcome
    assessed = {number for criterion in spec.rubric.criteria for number in criterion.outcomes}
    return [
        Problem(
            f"outcomes[{index}]",
            sentence(
                "No rubric criterion assesses outcome %(number)s; map a criterion to it.",
                number=index + 1,
            ),
        )
        for index, _ in enumerate(spec.outcomes)
        if index + 1 not in assessed
    ]


def _criteria_mapped(spec: Specification, today: date) -> list[Problem]:
    if spec.rubric is None:
        return []
    problems = []
    for index, criterion in enumerate(spec.rubric.criteria):
        where = f"rubric.criteria[{index}].outcomes"
        name = criterion.name.strip() or f"{index + 1}"
        if not criterion.outcomes:
            problems.append(
                Problem(
                    where,
                    sentence(
                        "Criterion %(criterion)s assesses no outcome; map it to the outcomes "
                        "it judges.",
                        criterion=repr(name),
                    ),
                )
            )
        for position, number in enumerate(criterion.outcomes):
            if number > len(spec.outcomes):
                problems.append(
                    Problem(
                        f"{where}[{position}]",
                        sentence(
                            "Criterion %(criterion)s refers to outcome %(number)s, but there "
                            "are %(count)s outcomes.",
                            criterion=repr(name),
                            number=number,
                            count=len(spec.outcomes),
                        ),
                    )
                )
    return problems


def _pass_rule(spec: Specification, today: date) -> list[Problem]:
    rubric = spec.rubric
    if rubric is None:
        return []
    if not rubric.pass_rule.strip():
        return [Problem()]
    # The highest total is known only when every criterion has its levels (a file may omit them).
    if (
        rubric.pass_points is not None
        and rubric.criteria
        and all(c.levels for c in rubric.criteria)
    ):
        most = sum(max(level.points for level in c.levels) for c in rubric.criteria)
        if rubric.pass_points > most:
            return [
                Problem(
                    "rubric.pass_points",
                    sentence(
                        "The pass mark is %(pass_points)s points but the rubric gives at most "
                        "%(most)s; no one could pass. Lower the pass mark.",
                        pass_points=f"{rubric.pass_points:g}",
                        most=f"{most:g}",
                    ),
                )
            ]
    return []


def _level_plausible(spec: Specification, today: date) -> list[Problem]:
    if spec.eqf_level is None:
        return []
    levels = [verb.level for o in spec.outcomes if (verb := read_verb(o.text)).level is not None]
    if not levels:
        return []
    expected, highest = EQF_BLOOM[spec.eqf_level], max(levels)
    # Verb levels are hints, so only a clear gap is worth a warning: outcomes two Bloom levels
    # below what the EQF level expects, or three above it (creating at EQF 1-2); vocational
    # outcomes at middle levels often build or install, which is not implausible.
    if highest < expected - 1:
        return [
            Problem(
                message=sentence(
                    "The outcomes reach Bloom level %(highest)s (%(highest_name)s) at most, "
                    "low for EQF level %(eqf_level)s, where outcomes typically reach level "
                    "%(expected)s (%(expected_name)s). Raise the outcomes or lower the level.",
                    highest=highest,
                    highest_name=LEVEL_NAMES[highest],
                    eqf_level=spec.eqf_level,
                    expected=expected,
                    expected_name=LEVEL_NAMES[expected],
                )
            )
        ]
    if highest > expected + 3:
        return [
            Problem(
                message=sentence(
                    "An outcome reaches Bloom level %(highest)s (%(highest_name)s), high for "
                    "EQF level %(eqf_level)s, where outcomes typically reach level "
                    "%(expected)s (%(expected_name)s). Check the level or the outcomes.",
                    highest=highest,
                    highest_name=LEVEL_NAMES[highest],
                    eqf_level=spec.eqf_level,
                    expected=expected,
                    expected_name=LEVEL_NAMES[expected],
                )
            )
        ]
    return []


def _micro_volume(spec: Specification, today: date) -> list[Problem]:
    if "ECTS" in spec.credits:
        ects, field = spec.credits["ECTS"], "credits.ECTS"
    elif spec.hours is not None:
        ects, field = credits_for("ECTS", spec.hours), "workload_hours"
    else:
        return []
    if ects <= MICRO_ECTS:
        return []
    return [
        Problem(
            field,
            sentence(
                "At %(ects)s ECTS this is more than a year of full-time study (%(year)s ECTS); "
                "consider splitting it into smaller micro-credentials.",
                ects=format_amount(ects),
                year=f"{MICRO_ECTS:g}",
            ),
        )
    ]


def _skills(spec: Specification, today: date) -> list[Problem]:
    return [
        Problem(
            f"outcomes[{index}].skills",
            sentence(
                "Consider aligning outcome %(number)s to an ESCO skill, so employers and "
                "registries can match it.",
                number=index + 1,
            ),
        )
        for index, outcome in enumerate(spec.outcomes)
        if outcome.text.strip() and not outcome.skills
    ]


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _review_date_window(spec: Specification, today: date) -> list[Problem]:
    # An error, not a warning: a date already passed leaves the version due for review the
    # moment it is approved, and one beyond three years lets it go unreviewed longer than any
    # shipped framework allows (NZQA: usually 1-3 years).
    if spec.review_date is None:
        return []
    latest = _years_after(today, REVIEW_YEARS)
    if spec.review_date <= today:
        return [
            Problem(
                message=sentence(
                    "The review date %(date)s has passed; set one after today and by %(latest)s.",
                    date=spec.review_date,
                    latest=latest,
                )
            )
        ]
    if spec.review_date > latest:
        return [
            Problem(
                message=sentence(
                    "The review date %(date)s is more than %(years)s years away; set it by "
                    "%(latest)s.",
                    date=spec.review_date,
                    years=REVIEW_YEARS,
                    latest=latest,
                )
            )
        ]
    return []


PROFILE = Profile(
    id=ID,
    name=sentence("Coherence (always checked)"),
    source="microcred coherence rules",
    rules=(
        Rule(
            f"{ID}.credits-match-workload",
            ERROR,
            sentence("The credits do not match the workload hours."),
            "credits",
            f"{ECTS_GUIDE}; {EU}, Annex I (notional workload)",
            _credits_match,
        ),
        Rule(
            f"{ID}.country-of-issuer",
            ERROR,
            sentence("The country is the issuer's, unless another awarding body is named."),
            "country",
            f"{EU}, Annex I (country of the awarding body)",
            _country_is_issuers,
        ),
        Rule(
            f"{ID}.observable-verb",
            ERROR,
            sentence("Start each learning outcome with an observable verb."),
            "outcomes",
            f"{OUTCOMES_GUIDE}; {BLOOM}",
            _observable_verb,
        ),
        Rule(
            f"{ID}.known-verb",
            ADVICE,
            sentence("Start each learning outcome with a verb of Bloom's taxonomy."),
            "outcomes",
            BLOOM,
            _known_verb,
        ),
        Rule(
            f"{ID}.rubric",
            ERROR,
            sentence("Add a rubric whose criteria assess the outcomes."),
            "rubric",
            f"{EU}, Annex I (type of assessment)",
            _rubric,
        ),
        Rule(
            LEVELS_DESCRIBED,
            ERROR,
            sentence("Describe each rubric level: what the evidence shows at that level."),
            "rubric.criteria",
            f"{EU}, Annex I (type of assessment); {OUTCOMES_GUIDE}",
            _levels_described,
        ),
        Rule(
            f"{ID}.outcome-assessed",
            ERROR,
            sentence("Every learning outcome is assessed by a rubric criterion."),
            "outcomes",
            OUTCOMES_GUIDE,
            _outcomes_assessed,
        ),
        Rule(
            f"{ID}.criterion-mapped",
            ERROR,
            sentence("Every rubric criterion maps to a learning outcome."),
            "rubric.criteria",
            OUTCOMES_GUIDE,
            _criteria_mapped,
        ),
        Rule(
            f"{ID}.pass-rule",
            ERROR,
            sentence("State the rubric's pass rule: what a learner must reach to be awarded."),
            "rubric.pass_rule",
            f"{EU}, Annex I (type of assessment)",
            _pass_rule,
        ),
        Rule(
            f"{ID}.level-plausible",
            WARNING,
            sentence("The EQF level and the outcomes' Bloom levels disagree."),
            "eqf_level",
            f"{EQF}; {BLOOM}",
            _level_plausible,
        ),
        Rule(
            f"{ID}.micro-volume",
            WARNING,
            sentence("The volume is larger than a micro-credential."),
            "workload_hours",
            ECTS_GUIDE,
            _micro_volume,
        ),
        Rule(
            f"{ID}.esco-skill",
            ADVICE,
            sentence("Align each outcome to an ESCO skill."),
            "outcomes",
            ESCO,
            _skills,
        ),
        Rule(
            f"{ID}.review-date",
            WARNING,
            sentence(
                "Set a review date within %(years)s years, when the micro-credential is "
                "checked again.",
                years=REVIEW_YEARS,
            ),
            "review_date",
            f"{EU}, Annex II (quality)",
            # Missing is a warning only: Annex I does not ask for a review date; the NZQA
            # profile, whose rules do, makes it an error there.
            requires(lambda spec: spec.review_date is not None),
        ),
        Rule(
            f"{ID}.review-date-window",
            ERROR,
            sentence("Set the review date within %(years)s years of today.", years=REVIEW_YEARS),
            "review_date",
            f"{EU}, Annex II (quality)",
            _review_date_window,
        ),
    ),
    checklist=(
        common.ASSESSMENT_FITS_OUTCOMES,
        common.OUTCOMES_AT_LEVEL,
        (
            LEVELS_CLEAR,
            sentence("Each rubric level describes what the evidence shows at that level."),
        ),
    ),
    # A reviewer cannot judge descriptors clear while some levels have none.
    checklist_needs=((LEVELS_CLEAR, LEVELS_DESCRIBED),),
)
