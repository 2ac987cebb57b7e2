"""Baking: carry a credential inside a badge image, and take it out again.

Open Badges 3.0, section "Baking": a PNG carries the credential (JSON or a
compact JWS) in an uncompressed ``iTXt`` chunk with the keyword
``openbadgecredential``; an SVG carries it in an ``<openbadges:credential>``
element (namespace ``https://purl.imsglobal.org/ob/v3p0``), JSON in CDATA or
a JWS in the ``verify`` attribute. Open Badges 2.0 used the keyword
``openbadges`` (``iTXt``, older tools ``tEXt``) and ``<openbadges:assertion>``
(namespace ``http://openbadges.org``); those are read, never written.

Baking never re-encodes the image: PNG chunks and SVG text outside the
credential are kept byte for byte. SVG is untrusted XML and is parsed with
defusedxml, which refuses entity expansion and external references.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

import png
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml

from microcred.text import sentence
from microcred.vc.errors import BakingError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD_OB3 = b"openbadgecredential"
PNG_KEYWORD_OB2 = b"openbadges"
PNG_KEYWORDS = {PNG_KEYWORD_OB3: "ob3", PNG_KEYWORD_OB2: "ob2"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
# (namespace, local name) of the element that carries a credential, by version.
SVG_ELEMENTS = {(OB3_NAMESPACE, "credential"): "ob3", (OB2_NAMESPACE, "assertion"): "ob2"}
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")
XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# A credential is a few kilobytes; refuse to inflate a compressed chunk past this.
MAX_TEXT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Baked:
    """A credential taken out of an image.

    ``kind`` is ``"png"`` or ``"svg"``; ``payload`` the text baked in (JSON,
    a compact JWS, or for Open Badges 2.0 also an assertion URL);
    ``version`` is ``"ob3"`` or ``"ob2"`` by the keyword or element used.
    """

    kind: str
    payload: str
    version: str


def bake(image: bytes, credential: str | dict[str, Any]) -> bytes:
    """Return ``image`` (PNG or SVG) with ``credential`` baked in, replacing any baked before."""
    if image.startswith(PNG_SIGNATURE):
        return bake_png(image, credential)
    if _looks_like_xml(image):
        return bake_svg(image, credential)
    raise BakingError(sentence("Only PNG and SVG images can carry a credential; this is neither."))


def unbake(data: bytes) -> Baked:
    """Return the credential baked into a PNG or SVG image.

    Raise :class:`BakingError` when ``data`` is not a readable PNG or SVG,
    carries no credential, or carries several different ones.
    """
    if data.startswith(PNG_SIGNATURE):
        return _unbake_png(data)
    if _looks_like_xml(data):
        return _unbake_svg(data)
    raise BakingError(sentence("The data is neither a PNG nor an SVG image."))


def _credential_text(credential: str | dict[str, Any]) -> tuple[str, bool]:
    """Return the text to bake and whether it is a compact JWS (else JSON)."""
    if isinstance(credential, dict):
        return json.dumps(credential, ensure_ascii=False), False
    if not isinstance(credential, str):
        raise BakingError(sentence("The credential must be a JSON object or a compact JWS string."))
    text = credential.strip()
    if COMPACT_JWS.match(text):
        return text, True
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BakingError(
            sentence(
                "The credential is neither JSON nor a compact JWS: %(msg)s (line "
                "%(lineno)s, column %(colno)s).",
                msg=exc.msg,
                lineno=exc.lineno,
                colno=exc.colno,
            )
        ) from exc
    if not isinstance(value, dict):
        raise BakingError(
            sentence("The credential must be a JSON object, not a JSON array or value.")
        )
    return text, False


# -- PNG ------------------------------------------------------------------------------


def bake_png(image: bytes, credential: str | dict[str, Any]) -> bytes:
    """Return the PNG with an ``iTXt`` ``openbadgecredential`` chunk before ``IEND``.

    The chunk is uncompressed with empty language and translated keyword
    (OB 3.0 "Baking", PNG). Any credential baked before, OB 3.0 or OB 2.0, is
    removed so the image carries exactly one.
    """
    text, _jws = _credential_text(credential)
    chunks = [(kind, data) for kind, data in _png_chunks(image) if not _baked_version(kind, data)]
    itxt = PNG_KEYWORD_OB3 + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    chunks.insert(len(chunks) - 1, (b"iTXt", itxt))
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    return out.getvalue()


def _png_chunks(image: bytes) -> list[tuple[bytes, bytes]]:
    """Return the chunks of a PNG, checking signature, CRCs and the IHDR...IEND frame."""
    try:
        chunks = list(png.Reader(bytes=image).chunks())
    except (png.Error, EOFError) as exc:
        raise BakingError(
            sentence(
                "The PNG image is damaged: %(exc)s",
                exc=exc,
            )
        ) from exc
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError(
            sentence("The PNG image is damaged: it must start with IHDR and end with IEND.")
        )
    return chunks


def _baked_version(kind: bytes, data: bytes) -> str | None:
    """Return ``"ob3"`` or ``"ob2"`` when a chunk carries a baked credential, else ``None``."""
    if kind not in (b"iTXt", b"tEXt"):
        return None
    return PNG_KEYWORDS.get(data.partition(b"\x00")[0])


def _chunk_text(kind: bytes, data: bytes) -> str:
    """Return the text of a ``tEXt`` or ``iTXt`` chunk (PNG specification, 11.3.4)."""
    keyword, _, rest = data.partition(b"\x00")
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        # tEXt is Latin-1 by definition.
        return rest.decode("latin-1")
    if len(rest) < 2:
        raise BakingError(
            sentence(
                "The iTXt chunk %(name)s is truncated.",
                name=repr(name),
            )
        )
    compressed, method = rest[0], rest[1]
    _language, _, rest = rest[2:].partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        if method != 0:
            raise BakingError(
                sentence(
                    "The iTXt chunk %(name)s uses an unknown compression method.",
                    name=repr(name),
                )
            )
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_TEXT_BYTES)
        except zlib.error as exc:
            raise BakingError(
                sentence(
                    "The iTXt chunk %(name)s is damaged: %(exc)s.",
                    name=repr(name),
                    exc=exc,
                )
            ) from exc
        if inflater.unconsumed_tail:
            raise BakingError(
                sentence(
                    "The iTXt chunk %(name)s is larger than %(max_text_bytes)s bytes.",
                    name=repr(name),
                    max_text_bytes=MAX_TEXT_BYTES,
                )
            )
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError(
            sentence(
                "The iTXt chunk %(name)s is not UTF-8 text.",
                name=repr(name),
            )
        ) from exc


def _unbake_png(data: bytes) -> Baked:
    found = [
        (version, _chunk_text(kind, chunk))
        for kind, chunk in _png_chunks(data)
        if (version := _baked_version(kind, chunk))
    ]
    version, payload = _single(found, "PNG", "an iTXt chunk openbadgecredential or openbadges")
    return Baked("png", payload, version)


def _single(found: list[tuple[str, str]], kind: str, where: str) -> tuple[str, str]:
    """Return the one credential found; identical copies count once."""
    distinct = {(version, text.strip()) for version, text in found if text.strip()}
    if not distinct:
        raise BakingError(
            sentence(
                "The %(kind)s image carries no credential (looked for %(where)s).",
                kind=kind,
                where=where,
            )
        )
    if len(distinct) > 1:
        raise BakingError(
            sentence(
                "The %(kind)s image carries %(count)s different credentials; it must "
                "carry exactly one.",
                kind=kind,
                count=len(distinct),
            )
        )
    return distinct.pop()


# -- SVG ------------------------------------------------------------------------------


def bake_svg(svg: bytes | str, credential: str | dict[str, Any]) -> bytes:
    """Return the SVG with an ``<openbadges:credential>`` as the root's first child.

    JSON goes in CDATA, a JWS in the ``verify`` attribute (OB 3.0 "Baking",
    SVG). Any credential element baked before is removed. The rest of the
    document is kept byte for byte; only UTF-8 documents can be baked.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    text, jws = _credential_text(credential)
    _check_utf8(data)
    _parse_svg(data)
    layout = _SvgLayout.scan(data)

    if layout.namespaces.get("openbadges") == OB3_NAMESPACE:
        declaration = ""
    else:
        declaration = f' xmlns:openbadges="{OB3_NAMESPACE}"'
    if jws:
        element = f'<openbadges:credential{declaration} verify="{text}"/>'
    else:
        cdata = text.replace("]]>", "]]]]><![CDATA[>")
        element = f"<openbadges:credential{declaration}><![CDATA[{cdata}]]></openbadges:credential>"

    start, end, self_closing = layout.root_tag
    if self_closing:
        opening = data[start : end - 2].rstrip() + b">"
        inserted = opening + element.encode("utf-8") + b"</" + layout.root_name + b">"
    else:
        inserted = data[start:end] + element.encode("utf-8")
    pieces = [data[:start], inserted]
    cursor = end
    for remove_start, remove_end in layout.credentials:
        pieces.append(data[cursor:remove_start])
        cursor = remove_end
    pieces.append(data[cursor:])
    return b"".join(pieces)


