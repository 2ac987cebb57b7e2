"""What every Ed25519 Data Integrity suite shares: hashing, proofValue, the proof configuration.

The suites of Data Integrity EdDSA Cryptosuites v1.0 differ only in how they
canonicalize (RDFC-1.0 or JCS) and in what goes into the proof configuration;
the rest of the algorithm is this class. Suites are stateless: one instance
serves every thread.
"""

from __future__ import annotations

import hashlib
import json
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterator, MutableMapping
from datetime import datetime
from typing import Any, ClassVar, Protocol

import orjson

from microcred.text import sentence
from microcred.vc.dates import parse_datetime
from microcred.vc.errors import InvalidSignature, KeyFormatError, ProofError, VCError
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader
from microcred.vc.keys import multibase_decode, multibase_encode
from microcred.vc.rdfc import SharedNodes

ED25519_SIGNATURE_LENGTH = 64

ProofHashes = MutableMapping[str, bytes]
"""A memo of canonical proof configuration hashes, kept by the caller.

Keys are the SHA-256 of the suite's name and the proof configuration as
sorted JSON (:func:`memo_key`). Use one memo with one document loader only;
a long-lived verification session should pass a bounded mapping (proof
configurations differ by ``created``).
"""

DocumentHashes = MutableMapping[str, bytes]
"""A memo of canonical document hashes, kept by the caller for one batch.

Keys are the SHA-256 of the suite's name and the document as sorted JSON
(:func:`memo_key`), so a document is canonicalized once however often it is
hashed: signing a batch and then verifying what was signed canonicalizes each
credential once. The
canonical form is a function of the JSON value (and the loader), so a
verification that finds its document here checks exactly what it would have
computed. Use one memo with one document loader only, for one batch.
"""


# orjson writes what it would otherwise turn into something else as an error: a dataclass, a
# date or time, a subclass of str, int, dict or list.
_EXACT_JSON = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def memo_key(suite: str, value: Any) -> str:
    """Return the key of ``value``'s canonical hash under ``suite`` in a memo.

    It is the SHA-256 of the suite's name and the value as JSON with sorted members: two
    values share a key only when they are the same JSON, which canonicalizes alike (member
    order does not change the N-Quads). orjson writes the JSON in a tenth of json.dumps's
    time (a 10 kB credential took 0.12 ms, twice for each credential of a bulk job). It
    writes NaN and the infinities as null, so JSON holding a null, and what orjson does not
    write (an integer beyond 64 bits, a key that is not a string), is written by json.dumps
    instead, which spells them out, after a byte orjson never starts with.
    """
    text: bytes | None
    try:
        text = orjson.dumps(value, option=_EXACT_JSON)
    except TypeError:  # orjson.JSONEncodeError
        text = None
    if text is None or b"null" in text:
        text = b"\x00" + json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(suite.encode() + b"\n" + text).hexdigest()


class BoundedProofHashes(MutableMapping[str, bytes]):
    """A :data:`ProofHashes` memo that keeps only the ``size`` most recently used entries.

    A verification session over a stream of credentials signed in batches
    meets each batch's proof configuration many times, then never again;
    bounding the memo keeps a long stream (or a long-lived server) from
    holding every configuration it ever saw. Thread-safe, so a server's
    threads can share one.
    """

    def __init__(self, size: int = 1024) -> None:
        if size < 1:
            raise ValueError("A proof hash memo holds at least one entry.")
        self.size = size
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> bytes:
        with self._lock:
            value = self._entries[key]
            self._entries.move_to_end(key)
            return value

    def __setitem__(self, key: str, value: bytes) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __delitem__(self, key: str) -> None:
        with self._lock:
            del self._entries[key]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)


class SigningKey(Protocol):
    def sign(self, data: bytes) -> bytes: ...


