"""Verification for the public pages: the engine, configured from the settings."""

from __future__ import annotations

from datetime import UTC, datetime

from microcred.organisations.services import get_platform_fetcher
from microcred.vc import VerificationReport, verify
from microcred.vc.http import Fetcher
from microcred.verification.samples import SAMPLES, demo_dir

__all__ = [
    "get_fetcher",
    "get_sample",
    "get_samples",
    "verify_payload",
]


def get_fetcher() -> Fetcher:
    """Return the fetcher verification uses for did:web documents and status lists.

    The platform's own URLs are answered from its database; others over HTTPS.
    """
    return get_platform_fetcher()


def verify_payload(*, data: bytes, source: str) -> list[VerificationReport]:
    """Verify whatever a visitor submitted; raise ``InputError`` when it cannot be read."""
    return verify(data, source=source, fetcher=get_fetcher(), now=datetime.now(UTC))


def get_samples() -> list[dict[str, str]]:
    """Return the demo samples that exist, for the page's "try a sample" list."""
    folder = demo_dir()
    return [
        {"name": name, "description": description}
        for name, description in SAMPLES.items()
        if (folder / name).is_file()
    ]


def get_sample(name: str) -> bytes | None:
    """Return a demo sample's bytes by its exact name, or None; other files are never served."""
    if name not in SAMPLES:
        return None
    path = demo_dir() / name
    return path.read_bytes() if path.is_file() else None
