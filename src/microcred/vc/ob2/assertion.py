"""What an assertion states about itself: when it is valid, and whom it was awarded to."""

from __future__ import annotations

import hashlib
from typing import Any

from microcred.text import sentence
from microcred.vc.ob2.rules import try_datetime
from microcred.vc.ob2.session import Session
from microcred.vc.report import CheckStatus


def check_dates(session: Session, assertion: dict[str, Any]) -> None:
    """Refuse an assertion issued in the future or expired at ``now`` (OB 2.0 "Assertion")."""
    issued = try_datetime(assertion.get("issuedOn"))
    expires = try_datetime(assertion.get("expires"))
    if issued is None:
        session.skip("ob2.issued", "issuedOn is missing or invalid (see the structure checks).")
    elif issued > session.now:
        session.add(
            "ob2.issued",
            CheckStatus.FAILED,
            sentence(
                "The assertion is issued in the future (%(issued_on)s).",
                issued_on=assertion["issuedOn"],
            ),
        )
    else:
        session.add(
            "ob2.issued",
            CheckStatus.PASSED,
            sentence(
                "Issued on %(issued_on)s.",
                issued_on=assertion["issuedOn"],
            ),
        )
    if "expires" not in assertion:
        session.add("ob2.expiry", CheckStatus.PASSED, sentence("The assertion does not expire."))
    elif expires is None:
        session.skip("ob2.expiry", "expires is invalid (see the structure checks).")
    elif issued is not None and expires < issued:
        session.add(
            "ob2.expiry",
            CheckStatus.FAILED,
            sentence(
                "The assertion expires (%(expires)s) before it is issued (%(issued_on)s).",
                expires=assertion["expires"],
                issued_on=assertion["issuedOn"],
            ),
        )
    elif expires < session.now:
        session.add(
            "ob2.expiry",
            CheckStatus.FAILED,
            sentence(
                "The assertion expired on %(expires)s.",
                expires=assertion["expires"],
            ),
        )
    else:
        session.add(
            "ob2.expiry",
            CheckStatus.PASSED,
            sentence(
                "The assertion expires on %(expires)s.",
                expires=assertion["expires"],
            ),
        )


def check_recipient(session: Session, identity_object: Any, recipient: str) -> None:
    """Compare ``recipient`` with the assertion's IdentityObject, hashing it with the salt.

    OB 2.0 "IdentityObject": a hashed identity is ``algorithm$digest`` of
    the identity followed by the salt.
    """
    if not isinstance(identity_object, dict) or not isinstance(
        identity_object.get("identity"), str
    ):
        session.skip("ob2.recipient", "The assertion has no readable recipient identity.")
        return
    identity = identity_object["identity"]
    if identity_object.get("hashed") is True:
        algorithm, _, digest = identity.partition("$")
        salt = identity_object.get("salt")
        salt = salt if isinstance(salt, str) else ""
        if algorithm not in ("sha256", "md5"):
            session.skip("ob2.recipient", f"The identity hash {algorithm!r} is not supported.")
            return
        computed = hashlib.new(algorithm, (recipient + salt).encode("utf-8")).hexdigest()
        matches = computed == digest.lower()
    else:
        matches = identity == recipient
    if matches:
        session.add(
            "ob2.recipient",
            CheckStatus.PASSED,
            sentence(
                "The assertion was awarded to %(recipient)s.",
                recipient=recipient,
            ),
        )
    else:
        session.add(
            "ob2.recipient",
            CheckStatus.FAILED,
            sentence(
                "The assertion was not awarded to %(recipient)s.",
                recipient=recipient,
            ),
        )
