"""Key pairs and their encodings: Multikey, multibase, did:key, JWK and key files.

A Multikey is ``z`` + base58btc(multicodec header + key bytes) (Controlled
Identifiers 1.0, section 2.2.2):

- Ed25519: ``0xed 0x01`` + 32-byte public key; ``0x80 0x26`` + the 32-byte
  seed. The 64-byte secret form (seed followed by public key) used by Digital
  Bazaar's libraries and the 1EdTech implementation guide is accepted too.
- P-256: ``0x80 0x24`` + the 33-byte compressed point; ``0x86 0x26`` + the
  32-byte secret scalar.

RSA keys exist for VC-JWT ``RS256``, the algorithm Open Badges 3.0 section
8.2.3 asks every implementation to support; they have a JWK form only.

Every public key has ``algorithm`` (the signature algorithm), ``jws_algorithm``
(its name in a JOSE header), ``jwk`` and ``verify(signature, data)``, which
raises :class:`InvalidSignature`; every private key has ``sign(data)`` and
``public``. JWK conversion is left to joserfc, which validates the members.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar, Protocol

import base58
from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from nacl.bindings import crypto_sign_BYTES, crypto_sign_open
from nacl.exceptions import BadSignatureError

from microcred.text import sentence
from microcred.vc.errors import InvalidSignature, KeyFormatError

ED25519_PUBLIC_HEADER = b"\xed\x01"
ED25519_SECRET_HEADER = b"\x80\x26"
P256_PUBLIC_HEADER = b"\x80\x24"
P256_SECRET_HEADER = b"\x86\x26"
P256_COORDINATE_BYTES = 32
RSA_MIN_BITS = 2048

# A JWK as joserfc writes it: string members, and ``key_ops`` a list (RFC 7517 section 4.3).
JWK = dict[str, str | list[str]]


class PublicKey(Protocol):
    """What verifiers need of a public key, whatever its type."""

    algorithm: str
    jws_algorithm: str

    @property
    def jwk(self) -> JWK: ...

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` signs ``data``."""


class PrivateKey(Protocol):
    """What signers need of a key pair, whatever its type."""

    algorithm: str

    @property
    def public(self) -> PublicKey: ...

    def sign(self, data: bytes) -> bytes: ...

    def private_jwk(self) -> JWK: ...


def multibase_decode(value: str, *, field: str | None = None) -> bytes:
    """Decode a base58btc multibase string (``z...``); ``field`` names it in errors."""
    name = field or "A multibase value"
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError(
            sentence(
                "%(name)s must be a string starting with 'z' (base58btc multibase).",
                name=name,
            ),
            field=field,
            data={"value": str(value)[:80]},
        )
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(
            sentence(
                "%(name)s is not valid base58btc: %(exc)s",
                name=name,
                exc=exc,
            ),
            field=field,
            data={"value": value[:80]},
        ) from exc


def multibase_encode(data: bytes) -> str:
    """Encode bytes as base58btc multibase (``z...``)."""
    return "z" + base58.b58encode(data).decode("ascii")


class _PublicMultikey(ABC):
    """What every public Multikey derives from its encoding: did:key and its method."""

    header: ClassVar[bytes]

    @property
    @abstractmethod
    def raw(self) -> bytes:
        """The key's bytes as its Multikey carries them, after the multicodec header."""

    @property
    def public_key_multibase(self) -> str:
        return multibase_encode(self.header + self.raw)

    @property
    def did_key(self) -> str:
        return "did:key:" + self.public_key_multibase

    @property
    def did_key_verification_method(self) -> str:
        return f"{self.did_key}#{self.public_key_multibase}"


