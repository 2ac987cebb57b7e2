"""Automatic quality checks of micro-credential specifications against quality frameworks.

A *profile* is a named set of rules from one framework (:data:`PROFILES`:
``eu-annex-i``, ``microbol``, ``stacq``, ``au-nmf``, ``nzqa``, ``in-ncvet``,
``unesco``, and ``coherence``, which is always checked). Each rule reports
:class:`Finding` objects with a stable rule id (``eu-annex-i.title``), a
:class:`Severity` (an ``error`` blocks publishing), a message saying what to
fix, the field it concerns and the source document. Each profile also lists
the items only a reviewer can judge (its ``checklist``).

The specification format
------------------------
A specification is a JSON object; every key is optional (missing or ``null``
means "not stated"), unknown keys are refused. This is what
``catalogue.get_specification`` produces and ``microcred qa check FILE`` reads
(``docs/examples/specification.json`` is a complete example)::

    title, description, awarding_body, country (ISO 3166-1, e.g. "NL")   text
    workload_hours                        number of notional hours
    credits                               {"ECTS" | "UK" | "NZQCF" | "US_SEMESTER" | "CEU"
                                           | "HOURS": number}
    eqf_level                             whole number 1-8
    assessment_type, quality_assurance, identity_verification, prerequisites,
    stackability, further_information, statement_of_purpose, evidence_of_need,
    achievement_type, criteria, delivery_mode, duration, field_of_study,
    price_currency                        text
    participation_form                    "online" | "onsite" | "blended"
    supervised, enrolment                 true | false
    languages, tags                       [text]
    price_amount                          number
    validity_months                       whole number
    review_date                           ISO 8601 date, e.g. "2027-06-30"
    outcomes        [{"text": text, "skills": [{"uri": ESCO skill URI, "label": text}]}]
    rubric          {"pass_rule": text, "pass_points": number or null,
                     "criteria": [{"name": text, "outcomes": [outcome numbers from 1],
                                   "levels": [{"name": text, "points": number,
                                               "description": text}]}]}
    organisation    {"name": text, "type": text, "country": text}
    number, status, image                 informational (the platform's version number,
                                          status, and whether it has a badge image)

Numbers may be JSON numbers or decimal strings. Fields in findings use the
same names and JSON paths (``outcomes[2].text``, ``credits.ECTS``,
``rubric.criteria[0].outcomes``); outcome positions in paths count from 0,
outcome numbers in a rubric from 1, as the designer sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from microcred.errors import InvalidInput
from microcred.frameworks.quality.findings import Finding, Profile, Severity
from microcred.frameworks.quality.profiles import COHERENCE, PROFILES
from microcred.frameworks.quality.specification import Specification, parse_specification
from microcred.text import sentence

__all__ = [
    "COHERENCE",
    "PROFILES",
    "Finding",
    "Profile",
    "Severity",
    "Specification",
    "check_specification",
    "get_profile",
    "get_profiles",
    "parse_specification",
    "profile_results",
    "unmeetable_items",
]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.ADVICE: 2}


def get_profile(profile_id: str) -> Profile:
    """Return the profile called ``profile_id``; raise :class:`InvalidInput` for an unknown one."""
    try:
        return PROFILES[profile_id]
    except (KeyError, TypeError):
        raise InvalidInput(
            sentence(
                "There is no quality profile %(profile_id)s; the profiles are %(profiles)s.",
                profile_id=repr(profile_id),
                profiles=", ".join(PROFILES),
            ),
            code="quality.unknown_profile",
            field="profiles",
            data={"profiles": list(PROFILES)},
        ) from None


def get_profiles() -> list[Profile]:
    """Return every shipped profile, in the order they are offered."""
    return list(PROFILES.values())


def _selected(profiles: Iterable[str]) -> list[Profile]:
    """Return the profiles named, each once, with the coherence profile always included."""
    ids = list(dict.fromkeys([*profiles, COHERENCE]))
    return [get_profile(profile_id) for profile_id in ids]


def check_specification(
    data: Mapping[str, Any] | Specification, *, profiles: Iterable[str], today: date
) -> list[Finding]:
    """Return the findings of ``profiles`` (and coherence) on a specification seen on ``today``.

    Errors come first, then warnings, then advice; within a severity, findings
    keep the order of the profiles and their rules. Raise :class:`InvalidInput`
    naming the field when ``data`` is not a readable specification, or naming
    ``profiles`` for an unknown profile.
    """
    chosen = _selected(profiles)
    spec = parse_specification(data)
    findings = [
        finding
        for profile in chosen
        for rule in profile.rules
        for finding in rule.run(spec, today, profile.id)
    ]
    return sorted(findings, key=lambda finding: _ORDER[finding.severity])


def profile_results(
    findings: Iterable[Finding | Mapping[str, Any]], profiles: Iterable[str]
) -> dict[str, bool]:
    """Return whether each profile (and coherence) is met: none of its rules found an error.

    ``findings`` may be :class:`Finding` objects or their stored dicts (as QA reviews keep them).
    """
    failed = set()
    for finding in findings:
        if isinstance(finding, Finding):
            rule_id, severity = finding.rule_id, finding.severity
        else:
            rule_id, severity = finding["rule_id"], finding["severity"]
        if severity == Severity.ERROR:
            failed.add(rule_id)
    return {
        profile.id: not any(rule.id in failed for rule in profile.rules)
        for profile in _selected(profiles)
    }


def unmeetable_items(
    findings: Iterable[Finding | Mapping[str, Any]], profiles: Iterable[str]
) -> dict[str, list[str]]:
    """Return the checklist items of ``profiles`` (and coherence) that a reviewer cannot mark
    met, each with the messages of the findings that stand in its way."""
    messages: dict[str, list[str]] = {}
    for finding in findings:
        if isinstance(finding, Finding):
            rule_id, message = finding.rule_id, finding.message
        else:
            rule_id, message = finding["rule_id"], finding["message"]
        messages.setdefault(rule_id, []).append(message)
    blocked: dict[str, list[str]] = {}
    for profile in _selected(profiles):
        for item_id, rule_id in profile.checklist_needs:
            if rule_id in messages:
                blocked.setdefault(item_id, []).extend(messages[rule_id])
    return blocked
