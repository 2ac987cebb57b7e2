"""Checking a version's outcomes, credits and rubric as designers and API clients send them.

Each ``clean_*`` returns plain values ready to store, or raises
:class:`InvalidInput` whose ``field`` is the JSON path of the problem, such as
``outcomes[1].skills[0].uri`` or ``rubric.criteria[0].levels[2].points``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from microcred.errors import InvalidInput
from microcred.frameworks.credits import SYSTEMS
from microcred.frameworks.esco import Skill
from microcred.inputs import clean_text

MAX_OUTCOMES = 50
MAX_OUTCOME_LENGTH = 2000
MAX_CREDIT_VALUE = Decimal("99999.99")
ESCO = "ESCO"


@dataclass(frozen=True)
class SkillInput:
    uri: str
    label: str
    framework: str = ESCO


@dataclass(frozen=True)
class OutcomeInput:
    text: str
    skills: list[SkillInput] = field(default_factory=list)


@dataclass(frozen=True)
class LevelInput:
    name: str
    points: int
    description: str = ""


@dataclass(frozen=True)
class CriterionInput:
    name: str
    levels: list[LevelInput]
    description: str = ""
    outcomes: list[int] = field(default_factory=list)
    minimum_level: str | None = None


@dataclass(frozen=True)
class RubricInput:
    pass_rule: str
    criteria: list[CriterionInput]
    pass_points: int | None = None


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{path} must be a list.", field=path)
    return value


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{path} must be an object.", field=path)
    return value


def _whole(value: Any, path: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(f"{path} must be a whole number of {minimum} or more.", field=path)
    return value


def clean_skill(value: Any, path: str, lookup: Callable[[str], Skill | None]) -> SkillInput:
    """Return a skill alignment: an ESCO skill by URI (its label from the index) or another
    framework's skill with URI and label."""
    data = {"uri": value} if isinstance(value, str) else _object(value, path)
    uri = clean_text(data.get("uri"), f"{path}.uri", limit=500, required=True)
    if not uri.startswith(("http://", "https://")):
        raise InvalidInput(
            f"{path}.uri must be a web address (URI); got {uri!r}.", field=f"{path}.uri"
        )
    framework = clean_text(
        data.get("framework", ESCO), f"{path}.framework", limit=100, required=True
    )
    label = clean_text(data.get("label"), f"{path}.label", required=False, limit=300)
    if framework == ESCO:
        skill = lookup(uri)
        if skill is None:
            raise InvalidInput(
                f"{path}.uri: {uri} is not an ESCO skill this platform knows.",
                code="catalogue.unknown_skill",
                field=f"{path}.uri",
            )
        label = label or skill.label
    elif not label:
        raise InvalidInput(
            f"{path}.label is needed for a skill outside ESCO.", field=f"{path}.label"
        )
    return SkillInput(uri=uri, label=label, framework=framework)


def clean_outcomes(value: Any, lookup: Callable[[str], Skill | None]) -> list[OutcomeInput]:
    """Return the learning outcomes in order; each is text or ``{"text", "skills"}``."""
    items = _list(value, "outcomes")
    if len(items) > MAX_OUTCOMES:
        raise InvalidInput(
            gettext("At most %(most)s learning outcomes.") % {"most": MAX_OUTCOMES},
            field="outcomes",
        )
    outcomes = []
    for index, item in enumerate(items):
        path = f"outcomes[{index}]"
        data = {"text": item} if isinstance(item, str) else _object(item, path)
        skills: list[SkillInput] = []
        for number, skill in enumerate(_list(data.get("skills"), f"{path}.skills")):
            cleaned = clean_skill(skill, f"{path}.skills[{number}]", lookup)
            if all(known.uri != cleaned.uri for known in skills):
                skills.append(cleaned)
        outcomes.append(
            OutcomeInput(
                text=clean_text(
                    data.get("text"), f"{path}.text", limit=MAX_OUTCOME_LENGTH, required=True
                ),
                skills=skills,
            )
        )
    return outcomes


