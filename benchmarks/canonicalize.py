"""Benchmark RDFC-1.0 canonicalization of Open Badges 3.0 credentials: pyld against microcred.

Run: ``python benchmarks/canonicalize.py [--count N]``. Builds N realistic
OpenBadgeCredentials (issuer profile, achievement with criteria, alignments
and a result description, results, credentialStatus), all different, checks
that microcred writes pyld's bytes for every one, then times on one core:

- pyld's straightforward ``jsonld.normalize`` (URDNA2015, N-Quads);
- ``microcred.vc.rdfc.canonicalize``;

for the credential alone and for what eddsa-rdfc-2022 canonicalizes per
signature or verification: the credential plus its proof configuration
(vc-di-eddsa 3.2.4). Prints milliseconds per credential, credentials per
second and the ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from pyld import jsonld

from microcred.vc.jsonld import DEFAULT_LOADER
from microcred.vc.rdfc import canonicalize

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SKILLS = ["Teamwork", "Data analysis", "Welding", "Public speaking", "Python", "Négociation"]
GIVEN = ["Ana", "Björn", "Chen", "Dalia", "Émile", "Farah", "Gustavo", "Hana"]


def realistic_credentials(count: int, *, seed: int = 2025) -> list[dict[str, Any]]:
    """Return ``count`` distinct OpenBadgeCredentials of the shape microcred issues."""
    rng = random.Random(seed)
    credentials = []
    for number in range(count):
        skill = rng.choice(SKILLS)
        issuer = f"https://issuer{number % 7}.example.edu"
        achievement_id = f"{issuer}/achievements/{uuid.UUID(int=rng.getrandbits(128))}"
        credentials.append(
            {
                "@context": CONTEXT,
                "id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {
                    "id": f"{issuer}/profile",
                    "type": ["Profile"],
                    "name": f"Institute {number % 7}",
                    "url": issuer,
                    "email": f"registrar@issuer{number % 7}.example.edu",
                    "image": {"id": f"{issuer}/logo.png", "type": "Image", "caption": "Logo"},
                },
                "validFrom": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:00:00Z",
                "validUntil": "2030-01-01T00:00:00Z",
                "name": f"{skill} micro-credential",
                "credentialSubject": {
                    "id": f"did:example:{uuid.UUID(int=rng.getrandbits(128)).hex}",
                    "type": ["AchievementSubject"],
                    "achievement": {
                        "id": achievement_id,
                        "type": ["Achievement"],
                        "name": skill,
                        "description": f"Shows {skill.lower()} at EQF level {rng.randint(3, 7)}.",
                        "criteria": {"narrative": f"Passed the {skill.lower()} assessment."},
                        "image": {"id": f"{achievement_id}/badge.png", "type": "Image"},
                        "creditsAvailable": rng.choice([1, 2, 2.5, 5]),
                        "alignment": [
                            {
                                "type": ["Alignment"],
                                "targetName": skill,
                                "targetUrl": f"http://data.europa.eu/esco/skill/{uuid.UUID(int=rng.getrandbits(128))}",
                                "targetType": "ext:ESCOSkill",
                                "targetFramework": "ESCO",
                            },
                            {
                                "type": ["Alignment"],
                                "targetName": f"EQF level {rng.randint(3, 7)}",
                                "targetUrl": "https://europa.eu/europass/en/description-eight-eqf-levels",
                            },
                        ],
                        "resultDescription": [
                            {
                                "id": f"{achievement_id}/results/grade",
                                "type": ["ResultDescription"],
                                "name": "Grade",
                                "resultType": "LetterGrade",
                                "allowedValue": ["A", "B", "C", "D"],
                            }
                        ],
                    },
                    "result": [
                        {
                            "type": ["Result"],
                            "resultDescription": f"{achievement_id}/results/grade",
                            "value": rng.choice("ABCD"),
                        },
                        {"type": ["Result"], "status": "Completed"},
                    ],
                    "creditsEarned": rng.choice([1, 2, 2.5]),
                },
                "credentialStatus": {
                    "id": f"{issuer}/status/1#{number}",
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                    "statusListIndex": str(number),
                    "statusListCredential": f"{issuer}/status/1",
                },
                "description": f"Awarded to {rng.choice(GIVEN)} for {skill.lower()}.",
            }
        )
    return credentials


def proof_configuration(credential: dict[str, Any], number: int) -> dict[str, Any]:
    """Return the proof configuration eddsa-rdfc-2022 hashes for ``credential`` (3.2.5)."""
    return {
        "@context": credential["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": f"2025-06-01T12:{number // 60 % 60:02d}:{number % 60:02d}Z",
        "verificationMethod": f"{credential['issuer']['id']}#key-1",
        "proofPurpose": "assertionMethod",
    }


def pyld_normalize(document: dict[str, Any]) -> str:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    return jsonld.normalize(document, {**options, "documentLoader": DEFAULT_LOADER})


def microcred_canonicalize(document: dict[str, Any]) -> str:
    return canonicalize(document, loader=DEFAULT_LOADER)


def seconds_per_item(function: Callable[[Any], Any], items: list[Any]) -> float:
    function(items[0])  # contexts are loaded and processed once, outside the timing
    start = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - start) / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="credentials (default 300)")
    count = parser.parse_args().count
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    credentials = realistic_credentials(count)
    configurations = [proof_configuration(c, n) for n, c in enumerate(credentials)]
    for document in [*credentials, *configurations]:
        if microcred_canonicalize(document) != pyld_normalize(document):
            raise SystemExit(f"different bytes from pyld for {document.get('id')}")
    print(f"{count} distinct OpenBadgeCredentials; microcred writes pyld's bytes for each.")
    print("Timed on one core.\n")
    pairs = list(zip(credentials, configurations, strict=True))
    rows = [
        ("credential", credentials, lambda doc, f: f(doc)),
        ("credential + proof configuration", pairs, lambda pair, f: (f(pair[0]), f(pair[1]))),
    ]
    header = ("pyld ms", "ours ms", "pyld/s", "ours/s")
    print(
        f"{'canonicalizing':34} {header[0]:>9} {header[1]:>9} {header[2]:>8} {header[3]:>8} ratio"
    )
    for label, items, run in rows:
        slow = seconds_per_item(lambda item, run=run: run(item, pyld_normalize), items)
        fast = seconds_per_item(lambda item, run=run: run(item, microcred_canonicalize), items)
        print(
            f"{label:34} {slow * 1e3:9.3f} {fast * 1e3:9.3f} "
            f"{1 / slow:8.0f} {1 / fast:8.0f} {slow / fast:5.1f}x"
        )


if __name__ == "__main__":
    main()