class Ed25519PublicMultikey(_PublicMultikey):
    """An Ed25519 public key with its Multikey encoding.

    Signatures are checked by libsodium (PyNaCl), not OpenSSL: OpenSSL's check accepts the
    signature (R = identity, S = 0) of any message under a small-order key such as the
    identity point, a forgery anyone can make, where libsodium refuses small-order and
    non-canonical keys and points. It is also twice as fast (86 against 167 us here, a
    tenth of a credential's verification).
    """

    algorithm = "Ed25519"
    jws_algorithm = "EdDSA"
    header = ED25519_PUBLIC_HEADER

    def __init__(self, key: Ed25519PublicKey) -> None:
        self.key = key
        self._raw = key.public_bytes_raw()

    @classmethod
    def from_multibase(cls, value: str) -> Ed25519PublicMultikey:
        raw = multibase_decode(value)
        if len(raw) != 34 or raw[:2] != ED25519_PUBLIC_HEADER:
            raise KeyFormatError(
                sentence(
                    "publicKeyMultibase is not an Ed25519 Multikey "
                    "(expected header 0xed01 and 32 bytes)."
                ),
                field="publicKeyMultibase",
                data={"value": value[:80]},
            )
        return cls(Ed25519PublicKey.from_public_bytes(raw[2:]))

    @classmethod
    def from_raw(cls, raw: bytes) -> Ed25519PublicMultikey:
        if len(raw) != 32:
            raise KeyFormatError(
                sentence("An Ed25519 public key has 32 bytes."), data={"length": len(raw)}
            )
        return cls(Ed25519PublicKey.from_public_bytes(raw))

    @property
    def raw(self) -> bytes:
        return self._raw

    @property
    def jwk(self) -> JWK:
        return OKPKey.import_key(self.key).as_dict(private=False)

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` signs ``data``."""
        if len(signature) == crypto_sign_BYTES:
            try:
                crypto_sign_open(signature + data, self._raw)
                return
            except BadSignatureError:
                pass
        raise InvalidSignature(sentence("The Ed25519 signature does not match."))


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
            raise KeyFormatError(
                sentence("An Ed25519 seed has 32 bytes."), data={"length": len(seed)}
            )
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_multibase(cls, value: str) -> Ed25519Multikey:
        """Read ``secretKeyMultibase`` (32-byte seed or 64-byte seed+public form)."""
        raw = multibase_decode(value)
        if raw[:2] != ED25519_SECRET_HEADER or len(raw) not in (34, 66):
            raise KeyFormatError(
                sentence(
                    "secretKeyMultibase is not an Ed25519 secret Multikey "
                    "(expected header 0x8026 and a 32- or 64-byte key)."
                ),
                field="secretKeyMultibase",
            )
        pair = cls.from_seed(raw[2:34])
        if len(raw) == 66 and raw[34:] != pair.public.raw:
            raise KeyFormatError(
                sentence("secretKeyMultibase holds a public key that does not belong to its seed."),
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

    def private_jwk(self) -> JWK:
        return OKPKey.import_key(self.key).as_dict(private=True)


class P256PublicMultikey(_PublicMultikey):
    """A NIST P-256 public key: ES256 signatures, Multikey ``zDn...``, did:key."""

    algorithm = "ES256"
    jws_algorithm = "ES256"
    header = P256_PUBLIC_HEADER

    def __init__(self, key: ec.EllipticCurvePublicKey) -> None:
        if not isinstance(key.curve, ec.SECP256R1):
            raise KeyFormatError(
                sentence(
                    "Expected a P-256 key, found the curve %(name)s.",
                    name=key.curve.name,
                )
            )
        self.key = key

    @classmethod
    def from_multibase(cls, value: str) -> P256PublicMultikey:
        raw = multibase_decode(value)
        if len(raw) != 35 or raw[:2] != P256_PUBLIC_HEADER:
            raise KeyFormatError(
                sentence(
                    "publicKeyMultibase is not a P-256 Multikey "
                    "(expected header 0x8024 and a 33-byte compressed point)."
                ),
                field="publicKeyMultibase",
                data={"value": value[:80]},
            )
        try:
            return cls(ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:]))
        except ValueError as exc:
            raise KeyFormatError(
                sentence(
                    "publicKeyMultibase is not a point on P-256: %(exc)s",
                    exc=exc,
                ),
                field="publicKeyMultibase",
            ) from exc

    @property
    def raw(self) -> bytes:
        return self.key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )

    @property
    def jwk(self) -> JWK:
        return ECKey.import_key(self.key).as_dict(private=False)

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` (r || s) signs ``data``."""
        if len(signature) != 2 * P256_COORDINATE_BYTES:
            raise InvalidSignature(
                sentence(
                    "An ES256 signature has 64 bytes (r || s), not %(count)s.",
                    count=len(signature),
                )
            )
        r = int.from_bytes(signature[:P256_COORDINATE_BYTES], "big")
        s = int.from_bytes(signature[P256_COORDINATE_BYTES:], "big")
        try:
            self.key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        except _CryptoInvalidSignature as exc:
            raise InvalidSignature(sentence("The ES256 signature does not match.")) from exc


class P256Multikey:
    """A P-256 key pair that signs ES256 (r || s, the JWS and Data Integrity form)."""

    algorithm = "ES256"

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self.key = key
        self.public = P256PublicMultikey(key.public_key())

    @classmethod
    def generate(cls) -> P256Multikey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_multibase(cls, value: str) -> P256Multikey:
        raw = multibase_decode(value)
        if raw[:2] != P256_SECRET_HEADER or len(raw) != 34:
            raise KeyFormatError(
                sentence(
                    "secretKeyMultibase is not a P-256 secret Multikey "
                    "(expected header 0x8626 and 32 bytes)."
                ),
                field="secretKeyMultibase",
            )
        try:
            key = ec.derive_private_key(int.from_bytes(raw[2:], "big"), ec.SECP256R1())
        except ValueError as exc:
            raise KeyFormatError(
                sentence(
                    "secretKeyMultibase is not a P-256 secret: %(exc)s",
                    exc=exc,
                ),
                field="secretKeyMultibase",
            ) from exc
        return cls(key)

    @property
    def secret_key_multibase(self) -> str:
        secret = self.key.private_numbers().private_value.to_bytes(P256_COORDINATE_BYTES, "big")
        return multibase_encode(P256_SECRET_HEADER + secret)

    def sign(self, data: bytes) -> bytes:
        r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(P256_COORDINATE_BYTES, "big") + s.to_bytes(P256_COORDINATE_BYTES, "big")

    def private_jwk(self) -> JWK:
        return ECKey.import_key(self.key).as_dict(private=True)


class RsaPublicKey:
    """An RSA public key that verifies RS256 (RSASSA-PKCS1-v1_5 with SHA-256)."""

    algorithm = "RS256"
    jws_algorithm = "RS256"

    def __init__(self, key: rsa.RSAPublicKey) -> None:
        # RFC 7518 section 3.3: keys of 2048 bits or larger MUST be used with RS256.
        if key.key_size < RSA_MIN_BITS:
            raise KeyFormatError(
                sentence(
                    "An RSA key for RS256 has at least %(rsa_min_bits)s bits; this one has "
                    "%(key_size)s.",
                    rsa_min_bits=RSA_MIN_BITS,
                    key_size=key.key_size,
                ),
                data={"bits": key.key_size},
            )
        self.key = key

    @property
    def jwk(self) -> JWK:
        return RSAKey.import_key(self.key).as_dict(private=False)

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` signs ``data``."""
        try:
            self.key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        except _CryptoInvalidSignature as exc:
            raise InvalidSignature(sentence("The RS256 signature does not match.")) from exc


