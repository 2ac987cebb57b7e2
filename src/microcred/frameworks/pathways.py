"""Pathway rules: which credentials, together, earn a larger one, and how far a learner is.

An organisation defines a pathway: a target credential (the pathways app keeps that link)
and a tree of rules stored as JSON with camelCase keys, in the manner of OB 3.0. Each node
is a component or a group.

A **component** is one achievement a learner can hold::

    {"kind": "component", "key": "dataviz", "name": "Data Visualisation",
     "achievement": "https://example.org/achievements/9c1...",   # the OB 3.0 achievement id
     "issuer": "did:web:example.org",          # optional: only this issuer's award counts
     "achievementType": "Course",              # optional: OB 3.0 achievementType
     "minimumResult": {...},                   # optional, see below
     "credits": {"ECTS": 5}}                   # optional: used when the held credential
                                               # states no credits of its own

Components name this issuer's versions, another issuer's versions on this platform, or
external achievements alike: all are identified by their achievement id, issuer and type.

A **group** combines its children::

    {"kind": "group", "key": "core", "name": "Core modules",
     "require": {"all": true} | {"atLeast": 2} | {"credits": {"value": 30, "system": "ECTS"}},
     "minimumLevel": 6,                        # optional: EQF level of each credential counted
     "minimumResult": {...},                   # optional: result of each credential counted
     "within": {"months": 24} | {"from": "2024-01-01", "until": "2026-12-31"},   # optional
     "children": [...],                        # components and groups, nested up to 10 deep
     "alternatives": [...]}                    # components, each satisfying the group alone

A group's ``minimumLevel``, ``minimumResult`` and ``within`` apply to every credential
counted anywhere beneath it, so a constraint on the root applies to the whole pathway.
``within: {"months": N}`` counts back from the day of evaluation; ``from``/``until`` are
inclusive dates. ``alternatives`` are the "shortcut" credentials of Badgr pathways: one
credential that by itself stands for the whole group (an exam that exempts from a module
set, say).

``minimumResult`` follows OB 3.0's ``ResultDescription`` (section B.1.16 of the OB 3.0
specification) so a result description can be copied from an achievement as it is::

    {"resultType": "Percent", "requiredValue": "70"}          # numeric: at least 70
    {"resultType": "LetterGrade", "requiredValue": "B",
     "allowedValue": ["E", "D", "C", "B", "A"]}               # ordered scale: B or better
    {"resultType": "Status", "requiredValue": "Completed"}    # anything else: equal value

``allowedValue`` is ordered from low to high, as OB 3.0 orders it ("An ordered list of
allowed values. The values should be ordered from low to high"). Numeric result types are
those of :data:`NUMERIC_RESULT_TYPES`; a result of another type never meets a numeric
minimum.

Credits in any system of :mod:`microcred.frameworks.credits` convert through notional
hours, so a group asking for 30 ECTS counts UK credits, NZQCF credits or study hours too.

The engine is pure: :func:`evaluate` is given the learner's credentials (already verified
and valid: the caller verifies) and the day of evaluation, and returns one outcome per node
with a message a learner understands. Each credential counts once under a group: children
are evaluated in order and a credential used by one child is not offered to the next.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from microcred.errors import InvalidInput
from microcred.frameworks.credits import SYSTEMS

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "NUMERIC_RESULT_TYPES",
    "Component",
    "Group",
    "HeldCredential",
    "HeldResult",
    "MinimumResult",
    "Node",
    "PathwayRule",
    "Requirement",
    "TransferValue",
    "Window",
    "parse_pathway",
]

# Limits against hostile or runaway input: a real pathway is a few dozen nodes, a few deep.
MAX_DEPTH = 10
MAX_NODES = 500

# OB 3.0 ResultType values whose results are numbers (B.2.9 ResultType enumeration).
NUMERIC_RESULT_TYPES = frozenset(
    {"GradePointAverage", "Percent", "PredictedScore", "RawScore", "RubricScore", "ScaledScore"}
)
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")


@dataclass(frozen=True)
class MinimumResult:
    """The least result a credential must record to count (an OB 3.0 ResultDescription)."""

    result_type: str
    required_value: str
    allowed_value: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        """Whether results compare as numbers (a numeric type and no ordered scale)."""
        return not self.allowed_value and self.result_type in NUMERIC_RESULT_TYPES

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "resultType": self.result_type,
            "requiredValue": self.required_value,
        }
        if self.allowed_value:
            data["allowedValue"] = list(self.allowed_value)
        return data


@dataclass(frozen=True)
class Window:
    """When a credential must have been awarded: the last ``months``, or between two dates."""

    months: int | None = None
    start: date | None = None
    end: date | None = None

    def to_json(self) -> dict[str, Any]:
        if self.months is not None:
            return {"months": self.months}
        data: dict[str, Any] = {}
        if self.start is not None:
            data["from"] = self.start.isoformat()
        if self.end is not None:
            data["until"] = self.end.isoformat()
        return data


@dataclass(frozen=True)
class Requirement:
    """What a group asks of its children: all, at least N, or at least a number of credits."""

    all: bool = False
    at_least: int | None = None
    credits: float | None = None
    system: str | None = None

    @property
    def kind(self) -> Literal["all", "atLeast", "credits"]:
        if self.at_least is not None:
            return "atLeast"
        if self.credits is not None:
            return "credits"
        return "all"

    def to_json(self) -> dict[str, Any]:
        if self.at_least is not None:
            return {"atLeast": self.at_least}
        if self.credits is not None:
            return {"credits": {"value": self.credits, "system": self.system}}
        return {"all": True}


@dataclass(frozen=True)
class Component:
    """One achievement a learner can hold, identified as OB 3.0 identifies achievements."""

    key: str
    name: str
    achievement: str
    issuer: str | None = None
    achievement_type: str | None = None
    minimum_result: MinimumResult | None = None
    credits: Mapping[str, float] = field(default_factory=dict)

    kind: ClassVar[Literal["component"]] = "component"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "component",
            "key": self.key,
            "name": self.name,
            "achievement": self.achievement,
        }
        if self.issuer is not None:
            data["issuer"] = self.issuer
        if self.achievement_type is not None:
            data["achievementType"] = self.achievement_type
        if self.minimum_result is not None:
            data["minimumResult"] = self.minimum_result.to_json()
        if self.credits:
            data["credits"] = dict(self.credits)
        return data


@dataclass(frozen=True)
class Group:
    """A rule over children (components and groups), with optional shortcut alternatives."""

    key: str
    name: str
    require: Requirement
    children: tuple[Node, ...]
    alternatives: tuple[Component, ...] = ()
    minimum_level: int | None = None
    minimum_result: MinimumResult | None = None
    within: Window | None = None

    kind: ClassVar[Literal["group"]] = "group"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "group",
            "key": self.key,
            "name": self.name,
            "require": self.require.to_json(),
        }
        if self.minimum_level is not None:
            data["minimumLevel"] = self.minimum_level
        if self.minimum_result is not None:
            data["minimumResult"] = self.minimum_result.to_json()
        if self.within is not None:
            data["within"] = self.within.to_json()
        data["children"] = [child.to_json() for child in self.children]
        if self.alternatives:
            data["alternatives"] = [alternative.to_json() for alternative in self.alternatives]
        return data

    def walk(self) -> Iterable[Node]:
        """Yield this group and every node beneath it, alternatives included, depth first."""
        yield self
        for child in self.children:
            if isinstance(child, Group):
                yield from child.walk()
            else:
                yield child
        yield from self.alternatives


Node = Component | Group
# The root of a pathway is a group; the name says what the pathways app stores.
PathwayRule = Group


@dataclass(frozen=True)
class HeldResult:
    """A result recorded on a credential (OB 3.0 ``Result``): its value and, if known, type."""

    value: str
    result_type: str | None = None


@dataclass(frozen=True)
class HeldCredential:
    """A verified, valid credential a learner holds, reduced to what the rules look at.

    ``credits`` are those the credential states (system code to value); ``level`` is its
    EQF level when it states one.
    """

    id: str
    achievement_id: str
    issuer_id: str
    name: str
    awarded: date
    achievement_type: str | None = None
    credits: Mapping[str, float] = field(default_factory=dict)
    level: int | None = None
    result: HeldResult | None = None


@dataclass(frozen=True)
class TransferValue:
    """A recognised credential from elsewhere: it counts as components and/or for credits.

    A held credential of achievement ``achievement`` (from ``issuer``, when given) counts
    as the components whose keys are in ``counts_as`` and brings ``credits`` (system code
    to value) to groups that count credits.
    """

    achievement: str
    issuer: str | None = None
    counts_as: tuple[str, ...] = ()
    credits: Mapping[str, float] = field(default_factory=dict)

    def matches(self, held: HeldCredential) -> bool:
        """Whether ``held`` is a credential this transfer value is about."""
        return held.achievement_id == self.achievement and (
            self.issuer is None or held.issuer_id == self.issuer
        )


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_pathway(data: Any, *, path: str = "rules") -> PathwayRule:
    """Return the rule tree ``data`` (a group, as JSON) as frozen dataclasses.

    Raise :class:`InvalidInput` whose ``field`` is the JSON path of the first bad value
    (``rules.children[2].require.atLeast``) and whose message says what is wrong. Hostile
    input is refused: more than :data:`MAX_NODES` nodes or nesting deeper than
    :data:`MAX_DEPTH`.
    """
    parser = _Parser()
    root = parser.node(data, path, depth=1)
    if not isinstance(root, Group):
        raise InvalidInput(
            "A pathway's rules start with a group.", code="pathway.invalid", field=f"{path}.kind"
        )
    return root


class _Parser:
    """One parse: counts nodes and remembers keys across the whole tree."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.count = 0

    def node(self, data: Any, path: str, *, depth: int) -> Node:
        obj = _object(data, path)
        self.count += 1
        if self.count > MAX_NODES:
            raise InvalidInput(
                f"A pathway may have at most {MAX_NODES} rules.",
                code="pathway.too_large",
                field=path,
                data={"limit": MAX_NODES},
            )
        kind = obj.get("kind")
        if kind == "component":
            return self.component(obj, path)
        if kind == "group":
            return self.group(obj, path, depth=depth)
        raise InvalidInput(
            f"Unknown kind {kind!r}; a rule is a 'component' or a 'group'.",
            code="pathway.unknown_kind",
            field=f"{path}.kind",
        )

    def identity(self, obj: dict[str, Any], path: str) -> tuple[str, str]:
        key = obj.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise InvalidInput(
                "key must be 1-100 letters, digits or _ . : - (starting with a letter or digit).",
                field=f"{path}.key",
            )
        if key in self.keys:
            raise InvalidInput(
                f"The key {key!r} is used twice; every rule needs its own key.",
                code="pathway.duplicate_key",
                field=f"{path}.key",
            )
        self.keys.add(key)
        return key, _text(obj.get("name"), f"{path}.name", limit=200)

    def component(self, obj: dict[str, Any], path: str) -> Component:
        _known_fields(obj, path, _COMPONENT_FIELDS)
        key, name = self.identity(obj, path)
        return Component(
            key=key,
            name=name,
            achievement=_text(obj.get("achievement"), f"{path}.achievement", limit=2000),
            issuer=_optional_text(obj.get("issuer"), f"{path}.issuer", limit=2000),
            achievement_type=_optional_text(
                obj.get("achievementType"), f"{path}.achievementType", limit=100
            ),
            minimum_result=_minimum_result(obj.get("minimumResult"), f"{path}.minimumResult"),
            credits=_credits(obj.get("credits"), f"{path}.credits"),
        )

    def group(self, obj: dict[str, Any], path: str, *, depth: int) -> Group:
        _known_fields(obj, path, _GROUP_FIELDS)
        if depth > MAX_DEPTH:
            raise InvalidInput(
                f"Groups may be nested at most {MAX_DEPTH} deep.",
                code="pathway.too_deep",
                field=path,
                data={"limit": MAX_DEPTH},
            )
        key, name = self.identity(obj, path)
        raw_children = obj.get("children")
        if not isinstance(raw_children, list) or not raw_children:
            raise InvalidInput(
                "children must be a list of at least one rule.", field=f"{path}.children"
            )
        children = tuple(
            self.node(child, f"{path}.children[{index}]", depth=depth + 1)
            for index, child in enumerate(raw_children)
        )
        raw_alternatives = obj.get("alternatives", [])
        if not isinstance(raw_alternatives, list):
            raise InvalidInput(
                "alternatives must be a list of components.", field=f"{path}.alternatives"
            )
        alternatives = []
        for index, item in enumerate(raw_alternatives):
            where = f"{path}.alternatives[{index}]"
            alternative = self.node(item, where, depth=depth + 1)
            if not isinstance(alternative, Component):
                raise InvalidInput(
                    "An alternative is a component: one credential that satisfies the group.",
                    field=f"{where}.kind",
                )
            alternatives.append(alternative)
        require = _requirement(obj.get("require"), f"{path}.require", len(children))
        return Group(
            key=key,
            name=name,
            require=require,
            children=children,
            alternatives=tuple(alternatives),
            minimum_level=_level(obj.get("minimumLevel"), f"{path}.minimumLevel"),
            minimum_result=_minimum_result(obj.get("minimumResult"), f"{path}.minimumResult"),
            within=_window(obj.get("within"), f"{path}.within"),
        )


