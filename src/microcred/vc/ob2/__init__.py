"""Open Badges 2.0 verification: hosted and signed assertions.

Implements the "Verification" section of Open Badges 2.0
(https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html):
a hosted assertion is fetched from its ``id`` and must match what was
presented (HTTP 410 or ``revoked: true`` means revoked; the issuer's
``verification`` policy limits where it may live); a signed assertion is a
compact JWS (RS256) checked with the issuer's ``CryptographicKey`` and its
``RevocationList``. The BadgeClass and issuer Profile are fetched and checked
against the data model, as are extensions that declare a JSON Schema.

:func:`verify_ob2` returns findings, each a :class:`Check` with one of the
ids ``ob2.structure``, ``ob2.hosted``, ``ob2.signature``, ``ob2.revocation``,
``ob2.allowed_origins``, ``ob2.issued``, ``ob2.expiry``, ``ob2.extensions``
and, when a recipient identity is given, ``ob2.recipient``.

The modules, in the order a verification uses them: ``documents`` reads
the input and the documents it links to; ``model`` (with ``rules`` and
``vocabulary``) checks them against the data model; ``hosted`` and
``signed`` verify the assertion one way or the other; ``assertion`` checks
its dates and recipient; ``extensions`` validates extensions. ``session``
holds what one verification shares: fetcher, loader, clock and findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred.text import sentence
from microcred.vc.http import Fetcher
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader
from microcred.vc.ob2.assertion import check_dates, check_recipient
from microcred.vc.ob2.documents import Presented, load, read
from microcred.vc.ob2.extensions import check_extensions
from microcred.vc.ob2.hosted import check_origin, verify_hosted
from microcred.vc.ob2.model import article, check_identity, check_node, main_class, read_context
from microcred.vc.ob2.session import Session
from microcred.vc.ob2.signed import verify_signed
from microcred.vc.ob2.vocabulary import CLASSES, PROFILE_CLASSES, expand
from microcred.vc.report import Check, CheckStatus

__all__ = ["Ob2Result", "verify_ob2"]


@dataclass
class Ob2Result:
    """What :func:`verify_ob2` found and the documents it read.

    ``kind`` is the class of the presented document (``Assertion``,
    ``BadgeClass``, ``Issuer``...; ``None`` when its type is not an OB 2.0
    class). ``assertion``, ``badge`` and ``issuer`` are the documents as
    presented, embedded or fetched.
    """

    kind: str | None
    checks: list[Check] = field(default_factory=list)
    assertion: dict[str, Any] | None = None
    badge: dict[str, Any] | None = None
    issuer: dict[str, Any] | None = None


def verify_ob2(
    value: dict[str, Any] | str,
    *,
    fetcher: Fetcher,
    now: datetime,
    loader: ContextLoader = DEFAULT_LOADER,
    recipient: str | None = None,
) -> Ob2Result:
    """Verify an Open Badges 2.0 assertion and return the findings.

    ``value`` is the assertion (a JSON object or its text), its compact JWS
    (signed), or its URL (hosted). A BadgeClass or Profile is checked
    against the data model only. ``recipient`` is an identity (an email
    address...) to check the assertion's recipient against. Raise
    :class:`InputError` when ``value`` is none of these.
    """
    session = Session(fetcher=fetcher, loader=loader, now=now)
    presented = read(session, value)
    document = presented.document
    context = read_context(session, document, "$")
    kind = main_class(check_node(session, document, context, "$"))
    result = Ob2Result(kind=kind)
    if kind == "Assertion":
        result.assertion = document
        _verify_assertion(session, presented, context, result, recipient)
    else:
        if kind == "BadgeClass":
            result.badge = document
            result.issuer = load(session, document.get("issuer"), context, "$.issuer", "Issuer")
        elif kind in PROFILE_CLASSES:
            result.issuer = document
        check_extensions(session, document, context)
        what = article(kind) if kind else "not an Open Badges 2.0 object"
        session.skip(
            "ob2.hosted",
            f"Only an Assertion can be verified; this document is {what}, so only its "
            "structure was checked.",
        )
    result.checks = session.all_checks()
    return result


def _verify_assertion(
    session: Session,
    presented: Presented,
    context: dict[str, Any],
    result: Ob2Result,
    recipient: str | None,
) -> None:
    """Run the assertion checks of OB 2.0 "Verification" in order."""
    assertion = presented.document
    check_identity(session, assertion.get("recipient"))
    result.badge = load(session, assertion.get("badge"), context, "$.badge", "BadgeClass")
    badge = result.badge or {}
    result.issuer = load(session, badge.get("issuer"), context, "$.badge.issuer", "Issuer")
    method = _verification_type(session, assertion, context)
    if presented.token is not None:
        if method != "SignedBadge":
            session.structure.error(
                sentence(
                    "The assertion was presented as a JWS, so verification.type must be "
                    "SignedBadge."
                ),
                "$.verification.type",
            )
        verify_signed(session, presented, result.issuer)
    elif method == "SignedBadge":
        session.add(
            "ob2.signature",
            CheckStatus.FAILED,
            sentence(
                "The assertion says it is signed, but it was presented as JSON: present its "
                "JWS (the signed token, or the baked image) to verify the signature."
            ),
        )
    else:
        verify_hosted(session, presented)
        check_origin(session, assertion, result.issuer, result.badge)
    check_dates(session, assertion)
    check_extensions(session, assertion, context)
    if recipient is not None:
        check_recipient(session, assertion.get("recipient"), recipient)


def _verification_type(
    session: Session, assertion: dict[str, Any], context: dict[str, Any]
) -> str | None:
    """Return ``verification.type`` as HostedBadge or SignedBadge (``None`` if neither)."""
    verification = assertion.get("verification")
    if not isinstance(verification, dict):
        return None
    kind = verification.get("type")
    iri = expand(kind, context) if isinstance(kind, str) else None
    method = CLASSES.get(iri or "")
    if method not in ("HostedBadge", "SignedBadge"):
        session.structure.error(
            sentence(
                "verification.type must be HostedBadge or SignedBadge, not %(kind)s.",
                kind=repr(kind),
            ),
            "$.verification.type",
        )
        return None
    return method