class RsaKey:
    """An RSA key pair that signs RS256."""

    algorithm = "RS256"

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self.key = key
        self.public = RsaPublicKey(key.public_key())

    @classmethod
    def generate(cls, bits: int = RSA_MIN_BITS) -> RsaKey:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=bits))

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def private_jwk(self) -> JWK:
        return RSAKey.import_key(self.key).as_dict(private=True)


@lru_cache(maxsize=1024)
def public_key_from_multibase(value: str, *, field: str = "publicKeyMultibase") -> PublicKey:
    """Return the Ed25519 or P-256 public key a Multikey encodes, by its multicodec header.

    The keys read last are kept: a verifier meets the same issuers' keys again and again (a
    did:key is read four times to verify one credential), and base58 is decoded in Python.
    """
    header = multibase_decode(value, field=field)[:2]
    if header == ED25519_PUBLIC_HEADER:
        return Ed25519PublicMultikey.from_multibase(value)
    if header == P256_PUBLIC_HEADER:
        return P256PublicMultikey.from_multibase(value)
    raise KeyFormatError(
        sentence(
            "%(field)s is not an Ed25519 (z6Mk...) or P-256 (zDn...) public Multikey.",
            field=field,
        ),
        field=field,
        data={"value": value[:80]},
    )


def private_key_from_multibase(value: str, *, field: str = "secretKeyMultibase") -> PrivateKey:
    """Return the Ed25519 or P-256 key pair a secret Multikey encodes."""
    header = multibase_decode(value, field=field)[:2]
    if header == ED25519_SECRET_HEADER:
        return Ed25519Multikey.from_multibase(value)
    if header == P256_SECRET_HEADER:
        return P256Multikey.from_multibase(value)
    raise KeyFormatError(
        sentence(
            "%(field)s is not an Ed25519 (header 0x8026) or P-256 (header 0x8626) secret Multikey.",
            field=field,
        ),
        field=field,
    )


