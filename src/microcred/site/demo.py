"""Demo data for ``microcred serve --demo``: the platform's records and the verification samples."""

from __future__ import annotations

from collections.abc import Iterator

from microcred.site.demo_platform import load_platform_demo
from microcred.verification.samples import load_samples


def load_demo() -> Iterator[str]:
    """Load the platform's demo data and the verification samples; yield what was done."""
    yield from load_platform_demo()
    yield from load_samples()
