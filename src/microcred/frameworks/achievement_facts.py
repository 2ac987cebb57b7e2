"""Read the credits and the EQF level an Open Badges 3.0 achievement states.

A credential from another issuer brings its workload and level to a pathway only as its
signed achievement states them, so this reads them where issuers write them:

- **EQF level**: an ``alignment`` whose ``targetUrl`` is the EU's EQF concept
  (``http://data.europa.eu/snb/eqf/<n>``, as this platform's own credentials write it and
  as European Learning Model credentials name ``eqfLevel``), or whose ``targetFramework``
  is the European Qualifications Framework (or "EQF") with a ``targetCode`` of 1 to 8.
- **credits**: an ``alignment`` to a credit system, named by its ``targetFramework`` (a
  system code such as ``ECTS`` or its name such as "ECTS credits"; ELM's concept
  ``http://data.europa.eu/snb/education-credit/6fcec5c5af`` for ECTS as ``targetUrl``),
  with the number as ``targetCode``; else ``creditsAvailable``. OB 3.0 gives
  ``creditsAvailable`` no credit system; this platform writes ECTS there, as Annex I of the
  EU Council Recommendation asks workload "in ECTS, wherever possible", and reads it so
  when no alignment names another system.

Anything else (an unknown framework, a code that is no number, a level out of range) is
ignored: a credential that states nothing readable simply brings no credits or level, and
the rules say so to the learner.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.frameworks.credits import SYSTEMS

__all__ = ["AchievementFacts", "read_achievement"]

EQF_URI = re.compile(r"^https?://data\.europa\.eu/snb/eqf/([1-8])$")
EQF_FRAMEWORKS = frozenset({"european qualifications framework", "eqf"})
# The European Learning Model's credit system concepts (education-credit scheme).
ELM_CREDIT_SYSTEMS = {"http://data.europa.eu/snb/education-credit/6fcec5c5af": "ECTS"}
# A credit system by its code or its name, in lower case ("ects", "ects credits", "uk").
CREDIT_SYSTEM_NAMES = {
    **{code.lower(): code for code in SYSTEMS},
    **{system.name.lower(): code for code, system in SYSTEMS.items()},
}
# The system of ``creditsAvailable`` when no alignment names one.
DEFAULT_CREDITS_AVAILABLE_SYSTEM = "ECTS"


@dataclass(frozen=True)
class AchievementFacts:
    """What an achievement states of its workload (system code to value) and EQF level."""

    credits: Mapping[str, float] = field(default_factory=dict)
    level: int | None = None


def read_achievement(achievement: Any) -> AchievementFacts:
    """Return the credits and EQF level ``achievement`` (an OB 3.0 Achievement) states."""
    if not isinstance(achievement, Mapping):
        return AchievementFacts()
    level = None
    credits: dict[str, float] = {}
    alignments = achievement.get("alignment")
    if isinstance(alignments, Mapping):
        alignments = [alignments]
    for alignment in alignments if isinstance(alignments, list) else []:
        if not isinstance(alignment, Mapping):
            continue
        level = level or _level(alignment)
        system = _credit_system(alignment)
        value = _positive(alignment.get("targetCode"))
        if system is not None and value is not None and system not in credits:
            credits[system] = value
    if not credits:
        available = _positive(achievement.get("creditsAvailable"))
        if available is not None:
            credits[DEFAULT_CREDITS_AVAILABLE_SYSTEM] = available
    return AchievementFacts(credits=credits, level=level)


def _level(alignment: Mapping[str, Any]) -> int | None:
    match = EQF_URI.match(str(alignment.get("targetUrl") or ""))
    if match:
        return int(match.group(1))
    framework = str(alignment.get("targetFramework") or "").strip().lower()
    code = str(alignment.get("targetCode") or "").strip()
    if framework in EQF_FRAMEWORKS and code in {str(n) for n in range(1, 9)}:
        return int(code)
    return None


def _credit_system(alignment: Mapping[str, Any]) -> str | None:
    url = str(alignment.get("targetUrl") or "")
    if url in ELM_CREDIT_SYSTEMS:
        return ELM_CREDIT_SYSTEMS[url]
    framework = str(alignment.get("targetFramework") or "").strip().lower()
    return CREDIT_SYSTEM_NAMES.get(framework)


def _positive(value: Any) -> float | None:
    """Return a positive finite number written as a number or a text; None otherwise."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None
