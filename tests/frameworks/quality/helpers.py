"""A complete specification to break one thing at a time, and what the checks then find."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from microcred.frameworks.quality import check_specification, get_profile

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "specification.json"
TODAY = date(2026, 11, 23)
DELETE = object()
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def complete() -> dict[str, Any]:
    """The example specification: it meets every profile with no finding at all."""
    return json.loads(EXAMPLE.read_text("utf-8"))


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    """The complete specification with each path (``rubric.criteria[0].outcomes``) set or
    deleted (:data:`DELETE`)."""
    spec = complete()
    for path, value in changes.items():
        steps = [name or int(index) for name, index in _STEP.findall(path)]
        parent: Any = spec
        for step in steps[:-1]:
            parent = parent[step]
        if value is DELETE:
            del parent[steps[-1]]
        else:
            parent[steps[-1]] = value
    return spec


def found(spec: dict[str, Any], profile: str) -> set[tuple[str, str, str]]:
    """The ``(rule id, severity, field)`` of each finding of ``profile``'s own rules."""
    return {
        (finding.rule_id, str(finding.severity), finding.field)
        for finding in check_specification(spec, profiles=[profile], today=TODAY)
        if finding.profile == profile
    }


def messages(spec: dict[str, Any], rule_id: str) -> list[str]:
    """The messages of the findings of one rule."""
    profile = rule_id.split(".")[0]
    return [
        finding.message
        for finding in check_specification(spec, profiles=[profile], today=TODAY)
        if finding.rule_id == rule_id
    ]


def rule_ids(profile: str) -> set[str]:
    return {rule.id for rule in get_profile(profile).rules}
