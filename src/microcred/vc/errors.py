"""Errors of the standards engine.

Primitives raise these; :func:`microcred.vc.verify` catches them (and only
them) to turn each into a failed check of its report.
"""

from __future__ import annotations

from microcred.errors import MicrocredError


class VCError(MicrocredError):
    code = "vc.error"


class InputError(VCError):
    """The input is not something we can read (not JSON, not a JWS, no baked credential...)."""

    code = "input.unreadable"


class DocumentLoaderError(VCError):
    """A JSON-LD context or document is not bundled and was not supplied by the caller."""

    code = "jsonld.document_unavailable"


class JsonLdError(VCError):
    """JSON-LD processing failed (invalid context, term redefinition, ...)."""

    code = "jsonld.invalid"


class FetchError(VCError):
    """An HTTP(S) document could not be fetched, or fetching it was refused."""

    code = "http.fetch_failed"


class KeyFormatError(VCError):
    """Key material is malformed or of an unsupported type."""

    code = "key.invalid"


class ResolutionError(VCError):
    """A DID or verification method could not be resolved to a public key."""

    code = "did.resolution_failed"


class ProofError(VCError):
    """A proof is malformed, of an unknown suite, or cannot be created."""

    code = "proof.invalid"


class InvalidSignature(ProofError):
    """The signature does not match the signed data and the public key."""

    code = "proof.invalid_signature"


class StructureError(VCError):
    """A document does not follow the data model.

    ``data["errors"]`` lists every problem as ``{"path": "$.issuer.id", "message": ...}``.
    """

    code = "structure.invalid"


class OB3ValueError(StructureError):
    """A value cannot go into an Open Badges 3.0 object: ``field`` is its JSON path there.

    Raised by the builders of :mod:`microcred.vc.ob3_builders`; ``data["problems"]``
    lists every problem found, ``data["object"]`` names the class being built.
    """

    code = "ob3.invalid_value"


class ClrValueError(OB3ValueError):
    """A value cannot go into a CLR 2.0 object: ``field`` is its JSON path there.

    Raised by the builders of :mod:`microcred.vc.clr_builders`. CLR 2.0 is
    built on Open Badges 3.0, so whoever handles one handles the other.
    """

    code = "clr.invalid_value"


class StatusError(VCError):
    """A status list entry or status list credential cannot be used."""

    code = "status.invalid"


class BakingError(VCError):
    """An image cannot carry, or does not carry, a credential."""

    code = "baking.failed"
