"""RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) over text quads.

The input is a list of quads whose terms are already canonical N-Quads text
(:mod:`microcred.vc._nquads`), so every step is string work on small tuples.
Credentials have a handful of blank nodes, nearly always told apart by
their first-degree hashes (section 4.6); the n-degree algorithm (section
4.8) only runs for blank nodes that look alike, under limits (the spec's
security consideration on dataset poisoning, section 6): how many such
nodes there may be, how deep the algorithm may recurse, how many steps it
may take (calls of Hash N-Degree Quads and permutations tried together) and
how much CPU time, so that a poisoned dataset is refused within about
100 ms. The hardest W3C test (044-046) takes 430 calls and 2,652
permutations, depth 4, 12 such nodes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from itertools import permutations
from typing import Protocol

from microcred.vc._nquads import Quad, serialize
from microcred.vc.errors import JsonLdError

HASH_ALGORITHMS = ("sha256", "sha384")

# Steps allowed (a call of Hash N-Degree Quads or a permutation tried): about
# three times what the hardest W3C test needs.
MAX_STEPS = 10_000
# Blank nodes the first-degree hashes could not tell apart, and the depth of the
# n-degree recursion (a ring of blank nodes recurses once per node).
MAX_ALIKE_NODES = 1024
MAX_DEPTH = 32
# CPU seconds of this thread (not wall time: a busy machine must not fail good data).
MAX_SECONDS = 0.1
# Steps between two looks at the clock.
CLOCK_EVERY = 16


class _Issuer:
    """An identifier issuer (sections 4.3 and 4.5): ``issued`` keeps the order of issue."""

    __slots__ = ("issued", "prefix")

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued = issued if issued is not None else {}

    def issue(self, node: str) -> str:
        label = self.issued.get(node)
        if label is None:
            label = self.issued[node] = f"_:{self.prefix}{len(self.issued)}"
        return label

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, dict(self.issued))


class _Hash(Protocol):
    """What the algorithm needs of a hashlib object."""

    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


class _State:
    """The canonicalization state (section 4.2) for one dataset."""

    def __init__(self, quads: Sequence[Quad], hash_algorithm: str) -> None:
        if hash_algorithm not in HASH_ALGORITHMS:
            raise ValueError(f"unsupported hash algorithm {hash_algorithm!r}")
        self.new_hash: Callable[..., _Hash] = getattr(hashlib, hash_algorithm)
        self.quads_of: dict[str, list[Quad]] = {}
        for quad in quads:
            subject, _, object_, graph = quad
            # A quad is listed once per blank node it mentions (the map relates a
            # blank node to the set of its quads), as rdf-canonize does.
            for node in {subject, object_, graph}:
                if node.startswith("_:"):
                    self.quads_of.setdefault(node, []).append(quad)
        self.first_degree_hashes: dict[str, str] = {}
        self.canonical = _Issuer("c14n")
        self.steps = 0
        self.depth = 0
        self.stop_at = 0.0

    def step(self) -> None:
        """Count one step of the n-degree algorithm; refuse the dataset past the limits."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _too_complex(f"more than {MAX_STEPS:,} steps")
        if self.steps % CLOCK_EVERY == 0 and time.thread_time() > self.stop_at:
            raise _too_complex(f"more than {MAX_SECONDS * 1000:g} ms")

    def first_degree_hash(self, node: str) -> str:
        """Hash First Degree Quads (section 4.6)."""
        cached = self.first_degree_hashes.get(node)
        if cached is not None:
            return cached
        lines = sorted(
            serialize(
                (
                    _stand_in(subject, node),
                    predicate,
                    _stand_in(object_, node),
                    _stand_in(graph, node),
                )
            )
            for subject, predicate, object_, graph in self.quads_of[node]
        )
        digest = self.new_hash("".join(lines).encode()).hexdigest()
        self.first_degree_hashes[node] = digest
        return digest

    def related_hash(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        """Hash Related Blank Node (section 4.7)."""
        identifier = (
            self.canonical.issued.get(related)
            or issuer.issued.get(related)
            or self.first_degree_hash(related)
        )
        text = position + (predicate if position != "g" else "") + identifier
        return self.new_hash(text.encode()).hexdigest()

    def n_degree_hash(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """Hash N-Degree Quads (section 4.8), counting against the limits."""
        self.step()
        if self.depth >= MAX_DEPTH:
            raise _too_complex(f"blank nodes chained more than {MAX_DEPTH} deep")
        self.depth += 1
        try:
            return self._n_degree_hash(node, issuer)
        finally:
            self.depth -= 1

    def _n_degree_hash(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        related_by_hash: dict[str, list[str]] = {}
        for subject, predicate, object_, graph in self.quads_of[node]:
            for position, term in (("s", subject), ("o", object_), ("g", graph)):
                if term != node and term.startswith("_:"):
                    digest = self.related_hash(term, predicate, issuer, position)
                    related_by_hash.setdefault(digest, []).append(term)
        data = self.new_hash()
        for digest in sorted(related_by_hash):
            data.update(digest.encode())
            chosen_path, chosen_issuer = self.shortest_path(related_by_hash[digest], issuer)
            data.update(chosen_path.encode())
            issuer = chosen_issuer
        return data.hexdigest(), issuer

    def shortest_path(self, related: list[str], issuer: _Issuer) -> tuple[str, _Issuer]:
        """Return the least path over the permutations of ``related`` (section 4.8.3, step 5.4)."""
        chosen_path = ""
        chosen_issuer = issuer
        for permutation in permutations(sorted(related)):
            self.step()
            path_issuer = issuer.copy()
            path = ""
            recursion: list[str] = []
            for node in permutation:
                canonical = self.canonical.issued.get(node)
                if canonical is not None:
                    path += canonical
                else:
                    if node not in path_issuer.issued:
                        recursion.append(node)
                    path += path_issuer.issue(node)
                if chosen_path and path > chosen_path:
                    break
            else:
                for node in recursion:
                    digest, path_issuer = self.n_degree_hash(node, path_issuer)
                    path += f"{path_issuer.issue(node)}<{digest}>"
                    if chosen_path and path > chosen_path:
                        break
                else:
                    if not chosen_path or path < chosen_path:
                        chosen_path, chosen_issuer = path, path_issuer
        return chosen_path, chosen_issuer

    def issue_canonical_labels(self) -> dict[str, str]:
        """Steps 3 to 6 of the canonicalization algorithm (section 4.4.3)."""
        by_hash: dict[str, list[str]] = {}
        for node in self.quads_of:
            by_hash.setdefault(self.first_degree_hash(node), []).append(node)
        alike: list[list[str]] = []
        for digest in sorted(by_hash):
            nodes = by_hash[digest]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                alike.append(nodes)
        alike_count = sum(map(len, alike))
        if alike_count > MAX_ALIKE_NODES:
            raise _too_complex(f"{alike_count:,} blank nodes that look alike")
        self.stop_at = time.thread_time() + MAX_SECONDS
        for nodes in alike:
            results = []
            for node in nodes:
                if node in self.canonical.issued:
                    continue
                issuer = _Issuer("b")
                issuer.issue(node)
                results.append(self.n_degree_hash(node, issuer))
            for _, issuer in sorted(results, key=lambda result: result[0]):
                for node in issuer.issued:
                    self.canonical.issue(node)
        return self.canonical.issued


def _too_complex(why: str) -> JsonLdError:
    return JsonLdError(
        f"The data has too many blank nodes that look alike to canonicalize ({why}); "
        "RDFC-1.0 refuses such 'poisoned' datasets. Give the nodes ids.",
        code="rdfc.too_complex",
        data={"limit": why},
    )


def _stand_in(term: str, node: str) -> str:
    if not term.startswith("_:"):
        return term
    return "_:a" if term == node else "_:z"


def canonical_labels(quads: Sequence[Quad], *, hash_algorithm: str = "sha256") -> dict[str, str]:
    """Return the canonical label (``_:c14n0``...) of every blank node of ``quads``."""
    return dict(_State(quads, hash_algorithm).issue_canonical_labels())


def canonical_nquads(quads: Sequence[Quad], *, hash_algorithm: str = "sha256") -> str:
    """Return the canonical N-Quads of ``quads`` (section 4.4.3, steps 7 and 8).

    Quads are kept as given: the JSON-LD path may hand over the same quad
    twice, as pyld and rdf-canonize do, and it is then written twice.
    """
    labels = canonical_labels(quads, hash_algorithm=hash_algorithm)
    if not labels:
        return "".join(sorted(map(serialize, quads)))
    return "".join(
        sorted(
            serialize(
                (
                    labels.get(subject, subject),
                    predicate,
                    labels.get(object_, object_),
                    labels.get(graph, graph),
                )
            )
            for subject, predicate, object_, graph in quads
        )
    )
