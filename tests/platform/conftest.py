from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """Every platform test talks to the real database (SQLite, or PostgreSQL via DATABASE_URL)."""


@pytest.fixture(autouse=True)
def _public_url(settings) -> None:
    settings.PUBLIC_URL = "https://microcred.test"
