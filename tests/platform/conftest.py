from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """Every platform test talks to the real database (SQLite, or PostgreSQL via DATABASE_URL)."""


@pytest.fixture(autouse=True)
def _public_url(settings) -> None:
    settings.PUBLIC_URL = "https://microcred.test"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Hashing passwords slowly protects real accounts; test accounts need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
