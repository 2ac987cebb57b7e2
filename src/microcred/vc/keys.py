"""Key pairs and their encodings (Multikey, multibase, did:key).

An Ed25519 Multikey is ``z`` + base58btc(multicodec header + key bytes):
``0xed 0x01`` for the public key, ``0x80 0x26`` for the secret key
(Controlled Identifiers 1.0, section 2.2.2). The secret key is the 32-byte
seed; the 64-byte form (seed followed by public key) used by Digital Bazaar's
libraries and the 1EdTech implementation guide is accepted too.
"""

from __future__ import annotations

import base58
from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from microcred.vc.errors import InvalidSignature, KeyFormatError

ED25519_PUBLIC_HEADER = b"\xed\x01"
ED25519_SECRET_HEADER = b"\x80\x26"


def multibase_decode(value: str) -> bytes:
    """Decode a base58btc multibase string (``z...``)."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError(
            "A multibase value must be a string starting with 'z' (base58btc).",
            data={"value": str(value)[:80]},
        )
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(f"Not valid base58btc: {exc}", data={"value": value[:80]}) from exc


def multibase_encode(data: bytes) -> str:
    """Encode bytes as base58btc multibase (``z...``)."""
    return "z" + base58.b58encode(data).decode("ascii")


class Ed25519PublicMultikey:
    """An Ed25519 public key with its Multikey encoding."""

    algorithm = "Ed25519"

    def __init__(self, key: Ed25519PublicKey) -> None:
        self.key = key

    @classmethod
    def from_multibase(cls, value: str) -> Ed25519PublicMultikey:
        raw = multibase_decode(value)
        if len(raw) != 34 or raw[:2] != ED25519_PUBLIC_HEADER:
            raise KeyFormatError(
                "publicKeyMultibase is not an Ed25519 Multikey (expected header 0xed01 and 32 bytes).",
                field="publicKeyMultibase",
                data={"value": value[:80]},
            )
        return cls(Ed25519PublicKey.from_public_bytes(raw[2:]))

    @classmethod
    def from_raw(cls, raw: bytes) -> Ed25519PublicMultikey:
        if len(raw) != 32:
            raise KeyFormatError("An Ed25519 public key has 32 bytes.", data={"length": len(raw)})
        return cls(Ed25519PublicKey.from_public_bytes(raw))

    @property
    def raw(self) -> bytes:
        return self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def public_key_multibase(self) -> str:
        return multibase_encode(ED25519_PUBLIC_HEADER + self.raw)

    @property
    def did_key(self) -> str:
        return "did:key:" + self.public_key_multibase

    @property
    def did_key_verification_method(self) -> str:
        return f"{self.did_key}#{self.public_key_multibase}"

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` signs ``data``."""
        try:
            self.key.verify(signature, data)
        except _CryptoInvalidSignature as exc:
            raise InvalidSignature("The Ed25519 signature does not match.") from exc


class Ed25519Multikey:
    """An Ed25519 key pair that can sign."""

    algorithm = "Ed25519"

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key
        self.public = Ed25519PublicMultikey(key.public_key())

    @classmethod
    def generate(cls) -> Ed25519Multikey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> Ed25519Multikey:
        if len(seed) != 32:
            raise KeyFormatError("An Ed25519 seed has 32 bytes.", data={"length": len(seed)})
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_multibase(cls, value: str) -> Ed25519Multikey:
        """Read ``secretKeyMultibase`` (32-byte seed or 64-byte seed+public form)."""
        raw = multibase_decode(value)
        if raw[:2] != ED25519_SECRET_HEADER or len(raw) not in (34, 66):
            raise KeyFormatError(
                "secretKeyMultibase is not an Ed25519 secret Multikey "
                "(expected header 0x8026 and a 32- or 64-byte key).",
                field="secretKeyMultibase",
            )
        pair = cls.from_seed(raw[2:34])
        if len(raw) == 66 and raw[34:] != pair.public.raw:
            raise KeyFormatError(
                "secretKeyMultibase holds a public key that does not belong to its seed.",
                field="secretKeyMultibase",
            )
        return pair

    @property
    def seed(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    @property
    def secret_key_multibase(self) -> str:
        return multibase_encode(ED25519_SECRET_HEADER + self.seed)

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)
