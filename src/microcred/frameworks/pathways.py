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
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from microcred.errors import InvalidInput
from microcred.frameworks.credits import ROUNDING, SYSTEMS, convert, format_amount
from microcred.text import plural_sentence, sentence

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
    "Outcome",
    "PathwayRule",
    "Progress",
    "Requirement",
    "TransferValue",
    "Window",
    "evaluate",
    "from_badgr",
    "parse_pathway",
]

# Limits against hostile or runaway input: a real pathway is a few dozen nodes, a few deep.
MAX_DEPTH = 10
MAX_NODES = 500
# Readings of a pathway tried, at most, when the first reading leaves it unmet (see evaluate).
SEARCH_BUDGET = 256

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
            sentence("A pathway's rules start with a group."),
            code="pathway.invalid",
            field=f"{path}.kind",
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
                sentence(
                    "A pathway may have at most %(max_nodes)s rules.",
                    max_nodes=MAX_NODES,
                ),
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
            sentence(
                "Unknown kind %(kind)s; a rule is a 'component' or a 'group'.",
                kind=repr(kind),
            ),
            code="pathway.unknown_kind",
            field=f"{path}.kind",
        )

    def identity(self, obj: dict[str, Any], path: str) -> tuple[str, str]:
        key = obj.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise InvalidInput(
                sentence(
                    "key must be 1-100 letters, digits or _ . : - (starting with a letter or "
                    "digit)."
                ),
                field=f"{path}.key",
            )
        if key in self.keys:
            raise InvalidInput(
                sentence(
                    "The key %(key)s is used twice; every rule needs its own key.",
                    key=repr(key),
                ),
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
                sentence(
                    "Groups may be nested at most %(max_depth)s deep.",
                    max_depth=MAX_DEPTH,
                ),
                code="pathway.too_deep",
                field=path,
                data={"limit": MAX_DEPTH},
            )
        key, name = self.identity(obj, path)
        raw_children = obj.get("children")
        if not isinstance(raw_children, list) or not raw_children:
            raise InvalidInput(
                sentence("children must be a list of at least one rule."), field=f"{path}.children"
            )
        children = tuple(
            self.node(child, f"{path}.children[{index}]", depth=depth + 1)
            for index, child in enumerate(raw_children)
        )
        raw_alternatives = obj.get("alternatives", [])
        if not isinstance(raw_alternatives, list):
            raise InvalidInput(
                sentence("alternatives must be a list of components."), field=f"{path}.alternatives"
            )
        alternatives = []
        for index, item in enumerate(raw_alternatives):
            where = f"{path}.alternatives[{index}]"
            alternative = self.node(item, where, depth=depth + 1)
            if not isinstance(alternative, Component):
                raise InvalidInput(
                    sentence(
                        "An alternative is a component: one credential that satisfies the group."
                    ),
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
        raise InvalidInput(sentence("must be a JSON object."), field=path)
    return data


def _known_fields(obj: dict[str, Any], path: str, known: frozenset[str]) -> None:
    # A misspelt field ("minimumLevl") would silently drop a rule: refuse it instead.
    for name in obj:
        if name not in known:
            raise InvalidInput(
                sentence(
                    "Unknown field %(name)s; expected one of %(value)s.",
                    name=repr(name),
                    value=", ".join(sorted(known)),
                ),
                code="pathway.unknown_field",
                field=f"{path}.{name}",
            )


def _text(value: Any, path: str, *, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(sentence("must be a non-empty text."), field=path)
    if len(value) > limit:
        raise InvalidInput(
            sentence(
                "must be at most %(limit)s characters.",
                limit=limit,
            ),
            field=path,
        )
    return value


def _optional_text(value: Any, path: str, *, limit: int) -> str | None:
    return None if value is None else _text(value, path, limit=limit)


def _positive_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(
            sentence(
                "must be a whole number of 1 or more; got %(value)s.",
                value=repr(value),
            ),
            field=path,
        )
    number: int = value
    return number


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(
            sentence(
                "must be a number; got %(value)s.",
                value=repr(value),
            ),
            field=path,
        )
    if value <= 0:
        raise InvalidInput(
            sentence(
                "must be more than 0; got %(value)s.",
                value=repr(value),
            ),
            field=path,
        )
    # Kept as given (an int stays an int), so the rules serialise as they were written.
    number: float = value
    return number


def _system(value: Any, path: str) -> str:
    if not isinstance(value, str) or value not in SYSTEMS:
        raise InvalidInput(
            sentence(
                "Unknown credit system %(value)s; use one of %(systems)s.",
                value=repr(value),
                systems=", ".join(SYSTEMS),
            ),
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
        raise InvalidInput(
            sentence("require must have exactly one of all, atLeast or credits."), field=path
        )
    [(name, raw)] = obj.items()
    if name == "all":
        if raw is not True:
            raise InvalidInput(sentence("all must be true."), field=f"{path}.all")
        return Requirement(all=True)
    if name == "atLeast":
        number = _positive_int(raw, f"{path}.atLeast")
        if number > children:
            raise InvalidInput(
                plural_sentence(
                    "atLeast is %(number)s but the group has only %(count)s child.",
                    "atLeast is %(number)s but the group has only %(count)s children.",
                    count=children,
                    number=number,
                ),
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
        sentence(
            "Unknown requirement %(name)s; use all, atLeast or credits.",
            name=repr(name),
        ),
        code="pathway.unknown_kind",
        field=f"{path}.{name}",
    )


def _level(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
        raise InvalidInput(
            sentence(
                "must be an EQF level from 1 to 8; got %(value)s.",
                value=repr(value),
            ),
            field=path,
        )
    level: int = value
    return level


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
            sentence("allowedValue must be a list of texts, lowest first."),
            field=f"{path}.allowedValue",
        )
    if len(set(raw_allowed)) != len(raw_allowed):
        raise InvalidInput(
            sentence("allowedValue lists a value twice."), field=f"{path}.allowedValue"
        )
    if raw_allowed and required not in raw_allowed:
        raise InvalidInput(
            sentence(
                "requiredValue %(required)s is not one of allowedValue.",
                required=repr(required),
            ),
            field=f"{path}.requiredValue",
        )
    minimum = MinimumResult(result_type, required, tuple(raw_allowed))
    if minimum.numeric and _as_number(required) is None:
        raise InvalidInput(
            sentence(
                "requiredValue must be a number for a %(result_type)s result; got %(required)s.",
                result_type=result_type,
                required=repr(required),
            ),
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
            raise InvalidInput(
                sentence("within has either months or from/until, not both."), field=path
            )
        months = _positive_int(obj["months"], f"{path}.months")
        if months > 1200:
            raise InvalidInput(sentence("months must be at most 1200."), field=f"{path}.months")
        return Window(months=months)
    if not obj:
        raise InvalidInput(sentence("within needs months, or from and/or until."), field=path)
    start = _date(obj.get("from"), f"{path}.from")
    end = _date(obj.get("until"), f"{path}.until")
    if start is not None and end is not None and start > end:
        raise InvalidInput(sentence("from must not be after until."), field=f"{path}.until")
    return Window(start=start, end=end)


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(
            sentence(
                "must be a date such as 2025-01-31; got %(value)s.",
                value=repr(value),
            ),
            field=path,
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            sentence(
                "must be a date such as 2025-01-31; got %(value)s.",
                value=repr(value),
            ),
            field=path,
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


# ---------------------------------------------------------------------------------------------
# Evaluation

# The system credits are reported in where no credit group says otherwise: Annex I of the EU
# Council Recommendation asks for workload "in ECTS, wherever possible".
DEFAULT_SYSTEM = "ECTS"


@dataclass(frozen=True)
class Outcome:
    """What one rule says about a learner's credentials.

    ``credits`` are counted in ``system`` (the group's own system for a credit group, else
    that of the nearest credit group above, else ECTS). ``credential_ids`` are the
    credentials the rule used; ``missing`` names what is still to do; ``fraction`` is the
    share done, from 0 to 1, for a progress bar; ``credits_granted`` is the part of
    ``credits`` granted by partial recognition of prior learning.
    """

    key: str
    name: str
    kind: Literal["component", "group"]
    met: bool
    message: str
    credits: float
    system: str
    credential_ids: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    credits_missing: float = 0.0
    credits_granted: float = 0.0
    transfer_used: bool = False
    alternative_used: str | None = None
    fraction: float = 0.0
    children: tuple[Outcome, ...] = ()

    def walk(self) -> Iterable[Outcome]:
        """Yield this outcome and every outcome beneath it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        """Return the outcome as the API and pages show it (camelCase, like the rules)."""
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "met": self.met,
            "message": self.message,
            "credits": {"value": round(self.credits, 2), "system": self.system},
            "credentialIds": list(self.credential_ids),
            "missing": list(self.missing),
            "creditsMissing": round(self.credits_missing, 2),
            "creditsGranted": round(self.credits_granted, 2),
            "transferUsed": self.transfer_used,
            "alternativeUsed": self.alternative_used,
            "fraction": round(self.fraction, 4),
            "children": [child.to_json() for child in self.children],
        }


@dataclass(frozen=True)
class Progress:
    """A learner's progress on a pathway: the outcome of the root rule and all beneath it."""

    root: Outcome

    @property
    def met(self) -> bool:
        return self.root.met

    @property
    def fraction(self) -> float:
        return self.root.fraction

    @property
    def message(self) -> str:
        return self.root.message

    def __getitem__(self, key: str) -> Outcome:
        """Return the outcome of the rule ``key``; raise KeyError when there is none."""
        for outcome in self.root.walk():
            if outcome.key == key:
                return outcome
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        return self.root.to_json()


@dataclass(frozen=True)
class _Limits:
    """The constraints of the groups above a node, which every credential counted must meet."""

    level: int | None = None
    results: tuple[MinimumResult, ...] = ()
    windows: tuple[Window, ...] = ()

    def within(self, group: Group) -> _Limits:
        level = self.level
        if group.minimum_level is not None:
            level = max(level or 0, group.minimum_level)
        results = self.results + ((group.minimum_result,) if group.minimum_result else ())
        windows = self.windows + ((group.within,) if group.within else ())
        return _Limits(level, results, windows)


def evaluate(
    rule: PathwayRule,
    held: Iterable[HeldCredential],
    *,
    on: date,
    transfer_values: Iterable[TransferValue] = (),
    granted_credits: Mapping[str, float] | None = None,
) -> Progress:
    """Return which rules of ``rule`` the credentials ``held`` meet on the day ``on``.

    ``held`` are verified, valid credentials (the caller verifies; nothing is checked
    here). A credential whose achievement matches a ``transfer_values`` entry counts as
    the components that entry names and brings its credits to credit groups; the
    recognition decision behind a transfer value has judged its level and result already,
    so only time windows apply to it.

    ``granted_credits`` (system code to value) are credits granted to the learner toward
    the pathway by partial recognition of prior learning. They stand for no component, so
    they count in one credit rule: the first group that counts credits, reading the tree
    from the root (the outermost, so they count toward the pathway as a whole and never
    twice). A pathway without a credit rule has nowhere to count them; the credits are
    converted through notional hours like any others.

    A credential counts for one rule only. When the first reading (each rule takes the
    first credential it may count) leaves the pathway unmet, up to :data:`SEARCH_BUDGET`
    other readings are tried, so that holding more credentials never undoes a met pathway.
    """
    granted = _granted(granted_credits)
    target = next(
        (
            node.key
            for node in rule.walk()
            if isinstance(node, Group) and node.require.credits is not None
        ),
        None,
    )
    held = tuple(held)
    transfer_values = tuple(transfer_values)
    root_system = rule.require.system or DEFAULT_SYSTEM

    def run(forbidden: frozenset[tuple[str, str]]) -> _Evaluation:
        evaluation = _Evaluation(held, transfer_values, on, granted, target, forbidden)
        evaluation.outcome = evaluation.node(rule, _Limits(), frozenset(), root_system)
        return evaluation

    first = run(frozenset())
    if first.outcome.met:
        return Progress(first.outcome)
    # Each rule takes the first credential it may count, so one rule can take a credential
    # that a later rule needs while it could have done without it, and holding more
    # credentials would then undo a met pathway. Search for a met reading: take a contested
    # credential away from a rule that used it, breadth first (the fewest changes first).
    queue = deque([first])
    seen = {first.forbidden}
    tried = 1
    while queue and tried < SEARCH_BUDGET:
        evaluation = queue.popleft()
        for forbidden in evaluation.next_readings():
            if forbidden in seen or tried >= SEARCH_BUDGET:
                continue
            seen.add(forbidden)
            tried += 1
            candidate = run(forbidden)
            if candidate.outcome.met:
                return Progress(candidate.outcome)
            queue.append(candidate)
    return Progress(first.outcome)


def _granted(values: Mapping[str, float] | None) -> dict[str, float]:
    """Return granted credits checked: known systems, positive finite numbers."""
    if not values:
        return {}
    if not isinstance(values, Mapping):
        raise InvalidInput(sentence("must map credit systems to numbers."), field="granted_credits")
    return {
        _system(system, f"granted_credits.{system}"): float(
            _number(value, f"granted_credits.{system}")
        )
        for system, value in values.items()
    }


class _Evaluation:
    def __init__(
        self,
        held: tuple[HeldCredential, ...],
        transfers: tuple[TransferValue, ...],
        on: date,
        granted: Mapping[str, float] | None = None,
        granted_to: str | None = None,
        forbidden: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.held = held
        self.transfers = transfers
        self.on = on
        self.granted = granted or {}
        # The key of the credit group the granted credits count in.
        self.granted_to = granted_to
        # (component key, credential id): this component may not count that credential.
        self.forbidden = forbidden
        # Credentials a component could have counted but another rule had taken.
        self.contested: set[str] = set()
        self.outcome: Outcome

    def next_readings(self) -> list[frozenset[tuple[str, str]]]:
        """Return the forbidden sets that free a contested credential from a rule using it."""
        return [
            self.forbidden | {(outcome.key, credential_id)}
            for outcome in self.outcome.walk()
            if outcome.kind == "component" and outcome.met
            for credential_id in outcome.credential_ids
            if credential_id in self.contested
        ]

    def node(self, node: Node, limits: _Limits, taken: frozenset[str], system: str) -> Outcome:
        if isinstance(node, Group):
            return self.group(node, limits, taken, system)
        return self.component(node, limits, taken, system)

    # -- components ----------------------------------------------------------------------

    def component(
        self, component: Component, limits: _Limits, taken: frozenset[str], system: str
    ) -> Outcome:
        reasons: list[str] = []
        for credential, transfer in self._candidates(component):
            if credential.id in taken or (component.key, credential.id) in self.forbidden:
                if credential.id in taken:
                    self.contested.add(credential.id)
                reasons.append(
                    sentence(
                        "your %(name)s already counts for another rule here",
                        name=credential.name,
                    )
                )
                continue
            problem = self._problem(credential, component, limits, transferred=transfer is not None)
            if problem:
                reasons.append(problem)
                continue
            credits = _credit_value(
                credential.credits or (transfer.credits if transfer else {}) or component.credits,
                system,
            )
            if transfer is not None:
                message = sentence(
                    "Done: %(component)s, recognised from your %(credential)s.",
                    component=component.name,
                    credential=credential.name,
                )
            else:
                message = sentence(
                    "Done: %(name)s (%(awarded)s).",
                    name=component.name,
                    awarded=credential.awarded.isoformat(),
                )
            return Outcome(
                key=component.key,
                name=component.name,
                kind="component",
                met=True,
                message=message,
                credits=credits,
                system=system,
                credential_ids=(credential.id,),
                transfer_used=transfer is not None,
                fraction=1.0,
            )
        message = sentence("Still to do: %(name)s.", name=component.name)
        if reasons:
            message = sentence(
                "Still to do: %(name)s: %(reason)s.", name=component.name, reason=reasons[0]
            )
        return Outcome(
            key=component.key,
            name=component.name,
            kind="component",
            met=False,
            message=message,
            credits=0.0,
            system=system,
            missing=(component.name,),
        )

    def _candidates(
        self, component: Component
    ) -> list[tuple[HeldCredential, TransferValue | None]]:
        """Return the credentials that could stand for ``component``, best first.

        The learner's own credential of the achievement comes before a recognised one,
        and a recent one before an older one.
        """
        direct = [
            (credential, None)
            for credential in self.held
            if credential.achievement_id == component.achievement
            and (component.issuer is None or credential.issuer_id == component.issuer)
            and (
                component.achievement_type is None
                or credential.achievement_type == component.achievement_type
            )
        ]
        transferred = [
            (credential, transfer)
            for transfer in self.transfers
            if component.key in transfer.counts_as
            for credential in self.held
            if transfer.matches(credential)
        ]
        direct.sort(key=lambda pair: pair[0].awarded, reverse=True)
        transferred.sort(key=lambda pair: pair[0].awarded, reverse=True)
        return [*direct, *transferred]

    def _problem(
        self,
        credential: HeldCredential,
        component: Component | None,
        limits: _Limits,
        *,
        transferred: bool,
    ) -> str | None:
        """Return why ``credential`` may not count under ``limits``, or None when it may."""
        for window in limits.windows:
            problem = _window_problem(credential, window, self.on)
            if problem:
                return problem
        if transferred:
            return None
        if limits.level is not None:
            if credential.level is None:
                return sentence(
                    "your %(name)s states no EQF level; level %(level)s or higher is needed",
                    name=credential.name,
                    level=limits.level,
                )
            if credential.level < limits.level:
                return sentence(
                    "your %(name)s is at EQF level %(level)s; level %(needed)s or higher is needed",
                    name=credential.name,
                    level=credential.level,
                    needed=limits.level,
                )
        minimums = limits.results
        if component is not None and component.minimum_result is not None:
            minimums = (*minimums, component.minimum_result)
        for minimum in minimums:
            problem = _result_problem(credential, minimum)
            if problem:
                return problem
        return None

    # -- groups --------------------------------------------------------------------------

    def group(self, group: Group, limits: _Limits, taken: frozenset[str], system: str) -> Outcome:
        limits = limits.within(group)
        own_system = group.require.system or system
        used = set(taken)
        outcomes = []
        for child in group.children:
            outcome = self.node(child, limits, frozenset(used), own_system)
            outcomes.append(outcome)
            if outcome.met:
                used.update(outcome.credential_ids)
        children = tuple(outcomes)
        done = [child for child in children if child.met]
        ids = [i for child in done for i in child.credential_ids]
        transfer_used = any(child.transfer_used for child in done)
        credits = sum(_convert(child.credits, child.system, own_system) for child in done)
        if group.require.credits is not None:
            for credential, transfer in self._loose_transfers(limits, frozenset(used)):
                used.add(credential.id)
                ids.append(credential.id)
                credits += _credit_value(transfer.credits, own_system)
                transfer_used = True
        granted = 0.0
        if group.key == self.granted_to and self.granted:
            granted = sum(
                _convert(value, system, own_system) for system, value in self.granted.items()
            )
            credits += granted
        met, fraction, message = _judge(group, children, credits, granted)
        missing = tuple(child.name for child in children if not child.met)
        outcome = Outcome(
            key=group.key,
            name=group.name,
            kind="group",
            met=met,
            message=message,
            credits=credits,
            system=own_system,
            credential_ids=tuple(ids),
            missing=() if met else missing,
            credits_missing=(
                max(0.0, group.require.credits - credits)
                if group.require.credits is not None and not met
                else 0.0
            ),
            credits_granted=granted,
            transfer_used=transfer_used,
            fraction=fraction,
            children=children,
        )
        if met:
            return outcome
        for alternative in group.alternatives:
            shortcut = self.component(alternative, limits, taken, own_system)
            if shortcut.met:
                return Outcome(
                    key=group.key,
                    name=group.name,
                    kind="group",
                    met=True,
                    message=(
                        sentence(
                            "Done: %(group)s, through %(alternative)s, which stands for the "
                            "whole group.",
                            group=group.name,
                            alternative=alternative.name,
                        )
                    ),
                    credits=shortcut.credits,
                    system=own_system,
                    credential_ids=shortcut.credential_ids,
                    transfer_used=shortcut.transfer_used,
                    alternative_used=alternative.key,
                    fraction=1.0,
                    children=children,
                )
        return outcome

    def _loose_transfers(
        self, limits: _Limits, taken: frozenset[str]
    ) -> list[tuple[HeldCredential, TransferValue]]:
        """Return credentials recognised for credits only (no component), not yet counted."""
        found = []
        seen = set(taken)
        for transfer in self.transfers:
            if transfer.counts_as or not transfer.credits:
                continue
            for credential in self.held:
                if credential.id in seen or not transfer.matches(credential):
                    continue
                if self._problem(credential, None, limits, transferred=True):
                    continue
                seen.add(credential.id)
                found.append((credential, transfer))
        return found


def _judge(
    group: Group, children: tuple[Outcome, ...], credits: float, granted: float = 0.0
) -> tuple[bool, float, str]:
    """Return whether ``group`` is met by ``children``, the share done and the message.

    ``granted`` is the part of ``credits`` granted by recognition of prior learning, which
    the message names so that the learner sees where those credits came from.
    """
    require = group.require
    done = sum(1 for child in children if child.met)
    todo = [child.name for child in children if not child.met]
    if require.credits is not None:
        system = require.system or DEFAULT_SYSTEM
        needed = require.credits
        met = credits + ROUNDING >= needed
        amounts = {
            "credits": format_amount(credits),
            "needed": format_amount(needed),
            "unit": _unit(system),
        }
        counted = (
            sentence(
                "%(credits)s of %(needed)s %(unit)s (%(granted)s of them granted through "
                "recognition of your prior learning)",
                granted=format_amount(granted),
                **amounts,
            )
            if granted
            else sentence("%(credits)s of %(needed)s %(unit)s", **amounts)
        )
        if met:
            return True, 1.0, sentence("Done: %(counted)s.", counted=counted)
        more = format_amount(needed - credits)
        message = (
            sentence(
                "%(counted)s: %(more)s more needed, from %(options)s.",
                counted=counted,
                more=more,
                options=_join(todo, "or"),
            )
            if todo
            else sentence("%(counted)s: %(more)s more needed.", counted=counted, more=more)
        )
        return False, min(1.0, credits / needed), message
    if require.at_least is not None:
        needed = require.at_least
        if done >= needed:
            return (
                True,
                1.0,
                sentence(
                    "Done: %(done)s of the %(count)s options (%(needed)s needed).",
                    done=done,
                    count=len(children),
                    needed=needed,
                ),
            )
        best = sorted((child.fraction for child in children), reverse=True)[:needed]
        return (
            False,
            sum(best) / needed,
            sentence(
                "%(done)s of %(needed)s done: choose %(more)s more from %(options)s.",
                done=done,
                needed=needed,
                more=needed - done,
                options=_join(todo, "or"),
            ),
        )
    if not todo:
        if len(children) == 1:
            return (
                True,
                1.0,
                sentence(
                    "Done: %(name)s.",
                    name=group.name,
                ),
            )
        return (
            True,
            1.0,
            sentence(
                "Done: all %(count)s of %(name)s.",
                count=len(children),
                name=group.name,
            ),
        )
    fraction = sum(child.fraction for child in children) / len(children)
    return (
        False,
        fraction,
        sentence(
            "%(done)s of %(count)s done: still missing %(missing)s.",
            done=done,
            count=len(children),
            missing=_join(todo, "and"),
        ),
    )


def _window_problem(credential: HeldCredential, window: Window, on: date) -> str | None:
    start, end = window.start, window.end
    if window.months is not None:
        start, end = _months_before(on, window.months), None
        if credential.awarded < start:
            return sentence(
                "your %(name)s of %(awarded)s is older than the %(months)s months this "
                "pathway accepts",
                name=credential.name,
                awarded=credential.awarded.isoformat(),
                months=window.months,
            )
        return None
    if start is not None and credential.awarded < start:
        return sentence(
            "your %(name)s of %(awarded)s is from before %(start)s",
            name=credential.name,
            awarded=credential.awarded.isoformat(),
            start=start.isoformat(),
        )
    if end is not None and credential.awarded > end:
        return sentence(
            "your %(name)s of %(awarded)s is from after %(end)s",
            name=credential.name,
            awarded=credential.awarded.isoformat(),
            end=end.isoformat(),
        )
    return None


def _result_problem(credential: HeldCredential, minimum: MinimumResult) -> str | None:
    result = credential.result
    need = f"{minimum.required_value}{'%' if minimum.result_type == 'Percent' else ''}"
    if result is None:
        return sentence(
            "your %(name)s records no result; %(need)s or better is needed",
            name=credential.name,
            need=need,
        )
    if result.result_type is not None and result.result_type != minimum.result_type:
        return sentence(
            "your %(name)s records a %(result_type)s result, not the %(needed_type)s needed",
            name=credential.name,
            result_type=result.result_type,
            needed_type=minimum.result_type,
        )
    if minimum.allowed_value:
        scale = minimum.allowed_value
        if result.value not in scale:
            return sentence(
                "your %(name)s has %(value)s, which is not on the scale %(scale)s",
                name=credential.name,
                value=result.value,
                scale=", ".join(scale),
            )
        if scale.index(result.value) < scale.index(minimum.required_value):
            return sentence(
                "your %(name)s has %(value)s; %(need)s or better is needed",
                name=credential.name,
                value=result.value,
                need=need,
            )
        return None
    if minimum.numeric:
        value = _as_number(result.value)
        required = _as_number(minimum.required_value)
        if value is None:
            return sentence(
                "your %(name)s has %(value)s, which is not a number",
                name=credential.name,
                value=repr(result.value),
            )
        if required is not None and value < required:
            return sentence(
                "your %(name)s has %(value)s; %(need)s or more is needed",
                name=credential.name,
                value=result.value,
                need=need,
            )
        return None
    if result.value != minimum.required_value:
        return sentence(
            "your %(name)s has %(value)s; %(need)s is needed",
            name=credential.name,
            value=result.value,
            need=need,
        )
    return None


def _months_before(day: date, months: int) -> date:
    """Return the day ``months`` calendar months before ``day`` (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - date(year, month, 1)).days
    return date(year, month, min(day.day, last_day))


def _credit_value(values: Mapping[str, float], system: str) -> float:
    """Return ``values`` (system to credits) as credits of ``system``: stated, else converted."""
    if not values:
        return 0.0
    if system in values:
        return float(values[system])
    source, value = next(iter(values.items()))
    return convert(value, source, system)


def _convert(value: float, source: str, target: str) -> float:
    return convert(value, source, target) if value else 0.0


def _unit(system: str) -> str:
    return SYSTEMS[system].name


def _join(names: Sequence[str], word: str) -> str:
    """Join names for people: "A", "A and B", "A, B and C" (or "or"), in the shown language."""
    if len(names) <= 1:
        return "".join(names)
    last = (
        sentence("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])
        if word == "and"
        else sentence("%(names)s or %(last)s", names=", ".join(names[:-1]), last=names[-1])
    )
    return last


# ---------------------------------------------------------------------------------------------
# Badgr pathways

_BADGR_JUNCTIONS = {"BadgeJunction": "badges", "ElementJunction": "elements"}


def from_badgr(
    export: Mapping[str, Any], *, names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the rule tree (JSON, ready for :func:`parse_pathway`) of a Badgr pathway export.

    ``export`` is a pathway as Badgr's pathway API gives it with its structure: ``rootElement``
    (the root element's ``@id``) and ``elements``, each with ``@id``, ``slug``, ``name``,
    ``children``, an optional ``completionBadge`` and optional ``requirements``:
    ``{"@type": "BadgeJunction" | "ElementJunction", "junctionConfig": {"@type":
    "Conjunction" | "Disjunction", "requiredNumber": N}, "badges" | "elements": [...]}``.
    A Conjunction needs every listed item, a Disjunction ``requiredNumber`` of them.

    Elements become groups, listed badges components. The ``completionBadge`` of an element
    below the root is a shortcut: holding it stands for the whole element, so it becomes the
    group's alternative. The root's ``completionBadge`` (the pathway's own badge) is the
    target credential, which the caller keeps beside the rules. ``names`` gives the name of
    a badge by its id; without one a name is made from the end of the badge's URL.
    Raise :class:`InvalidInput` naming the element that cannot be converted.
    """
    names = names or {}
    elements = export.get("elements")
    if not isinstance(elements, list):
        raise InvalidInput(sentence("A Badgr pathway export lists its elements."), field="elements")
    by_id: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for index, element in enumerate(elements):
        if not isinstance(element, Mapping) or not isinstance(element.get("@id"), str):
            raise InvalidInput(
                sentence("Every element needs an @id."), field=f"elements[{index}].@id"
            )
        by_id[element["@id"]] = (index, element)
    root_id = export.get("rootElement")
    if root_id not in by_id:
        raise InvalidInput(sentence("rootElement is not one of the elements."), field="rootElement")
    keys: set[str] = set()

    def badge(url: Any, where: str) -> dict[str, Any]:
        if not isinstance(url, str) or not url:
            raise InvalidInput(sentence("A badge is identified by its URL."), field=where)
        return {
            "kind": "component",
            "key": _unique_key(url, keys),
            "name": names.get(url) or _name_from_url(url),
            "achievement": url,
        }

    def group(element_id: str, depth: int) -> dict[str, Any]:
        index, element = by_id[element_id]
        where = f"elements[{index}]"
        if depth > MAX_DEPTH:
            raise InvalidInput(
                sentence(
                    "Elements nest deeper than %(max_depth)s.",
                    max_depth=MAX_DEPTH,
                ),
                field=where,
            )
        requirements = element.get("requirements")
        shortcut = element.get("completionBadge") if depth > 1 else None
        if not requirements:
            if shortcut:
                # A leaf element without requirements is done by earning its badge.
                return badge(shortcut, f"{where}.completionBadge")
            raise InvalidInput(
                sentence("This element has neither requirements nor a completion badge."),
                field=f"{where}.requirements",
            )
        listed = _BADGR_JUNCTIONS.get(requirements.get("@type"))
        if listed is None:
            raise InvalidInput(
                sentence(
                    "Unknown requirements @type %(type)s; Badgr uses BadgeJunction or "
                    "ElementJunction.",
                    type=repr(requirements.get("@type")),
                ),
                field=f"{where}.requirements.@type",
            )
        items = requirements.get(listed)
        if not isinstance(items, list) or not items:
            raise InvalidInput(
                sentence(
                    "The requirements list no %(listed)s.",
                    listed=listed,
                ),
                field=f"{where}.requirements.{listed}",
            )
        if listed == "badges":
            children = [
                badge(url, f"{where}.requirements.badges[{i}]") for i, url in enumerate(items)
            ]
        else:
            children = []
            for i, child_id in enumerate(items):
                if child_id not in by_id:
                    raise InvalidInput(
                        sentence("This element is not in the pathway."),
                        field=f"{where}.requirements.elements[{i}]",
                    )
                children.append(group(child_id, depth + 1))
        junction = requirements.get("junctionConfig") or {}
        if junction.get("@type") == "Disjunction":
            raw = junction.get("requiredNumber")
            # Badgr reads requiredNumber with int(), so "2" is as good as 2.
            if isinstance(raw, str) and raw.strip().isdigit():
                raw = int(raw)
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise InvalidInput(
                    sentence(
                        "requiredNumber must be a whole number; got %(raw)s.",
                        raw=repr(raw),
                    ),
                    field=f"{where}.requirements.junctionConfig.requiredNumber",
                )
            require: dict[str, Any] = {"atLeast": raw}
        elif junction.get("@type") == "Conjunction":
            require = {"all": True}
        else:
            raise InvalidInput(
                sentence(
                    "Unknown junctionConfig @type %(type)s; Badgr uses Conjunction or Disjunction.",
                    type=repr(junction.get("@type")),
                ),
                field=f"{where}.requirements.junctionConfig.@type",
            )
        rule: dict[str, Any] = {
            "kind": "group",
            "key": _unique_key(str(element.get("slug") or element_id), keys),
            "name": element.get("name") or _name_from_url(element_id),
            "require": require,
            "children": children,
        }
        if shortcut:
            rule["alternatives"] = [badge(shortcut, f"{where}.completionBadge")]
        return rule

    root = group(root_id, 1)
    if root["kind"] != "group":
        raise InvalidInput(sentence("The root element has no requirements."), field="rootElement")
    return root


def _unique_key(text: str, taken: set[str]) -> str:
    """Return a rule key made from ``text`` (the end of a URL or a slug), unique in ``taken``."""
    base = re.sub(r"[^A-Za-z0-9_.:-]+", "-", text.rstrip("/").rsplit("/", 1)[-1]).strip("-._:")
    base = (base or "rule")[:90]
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    taken.add(key)
    return key


def _name_from_url(url: str) -> str:
    """Return a name from the end of a URL: ".../badge-of-testing" gives "Badge of testing"."""
    words = re.sub(r"[-_]+", " ", url.rstrip("/").rsplit("/", 1)[-1]).strip()
    return (words[:1].upper() + words[1:]) if words else url
