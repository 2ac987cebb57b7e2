"""Baking credentials into PNG and SVG images and reading them back (OB 3.0 "Baking").

Corpus: every PNG and SVG of the 1EdTech validator fixtures; the manifest's
``checked_here.baked`` says what each carries (nothing, JSON or a JWS, with
the OB 3.0 or OB 2.0 keyword).
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from typing import Any

import png
import pytest

from microcred.vc.baking import bake, bake_png, bake_svg, unbake
from microcred.vc.errors import BakingError
from tests import conformance

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Ünïcode badge",
}
JWS = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a badge -->\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" data-x="a>b">\n'
    b'  <circle cx="5" cy="5" r="4"/>\n</svg>\n'
)


def make_png(*extra: tuple[bytes, bytes]) -> bytes:
    """Return a 2x2 RGB PNG, with ``extra`` chunks inserted before IEND."""
    out = io.BytesIO()
    png.Writer(2, 2, greyscale=False).write(out, [[255, 0, 0, 0, 255, 0], [0, 0, 255, 9, 9, 9]])
    if not extra:
        return out.getvalue()
    chunks = list(png.Reader(bytes=out.getvalue()).chunks())
    chunks[-1:-1] = extra
    rebuilt = io.BytesIO()
    png.write_chunks(rebuilt, chunks)
    return rebuilt.getvalue()


def itxt(keyword: bytes, text: str, *, compressed: bool = False) -> tuple[bytes, bytes]:
    body = zlib.compress(text.encode()) if compressed else text.encode()
    return b"iTXt", keyword + b"\x00" + bytes([compressed, 0]) + b"en\x00\x00" + body


def chunk_types(image: bytes) -> list[bytes]:
    return [kind for kind, _ in png.Reader(bytes=image).chunks()]


# --- PNG -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credential", [CREDENTIAL, json.dumps(CREDENTIAL), JWS], ids=["dict", "json", "jws"]
)
def test_png_round_trip(credential: Any) -> None:
    baked = unbake(bake_png(make_png(), credential))
    assert (baked.kind, baked.version) == ("png", "ob3")
    if credential == JWS:
        assert baked.payload == JWS
    else:
        assert json.loads(baked.payload) == CREDENTIAL


def test_png_baking_keeps_the_image_and_puts_the_chunk_before_iend() -> None:
    image = make_png((b"tEXt", b"Comment\x00kept"))
    baked = bake_png(image, CREDENTIAL)
    original = list(png.Reader(bytes=image).chunks())
    chunks = list(png.Reader(bytes=baked).chunks())
    assert chunks[:-2] == original[:-1]
    kind, data = chunks[-2]
    assert kind == b"iTXt"
    assert data.startswith(b"openbadgecredential\x00\x00\x00\x00\x00")
    assert png.Reader(bytes=baked).read()[2] is not None


def test_png_baking_replaces_what_was_baked_before() -> None:
    image = make_png(itxt(b"openbadges", '{"old": 2}'), (b"tEXt", b"openbadges\x00{}"))
    twice = bake_png(bake_png(image, CREDENTIAL), JWS)
    assert chunk_types(twice).count(b"iTXt") == 1
    assert b"tEXt" not in chunk_types(twice)
    assert unbake(twice).payload == JWS


def test_png_reads_compressed_itxt_and_ob2_text_chunks() -> None:
    compressed = unbake(make_png(itxt(b"openbadgecredential", JWS, compressed=True)))
    assert (compressed.payload, compressed.version) == (JWS, "ob3")
    text = unbake(make_png((b"tEXt", b"openbadges\x00https://example.org/assertion.json")))
    assert (text.payload, text.version) == ("https://example.org/assertion.json", "ob2")


def test_png_with_the_same_credential_twice_is_read() -> None:
    image = make_png(itxt(b"openbadgecredential", JWS), itxt(b"openbadgecredential", JWS))
    assert unbake(image).payload == JWS


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "carries no credential"),
        ((itxt(b"openbadgecredential", JWS), itxt(b"openbadges", "{}")), "2 different credentials"),
        ((itxt(b"openbadgecredential", ""),), "carries no credential"),
        (((b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00not zlib"),), "damaged"),
        (((b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00\xff\xfe"),), "not UTF-8"),
    ],
    ids=["none", "two-different", "empty", "bad-zlib", "not-utf8"],
)
def test_png_without_one_readable_credential_is_refused(extra: Any, message: str) -> None:
    with pytest.raises(BakingError, match=message):
        unbake(make_png(*extra))


def damaged_crc(image: bytes) -> bytes:
    # The IHDR chunk's CRC sits at bytes 29-32.
    return image[:29] + struct.pack(">I", 0) + image[33:]


@pytest.mark.parametrize(
    "image",
    [damaged_crc(make_png()), make_png()[:40], make_png()[:-12]],
    ids=["bad-crc", "truncated", "no-iend"],
)
def test_damaged_png_is_refused(image: bytes) -> None:
    with pytest.raises(BakingError, match="damaged"):
        unbake(image)
    with pytest.raises(BakingError, match="damaged"):
        bake_png(image, CREDENTIAL)


@pytest.mark.parametrize(
    "credential", ["not json", "[1, 2]", "", 42], ids=["text", "array", "empty", "number"]
)
def test_only_a_json_object_or_a_jws_can_be_baked(credential: Any) -> None:
    with pytest.raises(BakingError):
        bake_png(make_png(), credential)


# --- SVG -----------------------------------------------------------------------------------


@pytest.mark.parametrize("credential", [CREDENTIAL, JWS], ids=["json", "jws"])
def test_svg_round_trip(credential: Any) -> None:
    baked_svg = bake_svg(SVG, credential)
    baked = unbake(baked_svg)
    assert (baked.kind, baked.version) == ("svg", "ob3")
    if credential == JWS:
        assert baked.payload == JWS
        assert f'verify="{JWS}"'.encode() in baked_svg
    else:
        assert json.loads(baked.payload) == CREDENTIAL
        assert b"<![CDATA[" in baked_svg


def test_svg_baking_keeps_the_rest_of_the_document() -> None:
    baked = bake_svg(SVG.decode(), JWS)
    element = (
        b'<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" '
        + f'verify="{JWS}"/>'.encode()
    )
    assert element in baked
    assert baked.replace(element, b"") == SVG


def test_svg_baking_replaces_what_was_baked_before() -> None:
    once = bake_svg(SVG, CREDENTIAL)
    twice = bake_svg(once, JWS)
    assert twice.count(b"openbadges:credential") == 1
    assert unbake(twice).payload == JWS
    assert bake_svg(twice, JWS) == twice


def test_svg_cdata_end_marker_in_the_credential_survives() -> None:
    credential = {"note": "a ]]> b"}
    assert json.loads(unbake(bake_svg(SVG, credential)).payload) == credential


def test_svg_with_an_empty_root_element() -> None:
    baked = bake_svg(b'<svg xmlns="http://www.w3.org/2000/svg"/>', JWS)
    assert baked.endswith(b"</svg>")
    assert unbake(baked).payload == JWS


def test_svg_uses_the_namespace_the_root_declares() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"></svg>'
    baked = bake_svg(svg, JWS)
    assert baked.count(b"xmlns:openbadges") == 1
    assert unbake(baked).payload == JWS


@pytest.mark.parametrize(
    ("element", "payload"),
    [
        (
            '<openbadges:assertion verify="https://example.org/a.json"/>',
            "https://example.org/a.json",
        ),
        ('<openbadges:assertion><![CDATA[{"id": "x"}]]></openbadges:assertion>', '{"id": "x"}'),
    ],
    ids=["hosted-url", "json"],
)
def test_svg_reads_ob2_assertions(element: str, payload: str) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        f"{element}</svg>"
    )
    baked = unbake(svg.encode())
    assert (baked.payload, baked.version) == (payload, "ob2")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
  <openbadges:credential>&d;</openbadges:credential>
</svg>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>"""


