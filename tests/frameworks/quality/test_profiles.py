"""The three checks every profile's table of failing cases must pass, run over all profiles.

Each profile's module keeps its ``PROFILE`` and ``CASES`` (changes to the complete
specification, the rule that must then fail, its severity and field) and its own tests; this
module runs the shared ones so that every profile is held to the same standard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.frameworks.quality import test_australia as australia
from tests.frameworks.quality import test_coherence as coherence
from tests.frameworks.quality import test_eu as eu
from tests.frameworks.quality import test_india as india
from tests.frameworks.quality import test_microbol as microbol
from tests.frameworks.quality import test_nzqa as nzqa
from tests.frameworks.quality import test_stacq as stacq
from tests.frameworks.quality import test_unesco as unesco
from tests.frameworks.quality.helpers import changed, complete, found, rule_ids

TABLES = {
    module.PROFILE: module.CASES
    for module in (coherence, eu, microbol, stacq, unesco, australia, nzqa, india)
}
FAILING = [
    pytest.param(profile, *case, id=f"{case[1]}:{case[3]}")
    for profile, cases in TABLES.items()
    for case in cases
]


@pytest.mark.parametrize("profile", TABLES)
def test_the_complete_specification_meets_the_profile(profile: str) -> None:
    assert found(complete(), profile) == set()


@pytest.mark.parametrize(("profile", "changes", "rule_id", "severity", "field"), FAILING)
def test_a_failing_specification_is_found(
    profile: str, changes: dict[str, Any], rule_id: str, severity: str, field: str
) -> None:
    assert (rule_id, severity, field) in found(changed(changes), profile)


@pytest.mark.parametrize("profile", TABLES)
def test_every_rule_has_a_failing_case(profile: str) -> None:
    assert {case[1] for case in TABLES[profile]} == rule_ids(profile)
