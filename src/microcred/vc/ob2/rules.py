"""The property rules of the Open Badges 2.0 data model, one table per class.

Each rule returns what is wrong with a property's value (``None`` when it is
right); the table says too whether a missing property is an error, a warning
or allowed (OB 2.0 "Data Model").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from microcred.text import sentence
from microcred.vc.datamodel import as_list

IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|_:)\S+$")
HTTP_URL = re.compile(r"^https?://\S+$")

Rule = Callable[[Any], str | None]


def try_datetime(value: Any) -> datetime | None:
    """Return an OB 2.0 DateTime (ISO 8601, or a Unix timestamp) as an aware datetime."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        try:
            return datetime.fromtimestamp(int(value), UTC)
        except (OverflowError, ValueError, OSError):
            return None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iri(value: Any) -> str | None:
    return None if isinstance(value, str) and IRI.match(value) else sentence("must be an IRI")


def _url(value: Any) -> str | None:
    return (
        None
        if isinstance(value, str) and HTTP_URL.match(value)
        else sentence("must be an HTTP(S) URL")
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str) or (isinstance(value, dict) and isinstance(value.get("@value"), str)):
        return None
    return sentence("must be text")


def _email(value: Any) -> str | None:
    return None if isinstance(value, str) and "@" in value else sentence("must be an email address")


def _object(value: Any) -> str | None:
    return None if isinstance(value, dict) else sentence("must be an object")


def _node_or_iri(value: Any) -> str | None:
    return None if isinstance(value, dict) else _iri(value)


def _datetime(value: Any) -> str | None:
    return (
        None
        if try_datetime(value) is not None
        else sentence("must be an ISO 8601 date-time or a Unix timestamp")
    )


def _list(value: Any) -> str | None:
    return None if isinstance(value, list) else sentence("must be an array")


def _each(rule: Rule) -> Rule:
    """Apply ``rule`` to each value of a one-or-many property; report the first problem."""

    def check(value: Any) -> str | None:
        return next((problem for item in as_list(value) if (problem := rule(item))), None)

    return check


def _image(*, data_uri: bool) -> Rule:
    """An image is an IRI (a data: URI only where allowed) or an Image object with one as id."""

    def check(value: Any) -> str | None:
        target = value.get("id") if isinstance(value, dict) else value
        if isinstance(target, str) and target.startswith("data:"):
            return None if data_uri else sentence("must be a URL here, not a data: URI")
        return _iri(target)

    return check


RULES: dict[str, list[tuple[str, Rule, str | None]]] = {
    # OB 2.0 "Assertion": an Assertion's image must be a URL (only a BadgeClass may embed one).
    "Assertion": [
        ("id", _iri, "error"),
        ("recipient", _object, "error"),
        ("badge", _node_or_iri, "error"),
        ("verification", _object, "error"),
        ("issuedOn", _datetime, "error"),
        ("expires", _datetime, None),
        ("image", _image(data_uri=False), None),
        ("narrative", _text, None),
    ],
    # "BadgeClass": image is required by the specification, but deployed and
    # upstream-accepted badge classes omit it; it does not affect trust.
    "BadgeClass": [
        ("id", _iri, "error"),
        ("name", _text, "error"),
        ("description", _text, "error"),
        ("image", _image(data_uri=True), "warning"),
        ("criteria", _node_or_iri, "error"),
        ("issuer", _node_or_iri, "error"),
        ("tags", _each(_text), None),
    ],
    # "Profile": an issuer needs a name and a URL; email is expected.
    "Profile": [
        ("id", _iri, "error"),
        ("name", _text, "error"),
        ("url", _url, "error"),
        ("email", _email, "warning"),
        ("image", _image(data_uri=True), None),
        ("publicKey", _each(_node_or_iri), None),
        ("revocationList", _node_or_iri, None),
        ("verification", _object, None),
    ],
    "AlignmentObject": [("targetName", _text, "error"), ("targetUrl", _url, "error")],
    "CryptographicKey": [("owner", _iri, None), ("publicKeyPem", _text, None)],
    "RevocationList": [("revokedAssertions", _list, None)],
}
RULES["Issuer"] = RULES["Profile"]
