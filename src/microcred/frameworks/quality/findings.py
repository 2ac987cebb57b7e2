"""Findings, rules and profiles: the vocabulary of the quality checks.

A rule looks at a :class:`~microcred.frameworks.quality.specification.Specification`
and reports what is missing or inconsistent as :class:`Finding` objects, each
naming the field to fix and the document the rule comes from. A profile is a
named set of rules from one framework, plus the items a human reviewer judges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from microcred.frameworks.quality.specification import Specification


class Severity(StrEnum):
    """How much a finding matters: an error blocks publishing, the others inform."""

    ERROR = "error"
    WARNING = "warning"
    ADVICE = "advice"


@dataclass(frozen=True)
class Finding:
    """One thing to fix (or consider) in a specification, and why."""

    rule_id: str
    severity: Severity
    message: str
    field: str
    source: str
    profile: str

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as plain JSON data (``--json`` and the API)."""
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "message": self.message,
            "field": self.field,
            "source": self.source,
            "profile": self.profile,
        }


@dataclass(frozen=True)
class Problem:
    """What a rule's check found; ``None`` takes the rule's own field or message."""

    field: str | None = None
    message: str | None = None


Check = Callable[["Specification", date], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A named check with the severity, message, field and source of what it reports."""

    id: str
    severity: Severity
    message: str
    field: str
    source: str
    check: Check

    def run(self, spec: Specification, today: date, profile: str) -> list[Finding]:
        """Return the findings of this rule for ``spec`` as seen on ``today``."""
        return [
            Finding(
                rule_id=self.id,
                severity=self.severity,
                message=problem.message or self.message,
                field=problem.field or self.field,
                source=self.source,
                profile=profile,
            )
            for problem in self.check(spec, today)
        ]


@dataclass(frozen=True)
class Profile:
    """A quality framework: its rules and the items only a person can judge."""

    id: str
    name: str
    source: str
    rules: tuple[Rule, ...]
    checklist: tuple[tuple[str, str], ...]
    #: ``(checklist item id, rule id)``: the item cannot be met while the rule has findings.
    checklist_needs: tuple[tuple[str, str], ...] = ()


def requires(predicate: Callable[[Specification], bool]) -> Check:
    """Make a check that reports the rule's own problem once when ``predicate`` is false."""

    def check(spec: Specification, today: date) -> list[Problem]:
        return [] if predicate(spec) else [Problem()]

    return check


def present(name: str) -> Check:
    """Make a check that reports when the text field ``name`` is blank."""
    return requires(lambda spec: bool(getattr(spec, name).strip()))
