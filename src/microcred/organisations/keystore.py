"""Encryption of signing keys at rest.

Secrets are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under the
keys in ``settings.KEY_ENCRYPTION_KEYS``; the first key encrypts and all of
them decrypt, so the encryption key can be rotated. Without that setting, a
key is generated once and kept in the data folder (fine for one machine, not
for a shared deployment).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from microcred.datafiles import generated_secret
from microcred.errors import MicrocredError


class KeyStoreError(MicrocredError):
    code = "keys.encryption"


@cache
def _fernet(configured: str, data_dir: str) -> MultiFernet:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    if not keys:
        path = Path(data_dir) / "key_encryption_key"
        keys = [generated_secret(path, lambda: Fernet.generate_key().decode("ascii"))]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise KeyStoreError(
            "MICROCRED_KEY_ENCRYPTION_KEYS must be Fernet keys (32 bytes, url-safe base64).",
            field="MICROCRED_KEY_ENCRYPTION_KEYS",
        ) from exc


def _current() -> MultiFernet:
    return _fernet(settings.KEY_ENCRYPTION_KEYS, str(settings.DATA_DIR))


def encrypt_secret(secret: bytes) -> bytes:
    return _current().encrypt(secret)


def decrypt_secret(token: bytes) -> bytes:
    try:
        return _current().decrypt(bytes(token))
    except InvalidToken as exc:
        raise KeyStoreError(
            "A signing key cannot be decrypted: the key encryption keys changed."
        ) from exc
