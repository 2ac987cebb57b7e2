"""Recognise what was presented for verification.

One function, :func:`read_presented`, turns raw input (bytes, text or parsed
JSON) into the credentials inside it, each tagged with the format it came in:
a JSON credential, a JSON array or JSON Lines stream of them, a compact JWS
(VC-JWT), a PNG or SVG with a credential baked in, or an Open Badges 2.0
assertion (JSON, JWS or hosted URL).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from microcred.text import sentence
from microcred.vc.errors import BakingError, InputError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")
OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
OB2_TYPES = {"Assertion", "BadgeClass", "Issuer", "Profile"}
# Credentials nest a dozen levels (a CLR holding credentials, their achievements and
# alignments); deeper JSON is refused before any recursive processing can overflow.
MAX_DEPTH = 100


@dataclass(frozen=True)
class Presented:
    """One credential found in the input.

    ``kind`` is ``"vc"`` (a JSON credential), ``"jwt"`` (compact JWS), or
    ``"ob2"`` (an Open Badges 2.0 assertion: JSON, JWS or URL); ``container``
    says whether it came baked in an image (``"png"``, ``"svg"``).
    """

    kind: str
    value: Any
    container: str | None = None


def read_presented(data: bytes | str | dict[str, Any] | list[Any]) -> list[Presented]:
    """Return every credential in ``data``; raise :class:`InputError` if there is none."""
    if isinstance(data, dict | list):
        check_depth(data)
    if isinstance(data, dict):
        return [_classify_json(data)]
    if isinstance(data, list):
        return [
            _classify_json(_expect_object(item, f"item {number}"))
            for number, item in enumerate(data, 1)
        ]
    if isinstance(data, bytes):
        if data.startswith(PNG_SIGNATURE) or _looks_like_svg(data):
            return _read_baked(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                sentence("The input is neither text (JSON, JWT) nor a PNG or SVG image.")
            ) from exc
    else:
        text = data
    return _read_text(text)


def _read_text(text: str, container: str | None = None) -> list[Presented]:
    stripped = text.strip()
    if not stripped:
        raise InputError(sentence("The input is empty."))
    if stripped.startswith("<"):
        return _read_baked(stripped.encode("utf-8"))
    if COMPACT_JWS.match(stripped):
        return [_classify_jws(stripped, container)]
    if stripped.startswith(("https://", "http://")) and " " not in stripped:
        return [Presented("ob2", stripped, container)]
    try:
        value = parse_json(stripped)
    except ValueError:
        return _read_json_lines(stripped, container)
    if isinstance(value, list):
        if not value:
            raise InputError(sentence("The input is an empty JSON array."))
        return [
            _classify_json(_expect_object(item, f"item {number}"), container)
            for number, item in enumerate(value, 1)
        ]
    return [_classify_json(_expect_object(value, "the input"), container)]


def _read_json_lines(text: str, container: str | None) -> list[Presented]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if COMPACT_JWS.match(line):
            found.append(_classify_jws(line, container))
            continue
        try:
            value = parse_json(line)
        except json.JSONDecodeError as exc:
            if number == 1:
                raise InputError(
                    sentence(
                        "The input is not JSON, JSON Lines or a compact JWT: %(msg)s (line "
                        "%(lineno)s, column %(colno)s).",
                        msg=exc.msg,
                        lineno=exc.lineno,
                        colno=exc.colno,
                    )
                ) from exc
            raise InputError(
                sentence(
                    "Line %(number)s is not JSON: %(msg)s.",
                    number=number,
                    msg=exc.msg,
                )
            ) from exc
        found.append(_classify_json(_expect_object(value, f"line {number}"), container))
    return found


def parse_json(text: str | bytes) -> Any:
    """Return the parsed JSON of ``text``; raise :class:`InputError` when it nests too deeply.

    Python's parser gives up on very deep JSON with a RecursionError (a
    crash, not an answer); nesting is refused here with a message instead.
    Raise ``ValueError`` (as :func:`json.loads`) for text that is not JSON.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep() from None
    check_depth(value)
    return value


def check_depth(value: Any) -> None:
    """Raise :class:`InputError` when ``value`` nests objects and arrays deeper than MAX_DEPTH."""
    # One level at a time: the containers of each level are gathered in a plain loop (a
    # depth for each container and a generator took twice as long).
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise _too_deep()
        below = []
        for item in level:
            for child in item.values() if isinstance(item, dict) else item:
                # Only containers nest: leaving strings and numbers out keeps the walk short.
                if isinstance(child, dict | list):
                    below.append(child)
        level = below


def _too_deep() -> InputError:
    return InputError(
        sentence(
            "The JSON nests objects and arrays more than %(max_depth)s levels deep;"
            " no credential does, so it is not read.",
            max_depth=MAX_DEPTH,
        ),
        code="input.too_deep",
        data={"max_depth": MAX_DEPTH},
    )


def _expect_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(
            sentence(
                "Expected a JSON object (a credential) in %(where)s, found %(name)s.",
                where=where,
                name=type(value).__name__,
            )
        )
    return value


def _classify_json(value: dict[str, Any], container: str | None = None) -> Presented:
    """An object is an OB 2.0 document when it is no VC and has OB 2.0's context or types."""
    types = set(_types(value))
    if "VerifiableCredential" in types:
        return Presented("vc", value, container)
    context = value.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(c in OB2_CONTEXTS for c in contexts if isinstance(c, str)) or types & OB2_TYPES:
        return Presented("ob2", value, container)
    return Presented("vc", value, container)


def _classify_jws(token: str, container: str | None) -> Presented:
    """A JWS whose payload is an OB 2.0 assertion is a signed OB 2.0 badge; else a VC-JWT."""
    from microcred.vc.jwt import decode_jwt

    try:
        _header, payload, _credential = decode_jwt(token)
    except InputError:
        return Presented("jwt", token, container)
    contexts = payload.get("@context") if isinstance(payload, dict) else None
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if any(c in OB2_CONTEXTS for c in contexts):
        return Presented("ob2", token, container)
    return Presented("jwt", token, container)


def _types(value: dict[str, Any]) -> list[str]:
    kind = value.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--")


def _read_baked(data: bytes) -> list[Presented]:
    from microcred.vc.baking import unbake

    try:
        baked = unbake(data)
    except BakingError as exc:
        raise InputError(exc.message, data=exc.data) from exc
    presented = _read_text(baked.payload, container=baked.kind)
    if baked.version == "ob2":
        return [Presented("ob2", item.value, baked.kind) for item in presented]
    return presented