def public_key_from_jwk(jwk: Any, *, field: str = "publicKeyJwk") -> PublicKey:
    """Return the public key a JWK describes: OKP Ed25519, EC P-256 or RSA (RFC 7517, 7518, 8037).

    A JWK holding private members is refused: a public key must never carry them
    (Open Badges 3.0 section 8.2.3: the ``jwk`` header MUST NOT contain ``d``).
    """
    if isinstance(jwk, dict) and "d" in jwk:
        raise KeyFormatError(
            sentence(
                "%(field)s holds a private key ('d'); only the public key may be published.",
                field=field,
            ),
            field=field,
        )
    key = _import_jwk(jwk, field=field)
    return _wrap_public(key.public_key, field=field)


# The JWK members that are the key itself (RFC 7518 section 6); kid, use, alg are labels.
JWK_KEY_MEMBERS = ("kty", "crv", "x", "y", "n", "e")


def same_public_key(first: PublicKey, second: PublicKey) -> bool:
    """Return whether two public keys are the same key, however each was written."""
    return _key_material(first.jwk) == _key_material(second.jwk)


def _key_material(jwk: JWK) -> JWK:
    return {name: jwk[name] for name in JWK_KEY_MEMBERS if name in jwk}


def private_key_from_jwk(jwk: Any, *, field: str = "secretKeyJwk") -> PrivateKey:
    """Return the key pair a private JWK describes (it has ``d``)."""
    if not isinstance(jwk, dict) or "d" not in jwk:
        raise KeyFormatError(
            sentence(
                "%(field)s has no private key member 'd'.",
                field=field,
            ),
            field=field,
        )
    private = _import_jwk(jwk, field=field).private_key
    if isinstance(private, Ed25519PrivateKey):
        return Ed25519Multikey(private)
    if isinstance(private, ec.EllipticCurvePrivateKey):
        return P256Multikey(private)
    if isinstance(private, rsa.RSAPrivateKey):
        return RsaKey(private)
    raise KeyFormatError(
        sentence(
            "%(field)s is not a key microcred can use.",
            field=field,
        ),
        field=field,
    )


JWK_TYPES: dict[tuple[str | None, str | None], type[OKPKey] | type[ECKey] | type[RSAKey]] = {
    ("OKP", "Ed25519"): OKPKey,
    ("EC", "P-256"): ECKey,
    ("RSA", None): RSAKey,
}
# The JWK members that must be strings when a JWK is read (public and private).
JWK_STRING_MEMBERS = ("kty", "crv", "x", "y", "n", "e", "d", "p", "q", "dp", "dq", "qi")


def _import_jwk(jwk: Any, *, field: str) -> OKPKey | ECKey | RSAKey:
    if not isinstance(jwk, dict):
        raise KeyFormatError(
            sentence(
                "%(field)s must be a JSON object (a JWK).",
                field=field,
            ),
            field=field,
        )
    for name in JWK_STRING_MEMBERS:
        if name in jwk and not isinstance(jwk[name], str):
            raise KeyFormatError(
                sentence(
                    "%(field)s.%(name)s must be a string.",
                    field=field,
                    name=name,
                ),
                field=f"{field}.{name}",
            )
    kty, crv = jwk.get("kty"), jwk.get("crv")
    key_class = JWK_TYPES.get((kty, crv if kty != "RSA" else None))
    if key_class is None:
        raise KeyFormatError(
            sentence(
                "%(field)s is a %(kty)s key; microcred reads OKP Ed25519, EC P-256 and RSA keys.",
                field=field,
                kty=f"{kty} {crv}" if crv else kty,
            ),
            field=field,
            data={"kty": kty, "crv": crv},
        )
    try:
        return key_class.import_key(jwk)
    except (JoseError, ValueError) as exc:
        raise KeyFormatError(
            sentence(
                "%(field)s is not a valid %(kty)s JWK: %(exc)s",
                field=field,
                kty=kty,
                exc=exc,
            ),
            field=field,
        ) from exc


