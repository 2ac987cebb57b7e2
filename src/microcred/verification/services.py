"""Verification for the public pages: the engine, configured from the settings."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings

from microcred.vc import VerificationReport, verify
from microcred.vc.http import HttpFetcher


def get_fetcher() -> HttpFetcher:
    """Return the fetcher verification uses for did:web documents and status lists."""
    return HttpFetcher(
        timeout=settings.VERIFY_FETCH_TIMEOUT,
        allow_private=settings.VERIFY_ALLOW_PRIVATE_ADDRESSES,
    )


def verify_payload(*, data: bytes, source: str) -> list[VerificationReport]:
    """Verify whatever a visitor submitted; raise ``InputError`` when it cannot be read."""
    return verify(data, source=source, fetcher=get_fetcher(), now=datetime.now(UTC))
