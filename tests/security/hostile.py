"""Hostile inputs for the verifier, for the security tests and ``benchmarks/hostile_inputs.py``.

Each is what an anonymous visitor can paste into /verify or hand to
``microcred verify``: JSON nested absurdly deep, and credentials whose blank
nodes look alike (RDFC-1.0's "poisoned" datasets), which make canonicalization
explode unless it is bounded. They carry a proof (with a made-up value) so
that verification reaches canonicalization.
"""

from __future__ import annotations

import json
from typing import Any

from microcred.vc import Ed25519Multikey

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    {"link": {"@id": "https://example.org/vocab#link", "@type": "@id"}},
]
KEY = Ed25519Multikey.from_seed(bytes(32))


def anonymous_credential(**members: Any) -> dict[str, Any]:
    """Return a credential with no ids (so its nodes are blank nodes) and a proof to check."""
    return {
        "@context": CONTEXT,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": KEY.public.did_key, "type": ["Profile"], "name": "Anyone"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "type": ["Achievement"],
                "name": "Poison",
                "criteria": {"narrative": "None."},
            },
        },
        **members,
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2026-01-01T00:00:00Z",
            "verificationMethod": KEY.public.did_key_verification_method,
            "proofPurpose": "assertionMethod",
            "proofValue": "z" + "1" * 64,  # 64 zero bytes: a well-formed, wrong signature
        },
    }


def deep_json(levels: int = 100_000) -> str:
    """Return JSON arrays nested ``levels`` deep."""
    return "[" * levels + "]" * levels


def nested_ring(size: int = 2_000) -> str:
    """Return a ring of ``size`` blank nodes written as nested JSON (each node inside the last)."""
    head = json.dumps(anonymous_credential(link="RING"))
    ring = "".join(f'{{"id": "_:n{n}", "link": ' for n in range(size))
    ring += '{"id": "_:n0"}' + "}" * size
    return head.replace('"RING"', ring)


def flat_ring(size: int = 2_000) -> dict[str, Any]:
    """Return a ring of ``size`` blank nodes, each linking to the next, listed side by side."""
    return anonymous_credential(
        link=[{"id": f"_:n{n}", "link": f"_:n{(n + 1) % size}"} for n in range(size)]
    )


def clique(size: int = 10) -> dict[str, Any]:
    """Return ``size`` blank nodes all linked to each other (the W3C suite's test074, bigger)."""
    names = [f"_:n{n}" for n in range(size)]
    return anonymous_credential(
        link=[{"id": name, "link": [other for other in names if other != name]} for name in names]
    )


def alike_alignments(count: int = 400) -> dict[str, Any]:
    """Return an anonymous achievement with ``count`` identical alignments."""
    credential = anonymous_credential()
    credential["credentialSubject"]["achievement"]["alignment"] = [
        {
            "type": ["Alignment"],
            "targetName": "Same",
            "targetUrl": "https://example.org/same",
            "targetType": "ceterms:Skill",
        }
        for _ in range(count)
    ]
    return credential


def alike_links(count: int = 1_000) -> dict[str, Any]:
    """Return ``count`` blank nodes linked to one shared blank node."""
    return anonymous_credential(link=[{"link": "_:hub"} for _ in range(count)])


# The worst ones, by name, for the benchmark. The last two are within the limits: alike
# blank nodes that are cheap to tell apart are canonicalized, not refused.
HOSTILE = {
    "JSON nested 100,000 deep": lambda: deep_json(),
    "ring of 2,000 blank nodes, nested": lambda: nested_ring(),
    "ring of 2,000 blank nodes, flat": lambda: json.dumps(flat_ring()),
    "ring of 120 blank nodes, flat": lambda: json.dumps(flat_ring(120)),
    "clique of 10 blank nodes": lambda: json.dumps(clique(10)),
    "clique of 30 blank nodes": lambda: json.dumps(clique(30)),
    "1,100 alike alignments": lambda: json.dumps(alike_alignments(1_100)),
    "400 alike alignments": lambda: json.dumps(alike_alignments(400)),
    "1,000 nodes on one blank hub": lambda: json.dumps(alike_links(1_000)),
}