_COMPONENT_FIELDS = frozenset(
    {"kind", "key", "name", "achievement", "issuer", "achievementType", "minimumResult", "credits"}
)
_GROUP_FIELDS = frozenset(
    {
        "kind",
        "key",
        "name",
        "require",
        "minimumLevel",
        "minimumResult",
        "within",
        "children",
        "alternatives",
    }
)


def _object(data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput("must be a JSON object.", field=path)
    return data


def _known_fields(obj: dict[str, Any], path: str, known: frozenset[str]) -> None:
    # A misspelt field ("minimumLevl") would silently drop a rule: refuse it instead.
    for name in obj:
        if name not in known:
            raise InvalidInput(
                f"Unknown field {name!r}; expected one of {', '.join(sorted(known))}.",
                code="pathway.unknown_field",
                field=f"{path}.{name}",
            )


def _text(value: Any, path: str, *, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("must be a non-empty text.", field=path)
    if len(value) > limit:
        raise InvalidInput(f"must be at most {limit} characters.", field=path)
    return value


def _optional_text(value: Any, path: str, *, limit: int) -> str | None:
    return None if value is None else _text(value, path, limit=limit)


def _positive_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"must be a whole number of 1 or more; got {value!r}.", field=path)
    return value


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"must be a number; got {value!r}.", field=path)
    if value <= 0:
        raise InvalidInput(f"must be more than 0; got {value!r}.", field=path)
    return value