class PublicKey(Protocol):
    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` signs ``data``."""


class Cryptosuite(ABC):
    """A Data Integrity cryptographic suite signing with Ed25519.

    ``name`` is the spec's name: the ``cryptosuite`` of a ``DataIntegrityProof``,
    or the proof ``type`` of a legacy suite. ``legacy`` marks names kept only
    to verify old credentials: such proofs verify with a warning.
    """

    name: ClassVar[str]
    proof_type: ClassVar[str] = "DataIntegrityProof"
    can_create: ClassVar[bool] = True
    legacy: ClassVar[str | None] = None

    def create_proof(
        self,
        document: dict[str, Any],
        *,
        key: SigningKey,
        proof_options: dict[str, Any],
        loader: ContextLoader = DEFAULT_LOADER,
        path: str = "proof",
        proof_hashes: ProofHashes | None = None,
        document_hashes: DocumentHashes | None = None,
        shared_nodes: SharedNodes | None = None,
    ) -> dict[str, Any]:
        """Return the proof securing ``document``: ``proof_options`` plus ``proofValue``.

        vc-di-eddsa sections 3.2.1 and 3.3.1 (Create Proof). ``path`` names
        the proof in error messages; ``proof_hashes`` lets a batch canonicalize
        its shared proof configuration once, ``document_hashes`` lets its
        verification reuse the documents' canonical hashes, and ``shared_nodes``
        lets it canonicalize the node objects its documents share once.
        """
        if not self.can_create:
            raise ProofError(
                sentence(
                    "%(name)s is only accepted to verify old proofs; sign with %(legacy)s.",
                    name=self.name,
                    legacy=self.legacy,
                ),
                code="proof.unknown_suite",
                field=f"{path}.cryptosuite",
            )
        proof = self.proof_from_options(document, proof_options)
        config = self.proof_configuration(document, proof, path=path)
        hash_data = self.hash_data(
            document,
            config,
            loader=loader,
            proof_hashes=proof_hashes,
            document_hashes=document_hashes,
            shared_nodes=shared_nodes,
        )
        return {**proof, "proofValue": multibase_encode(key.sign(hash_data))}

    def verify_proof(
        self,
        document: dict[str, Any],
        proof: dict[str, Any],
        *,
        public_key: PublicKey,
        loader: ContextLoader = DEFAULT_LOADER,
        path: str = "proof",
        proof_hashes: ProofHashes | None = None,
        document_hashes: DocumentHashes | None = None,
    ) -> None:
        """Raise unless ``proof`` is a valid proof of ``document`` (which carries no proof).

        vc-di-eddsa sections 3.2.2 and 3.3.2 (Verify Proof). Raise
        :class:`InvalidSignature` when the signature does not match and
        :class:`ProofError` when the proof is malformed.
        """
        options = {name: value for name, value in proof.items() if name != "proofValue"}
        signature = decode_proof_value(proof.get("proofValue"), field=f"{path}.proofValue")
        document = self.document_to_verify(document, options, path=path)
        config = self.proof_configuration(document, options, path=path)
        hash_data = self.hash_data(
            document,
            config,
            loader=loader,
            proof_hashes=proof_hashes,
            document_hashes=document_hashes,
        )
        try:
            public_key.verify(signature, hash_data)
        except InvalidSignature as error:
            raise InvalidSignature(
                sentence(
                    "The signature does not match: the document or the proof changed after "
                    "signing, or the key is not the one that signed."
                ),
                field=f"{path}.proofValue",
            ) from error

    def hash_data(
        self,
        document: dict[str, Any],
        proof_config: dict[str, Any],
        *,
        loader: ContextLoader,
        proof_hashes: ProofHashes | None = None,
        document_hashes: DocumentHashes | None = None,
        shared_nodes: SharedNodes | None = None,
    ) -> bytes:
        """Return SHA-256(canonical proof configuration) || SHA-256(canonical document).

        vc-di-eddsa sections 3.2.4 and 3.3.4 (Hashing): the proof hash comes first.
        """
        proof_hash = self._proof_hash(proof_config, loader=loader, proof_hashes=proof_hashes)
        return proof_hash + self._document_hash(
            document, loader=loader, document_hashes=document_hashes, shared_nodes=shared_nodes
        )

    def _document_hash(
        self,
        document: dict[str, Any],
        *,
        loader: ContextLoader,
        document_hashes: DocumentHashes | None,
        shared_nodes: SharedNodes | None,
    ) -> bytes:
        if document_hashes is None:
            return hashlib.sha256(
                self.canonicalize(document, loader=loader, shared_nodes=shared_nodes)
            ).digest()
        key = memo_key(self.name, document)
        document_hash = document_hashes.get(key)
        if document_hash is None:
            document_hash = hashlib.sha256(
                self.canonicalize(document, loader=loader, shared_nodes=shared_nodes)
            ).digest()
            document_hashes[key] = document_hash
        return document_hash

    def _proof_hash(
        self,
        proof_config: dict[str, Any],
        *,
        loader: ContextLoader,
        proof_hashes: ProofHashes | None,
    ) -> bytes:
        if proof_hashes is None:
            return hashlib.sha256(self.canonicalize(proof_config, loader=loader)).digest()
        key = memo_key(self.name, proof_config)
        proof_hash = proof_hashes.get(key)
        if proof_hash is None:
            proof_hash = hashlib.sha256(self.canonicalize(proof_config, loader=loader)).digest()
            proof_hashes[key] = proof_hash
        return proof_hash

    def proof_configuration(
        self, document: dict[str, Any], options: dict[str, Any], *, path: str
    ) -> dict[str, Any]:
        """Return the proof configuration to canonicalize (vc-di-eddsa 3.2.5, 3.3.5).

        Raise :class:`ProofError` when the options name another suite or
        ``created`` is not an XML Schema dateTime.
        """
        self.check_type(options, path=path)
        created = options.get("created")
        if created is not None:
            parse_proof_datetime(created, field=f"{path}.created")
        return dict(options)

    def check_type(self, options: dict[str, Any], *, path: str) -> None:
        """Raise :class:`ProofError` unless the options name this suite (3.2.5 step 2)."""
        if options.get("type") != self.proof_type:
            raise ProofError(
                sentence(
                    "A %(name)s proof has type %(proof_type)s, not %(type)s.",
                    name=self.name,
                    proof_type=self.proof_type,
                    type=repr(options.get("type")),
                ),
                code="proof.malformed",
                field=f"{path}.type",
            )
        if self.proof_type == "DataIntegrityProof" and options.get("cryptosuite") != self.name:
            raise ProofError(
                sentence(
                    "The proof names the cryptosuite %(cryptosuite)s, not %(name)s.",
                    cryptosuite=repr(options.get("cryptosuite")),
                    name=self.name,
                ),
                code="proof.malformed",
                field=f"{path}.cryptosuite",
            )

    def proof_from_options(
        self, document: dict[str, Any], options: dict[str, Any]
    ) -> dict[str, Any]:
        """Return the proof before signing: a copy of the options."""
        return dict(options)

    def document_to_verify(
        self, document: dict[str, Any], options: dict[str, Any], *, path: str
    ) -> dict[str, Any]:
        """Return the unsecured document the proof's hash covers."""
        return document

    @abstractmethod
    def canonicalize(
        self,
        value: dict[str, Any],
        *,
        loader: ContextLoader,
        shared_nodes: SharedNodes | None = None,
    ) -> bytes:
        """Return the canonical bytes of a document or proof configuration (Transformation);
        ``shared_nodes`` serves a suite that canonicalizes JSON-LD (see :class:`SharedNodes`).
        """


def decode_proof_value(value: Any, *, field: str) -> bytes:
    """Return the 64-byte Ed25519 signature held by a base58btc multibase ``proofValue``."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError(
            sentence("proofValue must be a base58btc multibase string (starting with 'z')."),
            code="proof.malformed",
            field=field,
        )
    try:
        signature = multibase_decode(value)
    except KeyFormatError as error:
        raise ProofError(
            sentence(
                "proofValue is not valid base58btc: %(message)s",
                message=error.message,
            ),
            code="proof.malformed",
            field=field,
        ) from error
    if len(signature) != ED25519_SIGNATURE_LENGTH:
        raise ProofError(
            sentence(
                "proofValue holds %(count)s bytes; an Ed25519 signature has 64.",
                count=len(signature),
            ),
            code="proof.malformed",
            field=field,
        )
    return signature


def parse_proof_datetime(value: Any, *, field: str) -> datetime:
    """Return the aware datetime of a proof's ``created`` or ``expires``; raise ProofError."""
    try:
        return parse_datetime(value)
    except VCError as error:
        raise ProofError(
            sentence(
                "%(field)s must be an XML Schema dateTime: %(message)s",
                field=field,
                message=error.message,
            ),
            code="proof.malformed",
            field=field,
        ) from error
