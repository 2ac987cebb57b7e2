"""Access to the shared conformance corpus (``../shared/conformance``).

The corpus holds test vectors and fixtures from the standards bodies and other
implementations. Tests read it in place and skip, saying why, where it is
absent; nothing from it is copied into this repository.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFORMANCE = Path(os.environ.get("MICROCRED_CONFORMANCE", REPO.parent / "shared" / "conformance"))

# Validity checks depend on the clock: the corpus's expectations hold on this date.
CONFORMANCE_NOW = "2026-11-22T00:00:00Z"


def available() -> bool:
    return (CONFORMANCE / "README.md").is_file()


def path(*parts: str) -> Path:
    """Return a path inside the corpus, skipping the test when the corpus is absent."""
    if not available():
        pytest.skip(f"conformance corpus not found at {CONFORMANCE} (set MICROCRED_CONFORMANCE)")
    return CONFORMANCE.joinpath(*parts)


@cache
def manifest(folder: str) -> dict[str, Any]:
    """Return ``folder/manifest.json`` of the corpus, parsed."""
    return json.loads(path(folder, "manifest.json").read_text("utf-8"))


def load_json(*parts: str) -> Any:
    return json.loads(path(*parts).read_bytes())


def cases(folder: str, key: str) -> list[dict[str, Any]]:
    """Return the list to parametrize on, or one skipped placeholder when the corpus is absent."""
    if not available():
        return [
            pytest.param(
                {}, marks=pytest.mark.skip(reason=f"conformance corpus not found at {CONFORMANCE}")
            )
        ]
    return manifest(folder)[key]
