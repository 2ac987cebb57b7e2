"""JSON Canonicalization Scheme (RFC 8785), fast for the JSON credentials carry.

For the common subset of JSON the C encoder of the standard library already
writes exactly the JCS form when it sorts keys, uses compact separators and
leaves non-ASCII characters unescaped: its string escapes are those of
ECMAScript's ``JSON.stringify`` (RFC 8785 section 3.2.2.2). The subset is

- keys that sort the same by UTF-16 code units (RFC 8785 section 3.2.3) as by
  code points (Python's order): true when no character lies outside the Basic
  Multilingual Plane; no lone surrogates (they have no UTF-8 form);
- integers within ±(2**53 - 1), which are exactly doubles;
- floats whose ``repr`` is the ECMAScript form (section 3.2.2.3): fixed
  notation without a trailing ``.0``;
- plain ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None``.

Anything else goes through the reference implementation, the ``rfc8785``
package, which also raises for values JCS cannot represent.
"""

from __future__ import annotations

import json
import re
from typing import Any

import rfc8785

from microcred.text import sentence
from microcred.vc.errors import VCError

_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode

# Anything outside the Basic Multilingual Plane, and surrogates.
_NOT_BMP = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")
# Every integer up to 2**53 - 1 is exactly a double (RFC 8785 section 3.2.2.3).
_MAX_SAFE_INTEGER = 2**53 - 1


def canonicalize_json(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a parsed JSON value.

    ``value`` is what :func:`json.loads` returns (objects have string keys).
    Raise :class:`VCError` (code ``jcs.unsupported_value``) for values JCS
    cannot represent: NaN, infinities, integers beyond ±(2**53 - 1), lone
    surrogates.
    """
    if not _scalars_print_as_in_es6(value):
        return _reference(value)
    text = _encode(value)
    if not text.isascii() and _NOT_BMP.search(text):
        return _reference(value)
    return text.encode("utf-8")


def _scalars_print_as_in_es6(value: Any) -> bool:
    """Tell whether the C encoder writes every scalar of ``value`` as ECMAScript would.

    Walking the structure costs less than searching the encoded text for
    numbers, which would have to skip the strings.
    """
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is dict:
            extend(item.values())
        elif kind is list:
            extend(item)
        elif kind is int:
            if not -_MAX_SAFE_INTEGER <= item <= _MAX_SAFE_INTEGER:
                return False
        elif kind is float:
            text = repr(item)
            if "e" in text or text.endswith(".0") or text in ("nan", "inf", "-inf"):
                return False
        else:
            return False
    return True


def _reference(value: Any) -> bytes:
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise VCError(
            sentence(
                "This JSON value has no RFC 8785 (JCS) form: %(exc)s.",
                exc=exc,
            ),
            code="jcs.unsupported_value",
        ) from exc