def _looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _check_utf8(data: bytes) -> None:
    declared = XML_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise BakingError(
            sentence(
                "Only UTF-8 SVG documents can be baked; this one is %(value)s.",
                value=declared.group(1).decode(),
            )
        )


def _parse_svg(data: bytes) -> Any:
    """Parse untrusted SVG safely and return its root element."""
    try:
        root = parse_xml(data)
    except DefusedXmlException as exc:
        raise BakingError(
            sentence(
                "The SVG was refused: it declares entities or external references (%(exc)s).",
                exc=exc,
            )
        ) from exc
    except ParseError as exc:
        raise BakingError(
            sentence(
                "The SVG is not well-formed XML: %(exc)s.",
                exc=exc,
            )
        ) from exc
    if root.tag not in (f"{{{SVG_NAMESPACE}}}svg", "svg"):
        raise BakingError(
            sentence(
                "The XML document is not an SVG image (its root is %(tag)s).",
                tag=root.tag,
            )
        )
    return root


def _unbake_svg(data: bytes) -> Baked:
    root = _parse_svg(data)
    found = []
    for element in root.iter():
        namespace, _, local = element.tag.rpartition("}")
        version = SVG_ELEMENTS.get((namespace.lstrip("{"), local))
        if version is None:
            continue
        # A JWS (or an OB 2.0 hosted URL) sits in verify; JSON in the element's text.
        verify = (element.get("verify") or "").strip()
        found.append((version, verify or "".join(element.itertext())))
    version, payload = _single(
        found, "SVG", "an openbadges:credential or openbadges:assertion element"
    )
    return Baked("svg", payload, version)