def _wrap_public(key: Any, *, field: str) -> PublicKey:
    if isinstance(key, Ed25519PublicKey):
        return Ed25519PublicMultikey(key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return P256PublicMultikey(key)
    if isinstance(key, rsa.RSAPublicKey):
        return RsaPublicKey(key)
    raise KeyFormatError(
        sentence(
            "%(field)s is not a key microcred can use.",
            field=field,
        ),
        field=field,
    )


KEY_TYPES: dict[str, Callable[[], PrivateKey]] = {
    "ed25519": Ed25519Multikey.generate,
    "p256": P256Multikey.generate,
    "rsa": RsaKey.generate,
}
SECRET_MULTIBASE_FIELDS = ("secretKeyMultibase", "privateKeyMultibase")
SECRET_JWK_FIELDS = ("secretKeyJwk", "privateKeyJwk")


def generate_key(key_type: str = "ed25519") -> PrivateKey:
    """Return a new key pair of ``key_type``: ``ed25519``, ``p256`` or ``rsa``."""
    generate = KEY_TYPES.get(key_type)
    if generate is None:
        raise KeyFormatError(
            sentence(
                "Unknown key type %(key_type)s; choose one of %(key_types)s.",
                key_type=repr(key_type),
                key_types=", ".join(KEY_TYPES),
            ),
            data={"type": key_type},
        )
    return generate()


def generate_key_file(key_type: str = "ed25519") -> str:
    """Return the key file (JSON, secret included) of a new key pair of ``key_type``."""
    return dump_key_file(generate_key(key_type))


def dump_key_file(key: PrivateKey) -> str:
    """Return ``key`` as the JSON of a key file. It holds the secret: keep it private.

    Ed25519 and P-256 keys are written as the Multikey verification method of
    their did:key plus ``secretKeyMultibase`` (Controlled Identifiers 1.0,
    section 2.2.2); RSA keys as a JsonWebKey with ``publicKeyJwk`` and
    ``secretKeyJwk`` (section 2.2.3).
    """
    if isinstance(key, Ed25519Multikey | P256Multikey):
        public = key.public
        document: dict[str, Any] = {
            "type": "Multikey",
            "id": public.did_key_verification_method,
            "controller": public.did_key,
            "publicKeyMultibase": public.public_key_multibase,
            "secretKeyMultibase": key.secret_key_multibase,
        }
    else:
        document = {
            "type": "JsonWebKey",
            "publicKeyJwk": key.public.jwk,
            "secretKeyJwk": key.private_jwk(),
        }
    return json.dumps(document, indent=2)


def read_key_file(data: bytes | str) -> PrivateKey:
    """Return the key pair in a key file.

    Read what :func:`dump_key_file` writes, ``privateKeyMultibase`` for
    ``secretKeyMultibase`` (the W3C vc-di-eddsa test vectors), the 64-byte
    Ed25519 secret form, ``privateKeyJwk`` for ``secretKeyJwk``, and a bare
    private JWK. Raise :class:`KeyFormatError` naming the field at fault.
    """
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise KeyFormatError(
            sentence(
                "The key file is not JSON: %(exc)s.",
                exc=exc,
            )
        ) from exc
    if not isinstance(document, dict):
        raise KeyFormatError(sentence("The key file must hold a JSON object with the key pair."))
    if "kty" in document:
        if "d" not in document:
            raise KeyFormatError(
                sentence(
                    "The key file is a public JWK; signing needs the private key (member 'd')."
                ),
                field="d",
            )
        return private_key_from_jwk(document, field="JWK")
    for field in SECRET_MULTIBASE_FIELDS:
        if field in document:
            key = private_key_from_multibase(document[field], field=field)
            if "publicKeyMultibase" in document:
                _check_public("publicKeyMultibase", document["publicKeyMultibase"], key.public)
            return key
    for field in SECRET_JWK_FIELDS:
        if field in document:
            key = private_key_from_jwk(document[field], field=field)
            if "publicKeyJwk" in document:
                given = public_key_from_jwk(document["publicKeyJwk"])
                _check_public("publicKeyJwk", given.jwk, key.public)
            return key
    if "publicKeyMultibase" in document or "publicKeyJwk" in document:
        missing = "secretKeyMultibase" if "publicKeyMultibase" in document else "secretKeyJwk"
        raise KeyFormatError(
            sentence(
                "The key file holds only a public key; signing needs the secret (%(missing)s).",
                missing=missing,
            ),
            field=missing,
        )
    raise KeyFormatError(
        sentence(
            "The key file has no secret key: expected secretKeyMultibase (Ed25519, P-256) or "
            "secretKeyJwk (RSA)."
        ),
        field="secretKeyMultibase",
    )


def _check_public(field: str, given: Any, public: Any) -> None:
    derived = public.jwk if field == "publicKeyJwk" else public.public_key_multibase
    if given != derived:
        raise KeyFormatError(
            sentence(
                "%(field)s does not belong to the secret key in the same file.",
                field=field,
            ),
            field=field,
        )
