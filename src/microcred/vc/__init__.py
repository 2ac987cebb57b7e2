"""microcred's standards engine: sign and verify credentials as the specifications define.

Pure Python, no Django. The public surface is small::

    from microcred.vc import sign, verify
    signed = sign(credential, key=Ed25519Multikey.generate())
    [report] = verify(signed)
    report.verified, [check.as_dict() for check in report.checks]

The machinery lives in the modules; the rest of microcred uses these names.
"""

from microcred.vc.errors import (
    ClrValueError,
    DocumentLoaderError,
    FetchError,
    InputError,
    InvalidSignature,
    JsonLdError,
    KeyFormatError,
    OB3ValueError,
    ProofError,
    ResolutionError,
    StatusError,
    StructureError,
    VCError,
)
from microcred.vc.http import Fetcher, HttpFetcher, LocalFetcher
from microcred.vc.jsonld import ContextLoader
from microcred.vc.keys import (
    Ed25519Multikey,
    Ed25519PublicMultikey,
    P256Multikey,
    RsaKey,
    generate_key,
    read_key_file,
)
from microcred.vc.report import Check, CheckStatus, VerificationReport
from microcred.vc.signing import sign, sign_many
from microcred.vc.verify import verify, verify_batch

__all__ = [
    "Check",
    "CheckStatus",
    "ClrValueError",
    "ContextLoader",
    "DocumentLoaderError",
    "Ed25519Multikey",
    "Ed25519PublicMultikey",
    "FetchError",
    "Fetcher",
    "HttpFetcher",
    "InputError",
    "InvalidSignature",
    "JsonLdError",
    "KeyFormatError",
    "LocalFetcher",
    "OB3ValueError",
    "P256Multikey",
    "ProofError",
    "ResolutionError",
    "RsaKey",
    "StatusError",
    "StructureError",
    "VCError",
    "VerificationReport",
    "generate_key",
    "read_key_file",
    "sign",
    "sign_many",
    "verify",
    "verify_batch",
]
