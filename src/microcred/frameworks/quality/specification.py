"""Read a specification (plain JSON data) into typed, validated values.

The format is described in the package docstring. Reading checks types and
shapes only and raises :class:`~microcred.errors.InvalidInput` naming the
field (a JSON path such as ``outcomes[2].skills[0].uri``); whether the content
is complete and coherent is what the rules judge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from microcred.errors import InvalidInput
from microcred.frameworks.credits import get_system
from microcred.text import sentence

PARTICIPATION_FORMS = ("online", "onsite", "blended")


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str


@dataclass(frozen=True)
class Outcome:
    text: str
    skills: tuple[Skill, ...] = ()


@dataclass(frozen=True)
class RubricLevel:
    name: str
    points: float
    description: str = ""


@dataclass(frozen=True)
class RubricCriterion:
    name: str
    outcomes: tuple[int, ...]
    levels: tuple[RubricLevel, ...] = ()


@dataclass(frozen=True)
class Rubric:
    pass_rule: str
    pass_points: float | None
    criteria: tuple[RubricCriterion, ...]


@dataclass(frozen=True)
class Organisation:
    name: str
    type: str
    country: str


@dataclass(frozen=True)
class Specification:
    """A micro-credential version as the quality rules see it; blank means not stated."""

    title: str = ""
    awarding_body: str = ""
    country: str = ""
    description: str = ""
    workload_hours: float | None = None
    eqf_level: int | None = None
    assessment_type: str = ""
    participation_form: str = ""
    supervised: bool = False
    enrolment: bool = False
    identity_verification: str = ""
    quality_assurance: str = ""
    prerequisites: str = ""
    stackability: str = ""
    further_information: str = ""
    statement_of_purpose: str = ""
    evidence_of_need: str = ""
    achievement_type: str = ""
    criteria: str = ""
    languages: tuple[str, ...] = ()
    delivery_mode: str = ""
    duration: str = ""
    price_amount: float | None = None
    price_currency: str = ""
    validity_months: int | None = None
    tags: tuple[str, ...] = ()
    field_of_study: str = ""
    review_date: date | None = None
    outcomes: tuple[Outcome, ...] = ()
    credits: Mapping[str, float] = field(default_factory=dict)
    rubric: Rubric | None = None
    organisation: Organisation | None = None
    # Informational: the platform sends the version's number, status and whether it has an image.
    number: int | None = None
    status: str = ""
    image: bool = False

    @property
    def awarding_body_name(self) -> str:
        """The awarding body, which defaults to the organisation (as the catalogue does)."""
        if self.awarding_body.strip():
            return self.awarding_body.strip()
        return self.organisation.name.strip() if self.organisation else ""

    @property
    def hours(self) -> float | None:
        """The notional hours of learning: the stated workload, else what the first credit
        value stands for (so a volume rule can still judge a specification stated in credits)."""
        if self.workload_hours is not None:
            return self.workload_hours
        for system, value in self.credits.items():
            return value * get_system(system).hours_central
        return None


def parse_specification(data: Any) -> Specification:
    """Return the :class:`Specification` that ``data`` describes, or raise naming the bad field.

    Missing keys and ``null`` mean "not stated"; unknown keys are refused so a
    misspelt field is not silently ignored. Each field is read by its type in
    :class:`Specification` (the parts by :data:`_PARTS`), then checked by its
    rule in :data:`_RULES`, if it has one.
    """
    if isinstance(data, Specification):
        return data
    if not isinstance(data, Mapping):
        raise _invalid("", "a specification must be a JSON object")
    unknown = sorted(str(key) for key in data if key not in FIELDS)
    if unknown:
        raise _invalid(unknown[0], f"unknown field; the fields are {', '.join(FIELDS)}")
    values: dict[str, Any] = {}
    for name, type_name in _TYPES.items():
        read = _PARTS.get(name) or _READERS[type_name]
        values[name] = read(data.get(name), name)
        if rule := _RULES.get(name):
            rule(values[name])
    return Specification(**values)


def _participation_form(value: str) -> None:
    if value and value not in PARTICIPATION_FORMS:
        raise _invalid("participation_form", f"must be one of {', '.join(PARTICIPATION_FORMS)}")


def _eqf_level(value: int | None) -> None:
    if value is not None and not 1 <= value <= 8:
        raise _invalid("eqf_level", "must be an EQF level from 1 to 8")


def _flag(value: Any, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _invalid(path, "must be true or false")
    return value


def _image(value: Any, path: str) -> bool:
    if not isinstance(value, bool | None):
        raise _invalid(path, "must be true or false (whether the version has a badge image)")
    return bool(value)


def _invalid(path: str, problem: str) -> InvalidInput:
    where = path or "specification"
    return InvalidInput(
        sentence(
            "%(where)s: %(problem)s.",
            where=where,
            problem=problem,
        ),
        code="quality.invalid_specification",
        field=path,
    )


def _text(data: Mapping[str, Any], key: str, path: str) -> str:
    return _text_value(data.get(key), path)


def _text_value(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(path, "must be text")
    return value


def _number(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        # Decimal fields arrive as strings from JSON encoders that keep their precision.
        try:
            value = Decimal(value)
        except ArithmeticError:
            raise _invalid(path, f"must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _invalid(path, "must be a number")
    amount = float(value)
    if not math.isfinite(amount) or amount < 0:
        raise _invalid(path, "must be a number of 0 or more")
    return amount


def _integer(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _invalid(path, "must be a whole number of 0 or more")


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _invalid(path, "must be a list")
    return value


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _invalid(path, "must be an object")
    return value


def _texts(value: Any, path: str) -> tuple[str, ...]:
    items = _list(value, path)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise _invalid(f"{path}[{index}]", "must be text")
    return tuple(items)


def _date(value: Any, path: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _invalid(path, "must be an ISO 8601 date such as 2027-06-30")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(path, f"{value!r} is not an ISO 8601 date such as 2027-06-30") from None


def _outcome(value: Any, path: str) -> Outcome:
    item = _mapping(value, path)
    skills = []
    for index, raw in enumerate(_list(item.get("skills"), f"{path}.skills")):
        where = f"{path}.skills[{index}]"
        skill = _mapping(raw, where)
        uri = _text(skill, "uri", f"{where}.uri")
        if not uri:
            raise _invalid(f"{where}.uri", "a skill needs its URI")
        skills.append(Skill(uri=uri, label=_text(skill, "label", f"{where}.label")))
    return Outcome(text=_text(item, "text", f"{path}.text"), skills=tuple(skills))


def _outcomes(value: Any, path: str) -> tuple[Outcome, ...]:
    return tuple(
        _outcome(item, f"{path}[{index}]") for index, item in enumerate(_list(value, path))
    )


def _credits(value: Any, path: str) -> dict[str, float]:
    if value is None:
        return {}
    values = _mapping(value, path)
    credits = {}
    for system, raw in values.items():
        try:
            get_system(system)
        except InvalidInput as error:
            raise _invalid(f"{path}.{system}", error.message.rstrip(".")) from None
        amount = _number(raw, f"{path}.{system}")
        if amount is None:
            raise _invalid(f"{path}.{system}", "must be a number")
        credits[system] = amount
    return credits


def _rubric(value: Any, path: str) -> Rubric | None:
    if value is None:
        return None
    rubric = _mapping(value, path)
    criteria = []
    for index, raw in enumerate(_list(rubric.get("criteria"), f"{path}.criteria")):
        where = f"{path}.criteria[{index}]"
        criterion = _mapping(raw, where)
        numbers = _list(criterion.get("outcomes"), f"{where}.outcomes")
        for position, number in enumerate(numbers):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise _invalid(f"{where}.outcomes[{position}]", "must be an outcome number from 1")
        levels = []
        for position, level in enumerate(_list(criterion.get("levels"), f"{where}.levels")):
            at = f"{where}.levels[{position}]"
            level = _mapping(level, at)
            points = _number(level.get("points"), f"{at}.points")
            levels.append(
                RubricLevel(
                    _text(level, "name", f"{at}.name"),
                    points or 0.0,
                    _text(level, "description", f"{at}.description"),
                )
            )
        criteria.append(
            RubricCriterion(
                name=_text(criterion, "name", f"{where}.name"),
                outcomes=tuple(numbers),
                levels=tuple(levels),
            )
        )
    return Rubric(
        pass_rule=_text(rubric, "pass_rule", f"{path}.pass_rule"),
        pass_points=_number(rubric.get("pass_points"), f"{path}.pass_points"),
        criteria=tuple(criteria),
    )


def _organisation(value: Any, path: str) -> Organisation | None:
    if value is None:
        return None
    item = _mapping(value, path)
    return Organisation(
        name=_text(item, "name", f"{path}.name"),
        type=_text(item, "type", f"{path}.type"),
        country=_text(item, "country", f"{path}.country"),
    )


# How each field is read: by the type :class:`Specification` gives it, or as a part of its own.
_READERS: dict[str, Callable[[Any, str], Any]] = {
    "str": _text_value,
    "float | None": _number,
    "int | None": _integer,
    "bool": _flag,
    "tuple[str, ...]": _texts,
    "date | None": _date,
}
_PARTS: dict[str, Callable[[Any, str], Any]] = {
    "outcomes": _outcomes,
    "credits": _credits,
    "rubric": _rubric,
    "organisation": _organisation,
    "image": _image,
}
_RULES: dict[str, Callable[[Any], None]] = {
    "participation_form": _participation_form,
    "eqf_level": _eqf_level,
}
# Each field of a Specification with its type as written there (annotations are strings here).
_TYPES = {attribute.name: str(attribute.type) for attribute in fields(Specification)}
FIELDS = tuple(_TYPES)
