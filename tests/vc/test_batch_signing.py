"""Signing and verifying a batch: shared canonical hashes save work and change no outcome."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest

from microcred.vc import Ed25519Multikey, InputError, sign, sign_many, verify, verify_batch
from microcred.vc.suites import eddsa_rdfc_2022
from microcred.vc.suites.base import memo_key
from tests.vc.test_dataintegrity import NOW, credential


def issued_by(key: Ed25519Multikey, count: int) -> list[dict[str, Any]]:
    """Return ``count`` credentials whose issuer is the key's did:key, so that they verify."""
    documents = [credential(number) for number in range(count)]
    for document in documents:
        document["issuer"]["id"] = key.public.did_key_verification_method.split("#")[0]
        document["credentialSubject"]["achievement"]["description"] = "Works in a team."
    return documents


@pytest.fixture
def counted(monkeypatch) -> list[Any]:
    """Record every document eddsa-rdfc-2022 canonicalizes."""
    calls: list[Any] = []
    original = eddsa_rdfc_2022.rdfc.canonicalize

    def counting(document: Any, **arguments: Any) -> str:
        calls.append(document)
        return original(document, **arguments)

    monkeypatch.setattr(eddsa_rdfc_2022.rdfc, "canonicalize", counting)
    return calls


def test_sign_many_signs_as_sign_does() -> None:
    key = Ed25519Multikey.generate()
    documents = issued_by(key, 3)
    batch = list(sign_many(documents, key=key, created=NOW))
    assert batch == [sign(document, key=key, created=NOW) for document in documents]
    [token] = sign_many([credential(9)], key=key, suite="vc-jwt", created=NOW)
    assert isinstance(token, str) and token.count(".") == 2
    assert [report.verified for report in verify([*batch])] == [True] * 3


def test_a_batch_verified_with_its_signing_hashes_canonicalizes_nothing_again(
    counted: list[Any],
) -> None:
    key = Ed25519Multikey.generate()
    proofs: dict[str, bytes] = {}
    documents: dict[str, bytes] = {}
    signed = list(
        sign_many(
            issued_by(key, 5),
            key=key,
            created=NOW,
            proof_hashes=proofs,
            document_hashes=documents,
        )
    )
    assert len(counted) == 5 + 1
    texts = [(json.dumps(document, indent=2), f"item {n}") for n, document in enumerate(signed)]
    reports = verify_batch(texts, now=NOW, proof_hashes=proofs, document_hashes=documents)
    assert [[report.verified for report in found] for found in reports] == [[True]] * 5
    assert [found[0].source for found in reports] == [f"item {n}" for n in range(5)]
    assert len(counted) == 5 + 1


def test_shared_hashes_do_not_let_a_changed_credential_verify() -> None:
    """The memo is keyed by the exact JSON: a credential changed after signing is
    canonicalized afresh, and its signature fails."""
    key = Ed25519Multikey.generate()
    proofs: dict[str, bytes] = {}
    documents: dict[str, bytes] = {}
    [signed] = sign_many(
        issued_by(key, 1), key=key, created=NOW, proof_hashes=proofs, document_hashes=documents
    )
    changed = copy.deepcopy(signed)
    changed["name"] = "Something else"
    forged_proof = copy.deepcopy(signed)
    forged_proof["proof"]["created"] = "2026-11-22T12:00:01Z"
    [[unchanged], [after], [proof]] = verify_batch(
        [(signed, None), (changed, None), (forged_proof, None)],
        now=NOW,
        proof_hashes=proofs,
        document_hashes=documents,
    )
    assert unchanged.verified
    assert not after.verified and "proof.signature" in {c.id for c in after.failures}
    assert not proof.verified and "proof.signature" in {c.id for c in proof.failures}


@pytest.mark.parametrize(
    ("signed_value", "presented_value"),
    [
        ("Works in a team.", "Works in a team!"),
        (None, math.nan),
        (None, math.inf),
        (1, True),
        (1, "1"),
        (2**64, 2**64 + 1),
    ],
)
def test_shared_hashes_tell_apart_values_that_json_tells_apart(
    signed_value: Any, presented_value: Any
) -> None:
    """orjson writes NaN and the infinities as null: the memo must not take the hash of a
    credential with a null for one with a NaN, nor mix up any other pair of JSON values."""
    key = Ed25519Multikey.generate()
    proofs: dict[str, bytes] = {}
    documents: dict[str, bytes] = {}
    [unsigned] = issued_by(key, 1)
    unsigned["credentialSubject"]["achievement"]["ext:note"] = signed_value
    [signed] = sign_many(
        [unsigned], key=key, created=NOW, proof_hashes=proofs, document_hashes=documents
    )
    presented = copy.deepcopy(signed)
    presented["credentialSubject"]["achievement"]["ext:note"] = presented_value
    assert memo_key("eddsa-rdfc-2022", signed) != memo_key("eddsa-rdfc-2022", presented)
    [[report]] = verify_batch(
        [(presented, None)], now=NOW, proof_hashes=proofs, document_hashes=documents
    )
    assert not report.verified


def test_memo_keys_ignore_member_order_and_name_the_suite() -> None:
    first = {"b": [1, {"y": None, "x": "é"}], "a": 2.5}
    second = {"a": 2.5, "b": [1, {"x": "é", "y": None}]}
    assert memo_key("eddsa-rdfc-2022", first) == memo_key("eddsa-rdfc-2022", second)
    assert memo_key("eddsa-rdfc-2022", first) != memo_key("eddsa-jcs-2022", first)
    # 1 and 1.0 are the same RDF literal, but not the same JSON: keys only say "the same JSON".
    assert memo_key("s", {"a": 1}) != memo_key("s", {"a": 1.0})


def test_verify_batch_refuses_an_input_it_cannot_read() -> None:
    with pytest.raises(InputError):
        verify_batch([("not a credential", None)], now=NOW)
