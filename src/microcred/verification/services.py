"""Verification for the public page and the API: the engine, configured from the settings."""

from __future__ import annotations

import functools
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from microcred.errors import RateLimited
from microcred.organisations.services import get_platform_fetcher
from microcred.vc import VerificationReport, verify
from microcred.vc.http import Fetcher, FetchLimits
from microcred.vc.suites import BoundedProofHashes
from microcred.verification.samples import SAMPLES, demo_dir

__all__ = [
    "check_verification_rate",
    "get_fetcher",
    "get_sample",
    "get_samples",
    "verify_payload",
]


# Canonical proof configurations, shared by every verification this process makes: the
# credentials of one issuing batch (and a status list's every check) share theirs. Only
# ever used with the default JSON-LD loader, as verify_payload does.
_PROOF_HASHES = BoundedProofHashes(size=4096)


def get_fetcher() -> Fetcher:
    """Return the fetcher verification uses for did:web documents and status lists.

    The platform's own URLs are answered from its database; others over HTTPS.
    """
    return get_platform_fetcher()


def verify_payload(*, data: bytes, source: str) -> list[VerificationReport]:
    """Verify whatever a visitor submitted; raise ``InputError`` when it cannot be read.

    The whole submission shares one fetch deadline, so that an anonymous
    visitor cannot hold a worker longer than that.
    """
    limits = FetchLimits(
        seconds=settings.VERIFY_DEADLINE_SECONDS, max_fetches=settings.VERIFY_MAX_FETCHES
    )
    return verify(
        data,
        source=source,
        fetcher=get_fetcher(),
        now=datetime.now(UTC),
        limits=limits,
        proof_hashes=_PROOF_HASHES,
    )


def check_verification_rate(*, address: str) -> None:
    """Count one verification request from ``address``; raise ``RateLimited`` past the limit.

    Every request counts, readable or not, so that garbage cannot keep the verifier busy
    either. The window moves: a client that waits ``retry_after`` seconds may send again.
    """
    limiter = _rate_limiter(settings.RATE_LIMIT_STORAGE)
    for limit in parse_many(settings.VERIFY_RATE_LIMIT):
        if limiter.hit(limit, "verify", address):
            continue
        reset_at = limiter.get_window_stats(limit, "verify", address).reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise RateLimited(
            f"Too many verification requests from your address ({limit} are allowed); "
            f"try again in {retry_after} seconds.",
            retry_after=retry_after,
            data={"limit": str(limit)},
        )


@functools.cache
def _rate_limiter(storage_uri: str) -> MovingWindowRateLimiter:
    """Return one limiter per storage, so that its counts outlive a request."""
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


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
