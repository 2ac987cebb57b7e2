"""What a verification session remembers: canonical proof configurations, and never wrongly."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from microcred.vc import Ed25519Multikey, sign, verify
from microcred.vc.suites import BoundedProofHashes
from tests.factories import FIXED_NOW, signed_credential, unsigned_credential


@pytest.fixture
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def stream(*credentials: dict) -> str:
    return "\n".join(json.dumps(credential) for credential in credentials)


def test_a_batch_signed_together_canonicalizes_its_proof_configuration_once(key) -> None:
    memo = BoundedProofHashes()
    batch = [signed_credential(key, name=f"Badge {number}") for number in range(5)]
    reports = verify(stream(*batch), now=FIXED_NOW, proof_hashes=memo)
    assert [report.verified for report in reports] == [True] * 5
    assert len(memo) == 1


def test_a_changed_proof_configuration_is_never_answered_from_the_memo(key) -> None:
    memo = BoundedProofHashes()
    good = signed_credential(key)
    # The same document and signature, but the proof claims another creation time.
    moved = json.loads(json.dumps(good))
    moved["proof"]["created"] = "2020-01-01T00:00:00Z"
    later = sign(unsigned_credential(key), key=key, created=FIXED_NOW - timedelta(hours=1))
    reports = verify(stream(good, moved, later, good), now=FIXED_NOW, proof_hashes=memo)
    assert [report.verified for report in reports] == [True, False, True, True]
    [signature] = reports[1].checks_with("proof.signature")
    assert "does not match" in signature.message
    assert len(memo) == 3


def test_member_order_does_not_matter_to_the_memo(key) -> None:
    memo = BoundedProofHashes()
    good = signed_credential(key)
    reordered = {**good, "proof": dict(reversed(list(good["proof"].items())))}
    reports = verify(stream(good, reordered), now=FIXED_NOW, proof_hashes=memo)
    assert [report.verified for report in reports] == [True, True]
    assert len(memo) == 1


def test_a_memo_kept_across_calls_still_checks_each_proof(key) -> None:
    memo = BoundedProofHashes()
    good = signed_credential(key)
    [first] = verify(good, now=FIXED_NOW, proof_hashes=memo)
    other = signed_credential(Ed25519Multikey.generate())
    # Another issuer's document under this proof: the memo holds the proof's hash, not a verdict.
    forged = {**other, "proof": good["proof"]}
    [second] = verify(forged, now=FIXED_NOW, proof_hashes=memo)
    assert first.verified
    assert not second.verified


def test_the_memo_keeps_the_most_recently_used_entries() -> None:
    memo = BoundedProofHashes(size=2)
    memo["a"], memo["b"] = b"1", b"2"
    assert memo["a"] == b"1"  # "a" is now the most recently used
    memo["c"] = b"3"
    assert sorted(memo) == ["a", "c"]
    with pytest.raises(ValueError):
        BoundedProofHashes(size=0)
