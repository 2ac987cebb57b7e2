from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests import conformance
from tests.ob3_schema import ISSUED_WITH_TWO_STATUS_ENTRIES, issued_document, schema_errors

# How many issued credentials the session checked against the OB 3.0 schema.
SCHEMA_CHECKED: list[str] = []


@pytest.fixture(autouse=True)
def _database(db: None) -> Iterator[None]:
    """Every platform test talks to the real database (SQLite, or PostgreSQL via DATABASE_URL).

    When the test is done, every credential it issued is checked against 1EdTech's Open
    Badges 3.0 JSON Schema, so no issuing path can drift from it unnoticed.
    """
    yield
    _check_issued_credentials()


def _check_issued_credentials() -> None:
    if not conformance.available():
        return
    from microcred.awards.models import Award

    failures = {}
    for uuid, signed in Award.objects.exclude(signed_credential="").values_list(
        "uuid", "signed_credential"
    ):
        SCHEMA_CHECKED.append(str(uuid))
        two_entries = str(uuid) in ISSUED_WITH_TWO_STATUS_ENTRIES
        if errors := schema_errors(issued_document(signed), two_status_entries=two_entries):
            failures[str(uuid)] = errors
    assert not failures, f"Issued credentials fail the OB 3.0 schema: {failures}"


def pytest_terminal_summary(terminalreporter) -> None:
    if SCHEMA_CHECKED:
        terminalreporter.write_line(
            f"OB 3.0 schema: {len(SCHEMA_CHECKED)} checks of {len(set(SCHEMA_CHECKED))} issued "
            "credentials"
        )


@pytest.fixture(autouse=True)
def _public_url(settings) -> None:
    settings.PUBLIC_URL = "https://microcred.test"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts sign-ups and password resets per address in the cache; each test starts
    with none counted, as a person trying once would."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Hashing passwords slowly protects real accounts; test accounts need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def german(client: Client) -> Client:
    """The test client with German chosen, as the footer's switcher chooses it (the thread is
    back in English after the test: tests/conftest.py)."""
    client.cookies["django_language"] = "de"
    return client
