"""Small factories for tests: keys, unsigned and signed credentials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from microcred.vc import Ed25519Multikey, sign
from microcred.verification.samples import sample_credential

FIXED_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def unsigned_credential(key: Ed25519Multikey, **changes: Any) -> dict[str, Any]:
    """Return an unsigned OB 3.0 credential issued by ``key``'s did:key, valid since yesterday."""
    credential = sample_credential(
        issuer=key.public.did_key, valid_from=FIXED_NOW - timedelta(days=1)
    )
    credential.update(changes)
    return credential


def signed_credential(
    key: Ed25519Multikey, *, suite: str = "eddsa-rdfc-2022", **changes: Any
) -> Any:
    return sign(unsigned_credential(key, **changes), key=key, suite=suite, created=FIXED_NOW)
