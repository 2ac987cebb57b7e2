from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.platform.credentialengine.registry import API_KEY, Registry, running_registry


@pytest.fixture
def registry(settings) -> Iterator[Registry]:
    """A stand-in registry, and the settings that publish to it."""
    with running_registry() as stand_in:
        settings.CTDL_REGISTRY_URL = stand_in.url
        settings.CTDL_API_KEY = API_KEY
        yield stand_in
