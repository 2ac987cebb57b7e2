"""Each test counts its own verifications: user ids repeat across tests, the counts must not."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(autouse=True)
def own_rate_limit_counts(settings) -> None:
    settings.RATE_LIMIT_STORAGE = f"memory://recognition-{uuid.uuid4()}"
