from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _evidence_storage(settings, tmp_path) -> None:
    """Each test stores evidence in a folder of its own, outside the data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": "/no-public-url/"},
        },
    }
