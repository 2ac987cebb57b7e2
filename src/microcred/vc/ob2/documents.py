"""Reading Open Badges 2.0 documents: the input as presented and the nodes it links to.

An assertion is presented as a JSON object (or its text), as the compact
JWS of a signed assertion, or as the URL of a hosted one (OB 2.0
"Verification"); its BadgeClass and issuer Profile are embedded or fetched.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from microcred.text import sentence
from microcred.vc.errors import FetchError, InputError
from microcred.vc.ob2.model import article, check_node, read_context
from microcred.vc.ob2.rules import HTTP_URL
from microcred.vc.ob2.session import Session

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


@dataclass
class Presented:
    """The assertion as presented: a JSON object, a JWS (``token``) or fetched from ``url``."""

    document: dict[str, Any]
    token: str | None = None
    header: dict[str, Any] | None = None
    url: str | None = None


def read(session: Session, value: dict[str, Any] | str) -> Presented:
    """Return the document ``value`` presents; raise :class:`InputError` when there is none."""
    if isinstance(value, dict):
        return Presented(value)
    if not isinstance(value, str):
        raise InputError(sentence("An Open Badges 2.0 assertion is a JSON object, a JWS or a URL."))
    text = value.strip()
    if COMPACT_JWS.match(text):
        header_part, payload_part, _signature = text.split(".")
        header = _json_part(header_part, "header")
        payload = _json_part(payload_part, "payload")
        if not isinstance(header, dict) or not isinstance(payload, dict):
            raise InputError(sentence("The JWS header and payload must be JSON objects."))
        return Presented(payload, token=text, header=header)
    if HTTP_URL.match(text):
        try:
            status, document = fetch_hosted(session, text)
        except FetchError as exc:
            raise InputError(
                sentence(
                    "The assertion cannot be fetched: %(message)s",
                    message=exc.message,
                )
            ) from exc
        if document is None:
            raise InputError(
                sentence(
                    "The assertion URL %(text)s answered HTTP %(status)s Gone: the issuer has "
                    "revoked it.",
                    text=text,
                    status=status,
                )
                if status == 410
                else sentence(
                    "The assertion URL %(text)s answered HTTP %(status)s.",
                    text=text,
                    status=status,
                ),
                data={"url": text, "status": status},
            )
        return Presented(document, url=text)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            sentence(
                "The Open Badges 2.0 input is not JSON, a compact JWS or a URL: %(msg)s.",
                msg=exc.msg,
            )
        ) from exc
    if not isinstance(document, dict):
        raise InputError(sentence("An Open Badges 2.0 assertion must be a JSON object."))
    return Presented(document)


def fetch_hosted(session: Session, url: str) -> tuple[int, dict[str, Any] | None]:
    """Return the HTTP status and, for 200, the JSON object at ``url``."""
    fetched = session.fetcher.fetch(url)
    if fetched.status != 200:
        return fetched.status, None
    document = fetched.json()
    if not isinstance(document, dict):
        raise FetchError(
            sentence(
                "%(url)s did not return a JSON object.",
                url=url,
            ),
            data={"url": url},
        )
    return fetched.status, document


def load(
    session: Session, value: Any, context: dict[str, Any], path: str, expected: str
) -> dict[str, Any] | None:
    """Return the embedded or fetched node ``value`` after checking it is an ``expected``."""
    findings = session.structure
    if isinstance(value, dict):
        node_context = read_context(session, value, path) if "@context" in value else context
        classes = check_node(session, value, node_context, path, expected=expected)
        return value if classes is not None else None
    if not isinstance(value, str):
        if value is not None:
            findings.error(
                sentence(
                    "Expected the URL of %(expected)s, found %(value)s.",
                    expected=article(expected),
                    value=repr(value),
                ),
                path,
            )
        return None
    try:
        document = session.fetch_json(value)
    except FetchError as exc:
        findings.error(
            sentence(
                "The %(expected)s at %(value)s cannot be fetched: %(reason)s",
                expected=expected,
                value=value,
                reason=exc,
            ),
            path,
        )
        return None
    if not isinstance(document, dict):
        findings.error(
            sentence(
                "The %(expected)s at %(value)s is not a JSON object.",
                expected=expected,
                value=value,
            ),
            path,
        )
        return None
    if document.get("id") != value:
        findings.warning(
            sentence(
                "The %(expected)s fetched from %(value)s has the id %(id)s.",
                expected=expected,
                value=value,
                id=repr(document.get("id")),
            ),
            path,
        )
    check_node(session, document, read_context(session, document, path), path, expected=expected)
    return document


def b64url(part: str, name: str) -> bytes:
    """Decode the JWS part called ``name``; raise :class:`InputError` when it is not base64url."""
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InputError(
            sentence(
                "The JWS %(name)s is not base64url: %(exc)s.",
                name=name,
                exc=exc,
            )
        ) from exc


def _json_part(part: str, name: str) -> Any:
    try:
        return json.loads(b64url(part, name))
    except ValueError as exc:
        raise InputError(
            sentence(
                "The JWS %(name)s is not JSON: %(exc)s.",
                name=name,
                exc=exc,
            )
        ) from exc
