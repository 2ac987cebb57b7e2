"""Build Comprehensive Learner Record 2.0 objects from plain values, each validated where built.

One builder per CLR 2.0 class the platform writes (appendix B): an
``Association`` between two achievements, the ``ClrSubject`` that holds the
learner's signed credentials, and the ``ClrCredential`` around it. The
credentials a CLR nests are taken as they were signed and never changed, so
each one still verifies on its own; a VC-JWT goes in as an
``EnvelopedVerifiableCredential`` (VC 2.0 section 4.13.1), which JSON-LD can
carry where a bare string could not.

As in :mod:`microcred.vc.ob3_builders`, each builder checks what it built
against the models of :mod:`microcred.vc.clr` and raises
:class:`~microcred.vc.errors.ClrValueError` naming the field. What a received
CLR only gets a warning for (an unknown ``associationType``, an association
to an achievement the CLR does not hold) is an error in one being built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from microcred.text import sentence
from microcred.vc.clr import (
    ASSOCIATION_TYPES,
    CLR_CONTEXT,
    Association,
    ClrSubject,
    association_problems,
    validate_clr,
)
from microcred.vc.datamodel import (
    ENVELOPED_CREDENTIAL,
    ROOT,
    VC_V2_CONTEXT,
    Problem,
    is_compact_jws,
    validate_credential,
)
from microcred.vc.dates import format_datetime
from microcred.vc.errors import ClrValueError
from microcred.vc.ob3 import OB3_CONTEXT, model_problems
from microcred.vc.ob3_builders import present, raise_for

# CLR 2.0 section 4 (and its examples): the VC base context, then CLR's, then Open Badges',
# which defines the terms of the achievements and the credentials the CLR carries.
CONTEXTS = (VC_V2_CONTEXT, CLR_CONTEXT, OB3_CONTEXT)
CREDENTIAL_TYPES = ("VerifiableCredential", "ClrCredential")
# In a CLR being built, these are errors: the issuer can still correct them.
_STRICT_CODES = frozenset(("clr.associationType.unknown", "clr.association.unresolved"))


def _checked(model: type[BaseModel], built: dict[str, Any]) -> dict[str, Any]:
    """Return ``built`` if it is a valid ``model``; raise :class:`ClrValueError` otherwise."""
    raise_for(model.__name__, model_problems(model, built, prefix="clr"), ClrValueError)
    return built


def _strict(problems: list[Problem]) -> list[Problem]:
    return [
        replace(problem, severity="error") if problem.code in _STRICT_CODES else problem
        for problem in problems
    ]


def build_association(*, association_type: str, source_id: str, target_id: str) -> dict[str, Any]:
    """Return an ``Association``: how the achievement ``source_id`` relates to ``target_id``.

    ``association_type`` is one of CLR 2.0's AssociationType (``isChildOf``,
    ``isParentOf``, ``isPartOf``, ``precedes``...); the enumeration is closed.
    """
    association = {
        "type": "Association",
        "associationType": association_type,
        "sourceId": source_id,
        "targetId": target_id,
    }
    _checked(Association, association)
    if association_type not in ASSOCIATION_TYPES:
        raise_for(
            "Association",
            [
                Problem(
                    "$.associationType",
                    sentence(
                        "associationType %(association_type)s is not a CLR 2.0 association "
                        "type; use one of %(value)s.",
                        association_type=repr(association_type),
                        value=", ".join(sorted(ASSOCIATION_TYPES)),
                    ),
                    "clr.associationType.unknown",
                )
            ],
            ClrValueError,
        )
    return association


def build_enveloped_credential(token: str) -> dict[str, Any]:
    """Return a VC-JWT as an ``EnvelopedVerifiableCredential`` (VC 2.0 section 4.13.1).

    The JWT is kept byte for byte in a ``data:`` URL, so its signature still verifies.
    """
    if not is_compact_jws(token):
        raise_for(
            "EnvelopedVerifiableCredential",
            [
                Problem(
                    "$.id",
                    sentence("An enveloped credential must be a compact JWS."),
                    "clr.not_jws",
                )
            ],
            ClrValueError,
        )
    return {
        "@context": VC_V2_CONTEXT,
        "id": f"data:application/vc+jwt,{token}",
        "type": ENVELOPED_CREDENTIAL,
    }


def build_clr_subject(
    *,
    verifiable_credentials: Iterable[dict[str, Any]],
    id: str | None = None,
    identifiers: Iterable[dict[str, Any]] = (),
    achievements: Iterable[dict[str, Any]] = (),
    associations: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Return a ``ClrSubject``: the learner, their signed credentials, and how they relate.

    ``verifiable_credentials`` are the signed credentials exactly as signed
    (a VC-JWT from :func:`build_enveloped_credential`); ``achievements`` are
    further achievements the ``associations`` may name, such as the goal of a
    pathway the learner has not reached yet. Every association must name an
    achievement of a nested credential or of ``achievements``, or nobody can
    show it.
    """
    subject = present(
        id=id,
        type="ClrSubject",
        identifier=list(identifiers),
        verifiableCredential=list(verifiable_credentials),
        achievement=list(achievements),
        association=list(associations),
    )
    _checked(ClrSubject, subject)
    raise_for("ClrSubject", _strict(association_problems(subject, ROOT)), ClrValueError)
    return subject


def build_clr_credential(
    *,
    id: str,
    name: str,
    issuer: dict[str, Any] | str,
    subject: dict[str, Any],
    valid_from: datetime,
    valid_until: datetime | None = None,
    description: str | None = None,
    partial: bool | None = None,
) -> dict[str, Any]:
    """Return the unsigned ``ClrCredential`` (CLR 2.0 appendix B, VC Data Model 2.0).

    ``partial`` says whether the CLR leaves out credentials the issuer knows
    the learner holds (CLR 2.0: true when it "does not contain all the
    assertions known by the publisher for the learner"). The whole credential
    is checked as :func:`~microcred.vc.clr.validate_clr` checks a received one.
    """
    credential = present(
        **{"@context": list(CONTEXTS)},
        id=id,
        type=list(CREDENTIAL_TYPES),
        name=name,
        description=description,
        issuer=issuer,
        validFrom=format_datetime(valid_from),
        validUntil=format_datetime(valid_until) if valid_until is not None else None,
        partial=partial,
        credentialSubject=subject,
    )
    problems = validate_credential(credential) + _strict(validate_clr(credential))
    raise_for("ClrCredential", problems, ClrValueError)
    return credential