def _system(value: Any, path: str) -> str:
    if not isinstance(value, str) or value not in SYSTEMS:
        raise InvalidInput(
            f"Unknown credit system {value!r}; use one of {', '.join(SYSTEMS)}.",
            code="credits.unknown_system",
            field=path,
            data={"systems": list(SYSTEMS)},
        )
    return value


def _credits(value: Any, path: str) -> dict[str, float]:
    if value is None:
        return {}
    obj = _object(value, path)
    return {
        _system(system, f"{path}.{system}"): _number(v, f"{path}.{system}")
        for system, v in obj.items()
    }


def _requirement(value: Any, path: str, children: int) -> Requirement:
    obj = _object(value, path)
    if len(obj) != 1:
        raise InvalidInput("require must have exactly one of all, atLeast or credits.", field=path)
    [(name, raw)] = obj.items()
    if name == "all":
        if raw is not True:
            raise InvalidInput("all must be true.", field=f"{path}.all")
        return Requirement(all=True)
    if name == "atLeast":
        number = _positive_int(raw, f"{path}.atLeast")
        if number > children:
            raise InvalidInput(
                f"atLeast is {number} but the group has only {children} "
                f"{'child' if children == 1 else 'children'}.",
                field=f"{path}.atLeast",
            )
        return Requirement(at_least=number)
    if name == "credits":
        credits = _object(raw, f"{path}.credits")
        _known_fields(credits, f"{path}.credits", frozenset({"value", "system"}))
        return Requirement(
            credits=_number(credits.get("value"), f"{path}.credits.value"),
            system=_system(credits.get("system"), f"{path}.credits.system"),
        )
    raise InvalidInput(
        f"Unknown requirement {name!r}; use all, atLeast or credits.",
        code="pathway.unknown_kind",
        field=f"{path}.{name}",
    )