@dataclass
class _SvgLayout:
    """Byte offsets in an SVG document that baking needs.

    ``root_tag`` is the root start tag's ``(start, end, self_closing)``;
    ``credentials`` the spans of credential elements baked before;
    ``namespaces`` the prefixes the root declares. Offsets come from expat,
    run only on a document defusedxml has already accepted.
    """

    root_name: bytes
    root_tag: tuple[int, int, bool]
    credentials: list[tuple[int, int]]
    namespaces: dict[str, str]

    @classmethod
    def scan(cls, data: bytes) -> _SvgLayout:
        parser = expat.ParserCreate(namespace_separator=" ")
        depth = 0
        root: list[tuple[int, int, bool]] = []
        namespaces: dict[str, str] = {}
        credentials: list[tuple[int, int]] = []
        open_credential: list[tuple[int, int]] = []

        def declare(prefix: str | None, uri: str) -> None:
            if depth == 0:
                namespaces[prefix or ""] = uri

        def start(name: str, _attributes: dict[str, str]) -> None:
            nonlocal depth
            index = parser.CurrentByteIndex
            tag_end, self_closing = _start_tag_end(data, index)
            if depth == 0:
                root.append((index, tag_end, self_closing))
            if tuple(name.split(" ", 1)) in SVG_ELEMENTS and not open_credential:
                open_credential.append((index, depth))
            depth += 1

        def end(_name: str) -> None:
            nonlocal depth
            depth -= 1
            if open_credential and open_credential[0][1] == depth:
                begin = open_credential.pop()[0]
                index = parser.CurrentByteIndex
                tag_end, self_closing = _start_tag_end(data, begin)
                finish = tag_end if self_closing else data.index(b">", index) + 1
                credentials.append((begin, finish))

        parser.StartNamespaceDeclHandler = declare
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.Parse(data, True)
        start_index = root[0][0]
        name_end = re.compile(rb"[\s/>]").search(data, start_index + 1)
        assert name_end is not None  # expat accepted the tag, so it ends
        return cls(data[start_index + 1 : name_end.start()], root[0], credentials, namespaces)


def _start_tag_end(data: bytes, start: int) -> tuple[int, bool]:
    """Return the offset just past the start tag at ``start`` and whether it ends ``/>``.

    Attribute values may contain ``>``, so quoted text is skipped.
    """
    quote = None
    for position in range(start + 1, len(data)):
        char = data[position : position + 1]
        if quote:
            if char == quote:
                quote = None
        elif char in (b'"', b"'"):
            quote = char
        elif char == b">":
            return position + 1, data[position - 1 : position] == b"/"
    raise BakingError(sentence("The SVG ends inside a start tag."))
