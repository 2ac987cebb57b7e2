"""The shipped quality profiles, in the order they are offered (coherence, always on, last)."""

from __future__ import annotations

from microcred.frameworks.quality.findings import Profile
from microcred.frameworks.quality.profiles import (
    australia,
    coherence,
    eu,
    india,
    microbol,
    nzqa,
    stacq,
    unesco,
)

PROFILES: dict[str, Profile] = {
    module.PROFILE.id: module.PROFILE
    for module in (eu, microbol, stacq, australia, nzqa, india, unesco, coherence)
}
COHERENCE = coherence.ID