def _level(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
        raise InvalidInput(f"must be an EQF level from 1 to 8; got {value!r}.", field=path)
    return value


def _minimum_result(value: Any, path: str) -> MinimumResult | None:
    if value is None:
        return None
    obj = _object(value, path)
    _known_fields(obj, path, frozenset({"resultType", "requiredValue", "allowedValue"}))
    result_type = _text(obj.get("resultType"), f"{path}.resultType", limit=100)
    raw_required = obj.get("requiredValue")
    # OB 3.0 writes requiredValue as a string; a number is accepted and kept as its text.
    if isinstance(raw_required, int | float) and not isinstance(raw_required, bool):
        raw_required = _number_text(raw_required)
    required = _text(raw_required, f"{path}.requiredValue", limit=100)
    raw_allowed = obj.get("allowedValue", [])
    if not isinstance(raw_allowed, list) or not all(
        isinstance(item, str) and item for item in raw_allowed
    ):
        raise InvalidInput(
            "allowedValue must be a list of texts, lowest first.", field=f"{path}.allowedValue"
        )
    if len(set(raw_allowed)) != len(raw_allowed):
        raise InvalidInput("allowedValue lists a value twice.", field=f"{path}.allowedValue")
    if raw_allowed and required not in raw_allowed:
        raise InvalidInput(
            f"requiredValue {required!r} is not one of allowedValue.",
            field=f"{path}.requiredValue",
        )
    minimum = MinimumResult(result_type, required, tuple(raw_allowed))
    if minimum.numeric and _as_number(required) is None:
        raise InvalidInput(
            f"requiredValue must be a number for a {result_type} result; got {required!r}.",
            field=f"{path}.requiredValue",
        )
    return minimum


def _window(value: Any, path: str) -> Window | None:
    if value is None:
        return None
    obj = _object(value, path)
    _known_fields(obj, path, frozenset({"months", "from", "until"}))
    if "months" in obj:
        if len(obj) > 1:
            raise InvalidInput("within has either months or from/until, not both.", field=path)
        months = _positive_int(obj["months"], f"{path}.months")
        if months > 1200:
            raise InvalidInput("months must be at most 1200.", field=f"{path}.months")
        return Window(months=months)
    if not obj:
        raise InvalidInput("within needs months, or from and/or until.", field=path)
    start = _date(obj.get("from"), f"{path}.from")
    end = _date(obj.get("until"), f"{path}.until")
    if start is not None and end is not None and start > end:
        raise InvalidInput("from must not be after until.", field=f"{path}.until")
    return Window(start=start, end=end)


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"must be a date such as 2025-01-31; got {value!r}.", field=path)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"must be a date such as 2025-01-31; got {value!r}.", field=path
        ) from None


def _as_number(text: str) -> float | None:
    """Read a result such as ``"72.5"`` or ``"72.5%"`` as a number; None when it is none."""
    try:
        number = float(text.strip().removesuffix("%").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
