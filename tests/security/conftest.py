from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _platform(settings) -> None:
    """The platform as its own tests see it: a public https address, quick test passwords."""
    settings.PUBLIC_URL = "https://microcred.test"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
