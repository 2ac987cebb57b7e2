"""Throughput of Data Integrity signing and verification: microcred against plain pyld.

For realistic Open Badges 3.0 credentials (issuer profile, achievement with
criteria and alignment, result, BitstringStatusListEntry; names and ids vary),
measure on one core how many credentials per second each suite signs and
verifies, with microcred.vc and with a straightforward implementation of the
same steps (pyld normalize or the rfc8785 package, hashlib, cryptography).
Both must produce the same proofValue for the same input; the run checks it.

    python benchmarks/signing.py [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import base58
import rfc8785
from pyld import jsonld

from microcred.vc.dataintegrity import sign_many, verify_proofs
from microcred.vc.jsonld import DEFAULT_LOADER
from microcred.vc.keys import Ed25519Multikey
from microcred.vc.suites import ProofHashes

CREATED = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
TARGETS = {"eddsa-rdfc-2022": 1000, "eddsa-jcs-2022": 5000}
FIRST_NAMES = ["Ada", "Bao", "Chiara", "Dmitri", "Eun-ji", "Farah", "Gustavo", "Hana"]
SKILLS = ["teamwork", "data analysis", "project planning", "welding", "first aid", "Python"]


def credential(number: int) -> dict[str, Any]:
    """Return the ``number``-th unsigned OB 3.0 credential of a realistic batch."""
    learner = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} Example {number}"
    skill = SKILLS[number % len(SKILLS)]
    slug = skill.replace(" ", "-").lower()
    issuer = f"https://university{number % 3}.example/issuers/565049"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:4f5c3a1e-9b2d-4e8f-a7c6-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": f"Example University {number % 3}",
            "url": f"https://university{number % 3}.example",
            "email": "registrar@university.example",
        },
        "validFrom": "2026-11-22T09:00:00Z",
        "name": f"Micro-credential in {skill}",
        "credentialSubject": {
            "id": f"did:example:learner-{number}",
            "type": ["AchievementSubject"],
            "name": learner,
            "achievement": {
                "id": f"{issuer}/achievements/{slug}",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": f"Micro-credential in {skill}",
                "description": f"Assessed competence in {skill}, 5 ECTS, EQF level 5.",
                "criteria": {
                    "narrative": f"Passed the assessed project in {skill} with at least 60%."
                },
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": skill,
                        "targetUrl": f"http://data.europa.eu/esco/skill/{number:08d}",
                        "targetFramework": "ESCO",
                    }
                ],
                "resultDescription": [
                    {
                        "id": f"{issuer}/achievements/{slug}/results/grade",
                        "type": ["ResultDescription"],
                        "name": "Final grade",
                        "resultType": "LetterGrade",
                        "allowedValue": ["A", "B", "C", "D", "E"],
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{issuer}/achievements/{slug}/results/grade",
                    "value": "ABCDE"[number % 5],
                }
            ],
        },
        "credentialStatus": {
            "id": f"{issuer}/status/1#{number}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(number),
            "statusListCredential": f"{issuer}/status/1",
        },
    }


# --- the straightforward implementation -------------------------------------------------------


def pyld_canonical(value: dict[str, Any]) -> bytes:
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": DEFAULT_LOADER,
        "safe": True,
    }
    return jsonld.normalize(value, options).encode("utf-8")


BASELINE_CANONICAL = {"eddsa-rdfc-2022": pyld_canonical, "eddsa-jcs-2022": rfc8785.dumps}


def baseline_hash(document: dict[str, Any], proof: dict[str, Any], suite: str) -> bytes:
    canonical = BASELINE_CANONICAL[suite]
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    config["@context"] = document["@context"]
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    return (
        hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsecured)).digest()
    )


def baseline_sign(document: dict[str, Any], key: Ed25519Multikey, suite: str) -> dict[str, Any]:
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": suite,
        "created": CREATED.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": key.public.did_key_verification_method,
        "proofPurpose": "assertionMethod",
    }
    if suite == "eddsa-jcs-2022":
        proof["@context"] = document["@context"]
    signature = key.key.sign(baseline_hash(document, proof, suite))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**document, "proof": proof}


def baseline_verify(document: dict[str, Any], key: Ed25519Multikey, suite: str) -> None:
    proof = document["proof"]
    signature = base58.b58decode(proof["proofValue"][1:])
    key.public.key.verify(signature, baseline_hash(document, proof, suite))


# --- measuring --------------------------------------------------------------------------------


def per_second(
    run: Callable[[Sequence[Any]], object], items: Sequence[Any], seconds: float
) -> float:
    """Run ``run`` over ``items`` again and again for ``seconds``; return items per second."""
    run(items[:2])
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        run(items)
        done += len(items)
    return done / elapsed


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run: fewer credentials")
    arguments = parser.parse_args()
    count, seconds = (50, 0.5) if arguments.quick else (200, 3.0)

    print(f"{count} OB 3.0 credentials, {seconds:g} s per measurement, {pin_to_one_core()}")
    key = Ed25519Multikey.generate()
    method = key.public.did_key_verification_method
    credentials = [credential(number) for number in range(count)]
    rows = []
    for suite, target in TARGETS.items():
        ours = list(
            sign_many(
                credentials, key=key, suite=suite, verification_method=method, created=CREATED
            )
        )
        theirs = [baseline_sign(document, key, suite) for document in credentials]
        if ours != theirs:
            raise SystemExit(f"{suite}: microcred and the baseline sign differently")

        def our_sign(batch: Sequence[Any], suite: str = suite) -> object:
            return list(
                sign_many(batch, key=key, suite=suite, verification_method=method, created=CREATED)
            )

        def our_verify(batch: Sequence[Any], memo: ProofHashes | None = None) -> object:
            for document in batch:
                [result] = verify_proofs(
                    document, resolve_key=lambda _: key.public, proof_hashes=memo
                )
                if not result.verified:
                    raise SystemExit(result.message)
            return batch

        def our_verify_with_memo(batch: Sequence[Any]) -> object:
            return our_verify(batch, memo={})

        def their_sign(batch: Sequence[Any], suite: str = suite) -> object:
            return [baseline_sign(document, key, suite) for document in batch]

        def their_verify(batch: Sequence[Any], suite: str = suite) -> object:
            for document in batch:
                baseline_verify(document, key, suite)
            return batch

        baseline_rates: dict[Callable[[Sequence[Any]], object], float] = {}
        for operation, mine, baseline, items in (
            ("sign", our_sign, their_sign, credentials),
            ("verify", our_verify, their_verify, ours),
            ("verify*", our_verify_with_memo, their_verify, ours),
        ):
            if baseline not in baseline_rates:
                baseline_rates[baseline] = per_second(baseline, items, seconds)
            rate = per_second(mine, items, seconds)
            rows.append((suite, operation, rate, baseline_rates[baseline], target))

    print(f"{'suite':<17} {'op':<8} {'microcred/s':>12} {'baseline/s':>11} {'ratio':>7}  target")
    for suite, operation, rate, base, target in rows:
        verdict = "met" if rate >= target else "NOT met"
        print(
            f"{suite:<17} {operation:<8} {rate:>12,.0f} {base:>11,.0f} {rate / base:>6.1f}x"
            f"  >= {target:,}/s {verdict}"
        )
    print(
        "baseline: pyld normalize (eddsa-rdfc-2022) or rfc8785 (eddsa-jcs-2022), hashlib, "
        "cryptography\nverify*: a verification session that remembers canonical proof "
        "configurations (here the batch shares one)"
    )


if __name__ == "__main__":
    main()
