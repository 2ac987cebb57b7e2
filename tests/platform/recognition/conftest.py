"""Each test counts its own verifications: user ids repeat across tests, the counts must not."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(autouse=True)
def own_rate_limit_counts(settings) -> None:
    settings.RATE_LIMIT_STORAGE = f"memory://recognition-{uuid.uuid4()}"


@pytest.fixture(autouse=True)
def _evidence_storage(settings, tmp_path) -> None:
    """Each test stores evidence files in a folder of its own, outside the data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": "/no-public-url/"},
        },
    }