def clean_credits(value: Any) -> dict[str, Decimal]:
    """Return ``{system: value}``: known credit systems, values above 0 to two decimals."""
    data = {} if value is None else _object(value, "credits")
    credits = {}
    for system, raw in data.items():
        path = f"credits.{system}"
        if system not in SYSTEMS:
            raise InvalidInput(
                f"Unknown credit system {system!r}; use one of {', '.join(SYSTEMS)}.",
                code="credits.unknown_system",
                field=path,
            )
        label = SYSTEMS[system].label
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            raise InvalidInput(
                gettext("%(label)s must be a number.") % {"label": label}, field=path
            )
        try:
            amount = Decimal(str(raw).strip())
        except InvalidOperation:
            raise InvalidInput(
                gettext("%(label)s must be a number; got %(value)s.")
                % {"label": label, "value": repr(raw)},
                field=path,
            ) from None
        if not (amount.is_finite() and Decimal(0) < amount <= MAX_CREDIT_VALUE):
            raise InvalidInput(
                gettext("%(label)s must be more than 0 and at most %(most)s.")
                % {"label": label, "most": MAX_CREDIT_VALUE},
                field=path,
            )
        credits[system] = amount.quantize(Decimal("0.01"))
    return credits


def clean_rubric(value: Any, *, outcome_count: int) -> RubricInput | None:
    """Return the rubric, or None to have none.

    Criteria refer to outcomes by number (1 is the first); each criterion has
    at least one level, level names are unique within it, and its minimum
    level (to pass) is one of them.
    """
    if value is None:
        return None
    data = _object(value, "rubric")
    criteria = []
    items = _list(data.get("criteria"), "rubric.criteria")
    if not items:
        raise InvalidInput(
            gettext("A rubric needs at least one criterion."), field="rubric.criteria"
        )
    for index, item in enumerate(items):
        criteria.append(clean_criterion(item, f"rubric.criteria[{index}]", outcome_count))
    pass_points = data.get("pass_points")
    return RubricInput(
        pass_rule=clean_text(data.get("pass_rule"), "rubric.pass_rule", required=True),
        criteria=criteria,
        pass_points=None if pass_points is None else _whole(pass_points, "rubric.pass_points"),
    )


def clean_criterion(value: Any, path: str, outcome_count: int) -> CriterionInput:
    data = _object(value, path)
    levels: list[LevelInput] = []
    for index, item in enumerate(_list(data.get("levels"), f"{path}.levels")):
        level_path = f"{path}.levels[{index}]"
        level = _object(item, level_path)
        name = clean_text(level.get("name"), f"{level_path}.name", limit=100, required=True)
        if any(known.name == name for known in levels):
            raise InvalidInput(
                gettext("Two levels are called %(name)s.") % {"name": repr(name)},
                field=f"{level_path}.name",
            )
        levels.append(
            LevelInput(
                name=name,
                points=_whole(level.get("points", 0), f"{level_path}.points"),
                description=clean_text(
                    level.get("description"), f"{level_path}.description", required=False
                ),
            )
        )
    if not levels:
        raise InvalidInput(gettext("A criterion needs at least one level."), field=f"{path}.levels")
    outcomes = []
    for index, number in enumerate(_list(data.get("outcomes"), f"{path}.outcomes")):
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not 1 <= number <= outcome_count
        ):
            raise InvalidInput(
                gettext(
                    "Each outcome it assesses must be the number of a learning outcome "
                    "(1 to %(count)s); got %(value)s."
                )
                % {"count": outcome_count, "value": repr(number)},
                field=f"{path}.outcomes[{index}]",
            )
        if number not in outcomes:
            outcomes.append(number)
    minimum = data.get("minimum_level")
    if minimum is not None and minimum not in [level.name for level in levels]:
        raise InvalidInput(
            gettext(
                "The minimum level to pass must be the name of one of its levels; got %(value)s."
            )
            % {"value": repr(minimum)},
            field=f"{path}.minimum_level",
        )
    return CriterionInput(
        name=clean_text(data.get("name"), f"{path}.name", limit=200, required=True),
        description=clean_text(data.get("description"), f"{path}.description", required=False),
        levels=levels,
        outcomes=outcomes,
        minimum_level=minimum,
    )
