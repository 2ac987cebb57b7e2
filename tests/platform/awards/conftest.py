"""Fixtures shared by the awards tests."""

from __future__ import annotations

import pytest

from tests.platform.awards.factories import issue, make_issuer


@pytest.fixture
def issued():
    organisation, registrar, version = make_issuer(name="Universiteit Utrecht", slug="uu")
    award = issue(
        registrar,
        version,
        learner_email="ada@example.org",
        learner_name="Ada Lovelace",
        result={"grade": "A"},
        evidence=["https://portfolio.example.org/ada"],
    )
    return organisation, registrar, version, award