@pytest.mark.parametrize("svg", [BOMB, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_hostile_svg_is_refused(svg: bytes) -> None:
    with pytest.raises(BakingError, match="refused"):
        unbake(svg)
    with pytest.raises(BakingError, match="refused"):
        bake_svg(svg, JWS)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed"),
        (b"<html><body/></html>", "not an SVG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "carries no credential"),
    ],
    ids=["malformed", "not-svg", "no-credential"],
)
def test_unreadable_svg_is_refused(svg: bytes, message: str) -> None:
    with pytest.raises(BakingError, match=message):
        unbake(svg)


def test_svg_in_another_encoding_cannot_be_baked() -> None:
    svg = b'<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(BakingError, match="UTF-8"):
        bake_svg(svg, JWS)


# --- dispatch ------------------------------------------------------------------------------


def test_bake_dispatches_on_the_image_type() -> None:
    assert unbake(bake(make_png(), JWS)).kind == "png"
    assert unbake(bake(SVG, JWS)).kind == "svg"


@pytest.mark.parametrize(
    "data", [b"GIF89a....", b"", b'{"not": "an image"}'], ids=["gif", "empty", "json"]
)
def test_bytes_that_are_not_an_image_are_refused(data: bytes) -> None:
    with pytest.raises(BakingError, match="neither"):
        unbake(data)
    with pytest.raises(BakingError, match="neither"):
        bake(data, JWS)


# --- the corpus ----------------------------------------------------------------------------


def image_cases() -> list[Any]:
    return [
        case
        for case in conformance.cases("1edtech-validator", "fixtures")
        if case["format"] in ("png", "svg")
    ]


@pytest.mark.parametrize("case", image_cases(), ids=lambda c: c.get("file", "absent"))
def test_corpus_images(case: dict[str, Any]) -> None:
    data = conformance.path("1edtech-validator", case["file"]).read_bytes()
    described = case["checked_here"]["baked"]
    if described is None:
        with pytest.raises(BakingError, match="carries no credential"):
            unbake(data)
        return
    baked = unbake(data)
    assert baked.kind == case["format"]
    marker = described.get("keyword") or described.get("element")
    assert baked.version == ("ob3" if marker.endswith("credential") else "ob2")
    if described["content"] == "JSON":
        assert isinstance(json.loads(baked.payload), dict)
    else:
        assert described["content"] == "compact JWS"
        assert baked.payload.count(".") == 2 and " " not in baked.payload
    rebaked = unbake(bake(data, baked.payload))
    assert (rebaked.payload, rebaked.version) == (baked.payload.strip(), "ob3")
