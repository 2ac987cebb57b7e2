"""Hostile content: an uploaded SVG badge never keeps anything that runs or fetches, and
every SVG or user-supplied file is served sandboxed (issue 9, "Stored XSS through badge SVGs").

Run alone: ``python -m pytest tests/security/test_hostile_content.py``.
"""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.awards.views import CERTIFICATE_POLICY
from microcred.catalogue.images import SVG_ATTRIBUTES, SVG_ELEMENTS, SVG_NAMESPACE, clean_svg
from microcred.errors import InvalidInput
from microcred.site.security import USER_CONTENT_POLICY
from microcred.vc import LocalFetcher, verify
from microcred.vc.baking import unbake
from tests.platform.assessment.factories import (
    PDF,
    make_assessed_version,
    make_enrolment,
    make_submission,
)
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.awards.verifying import published_documents

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
XHTML = "http://www.w3.org/1999/xhtml"

# Each is an attack that was, or could have been, stored and served from the platform's origin.
HOSTILE_SVGS = {
    "script element": "<script>fetch('/studio/tokens')</script>",
    "script in CDATA": "<script><![CDATA[ alert(document.cookie) ]]></script>",
    "xhtml script by prefix": f'<h:script xmlns:h="{XHTML}">alert(1)</h:script>',
    "iframe srcdoc in foreignObject": (
        f'<foreignObject width="10" height="10"><iframe xmlns="{XHTML}" '
        'srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"></iframe></foreignObject>'
    ),
    "xhtml body in foreignObject": (
        f'<foreignObject><body xmlns="{XHTML}"><img src="x" onerror="alert(1)"/></body>'
        "</foreignObject>"
    ),
    "xhtml default namespace on a group": f'<g xmlns="{XHTML}"><a href="#x">link</a></g>',
    "javascript: href": '<a href="javascript:alert(1)"><text>click</text></a>',
    "javascript: xlink:href": '<a xlink:href="javascript:alert(1)"><text>click</text></a>',
    "javascript: in use": '<use href="javascript:alert(1)"/>',
    "javascript: src": '<image src="javascript:alert(1)" width="1" height="1"/>',
    "event attribute": '<circle r="4" onmouseover="alert(1)" onclick="alert(2)"/>',
    "event attribute on the root via a child svg": '<svg onload="alert(1)"/>',
    "external image": '<image href="https://attacker.example/track.png" width="1" height="1"/>',
    "external use": '<use href="https://attacker.example/sprite.svg#icon"/>',
    "svg as data: image": (
        '<image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" width="1"/>'
    ),
    "css url(javascript:) in style": '<rect width="4" height="4" style="fill: url(javascript:x)"/>',
    "css url() to another site in paint": '<rect width="4" fill="url(https://attacker.example/#g)"/>',
    "css escape in style": '<rect width="4" style="fill: u\\72l(https://attacker.example/)"/>',
    "style sheet with @import": "<style>@import url(https://attacker.example/x.css);</style>",
    "animation writing an href": (
        '<a><set attributeName="href" to="javascript:alert(1)"/><text>click</text></a>'
    ),
    "animate writing an event": '<animate attributeName="onbegin" values="alert(1)"/>',
    "feImage fetching": '<filter id="f"><feImage href="https://attacker.example/x.png"/></filter>',
    "namespace declaration to xhtml": f'<g xmlns:xlink="{XHTML}"><use xlink:href="#a"/></g>',
}


def hostile(body: str) -> bytes:
    return f'{SVG_OPEN}<circle id="a" r="4" fill="#2f5bd3"/>{body}</svg>'.encode()


def assert_only_drawing(svg: bytes) -> None:
    """The cleaned SVG holds allow-listed SVG elements and attributes, referring only inside."""
    root = defusedxml.ElementTree.fromstring(svg)
    for element in root.iter():
        namespace, _, name = str(element.tag)[1:].partition("}")
        assert namespace == SVG_NAMESPACE and name in SVG_ELEMENTS, element.tag
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            assert local in SVG_ATTRIBUTES and not local.lower().startswith("on"), attribute
            if local == "href":
                assert value.startswith("#") or value.startswith("data:image/png"), value
    text = svg.decode().lower()
    for trace in ("javascript", "attacker.example", "script", "iframe", "foreignobject", "onload"):
        assert trace not in text, trace


@pytest.mark.parametrize("body", HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_a_hostile_svg_is_cleaned_down_to_its_drawing(body: str) -> None:
    cleaned = clean_svg(hostile(body))
    assert_only_drawing(cleaned)
    assert b'<circle id="a" r="4" fill="#2f5bd3">' in cleaned


REFUSED_SVGS = {
    "entity expansion (billion laughs)": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    ),
    "not well-formed": b'<svg xmlns="http://www.w3.org/2000/svg"><circle></svg>',
    "no SVG namespace": b'<svg onload="alert(1)"><circle r="4"/></svg>',
    "xhtml root": f'<html xmlns="{XHTML}"><script>alert(1)</script></html>'.encode(),
    "not UTF-8": '<svg xmlns="http://www.w3.org/2000/svg"><text>\u00e9</text></svg>'.encode(
        "latin-1"
    ),
    "HTML, not an image": b"<!doctype html><script>alert(1)</script>",
}


@pytest.mark.parametrize("data", REFUSED_SVGS.values(), ids=REFUSED_SVGS.keys())
def test_an_svg_that_cannot_be_read_safely_is_refused_naming_the_image(data: bytes) -> None:
    with pytest.raises(InvalidInput) as raised:
        clean_svg(data)
    assert raised.value.field == "image"
    assert "SVG" in raised.value.message or "PNG" in raised.value.message


def test_an_ordinary_badge_keeps_its_drawing() -> None:
    """Gradients, xlink references, filters, text and an inline raster logo survive cleaning."""
    logo = "data:image/png;base64,iVBORw0KGgo="
    badge = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- made with a drawing program -->\n'
        f'{SVG_OPEN[:-1]} viewBox="0 0 100 100" width="100" height="100">'
        "<title>Data Stewardship</title>"
        '<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#ffc400"/>'
        '<stop offset="1" stop-color="#2f5bd3"/></linearGradient>'
        '<filter id="s"><feGaussianBlur stdDeviation="2"/></filter></defs>'
        '<circle id="c" cx="50" cy="50" r="48" fill="url(#g)" filter="url(#s)"/>'
        '<use xlink:href="#c" transform="scale(0.5)"/>'
        f'<image href="{logo}" x="40" y="40" width="20" height="20"/>'
        '<text x="50" y="90" text-anchor="middle" style="font-weight: bold">DS&#160;1</text>'
        "</svg>"
    ).encode()
    cleaned = clean_svg(badge)
    assert_only_drawing(cleaned)
    root = defusedxml.ElementTree.fromstring(cleaned)
    names = [str(element.tag).split("}")[1] for element in root.iter()]
    assert names == [
        "svg", "title", "defs", "linearGradient", "stop", "stop", "filter", "feGaussianBlur",
        "circle", "use", "image", "text",
    ]  # fmt: skip
    assert f'href="{logo}"'.encode() in cleaned and b'xlink:href="#c"' in cleaned
    assert b'fill="url(#g)"' in cleaned and b'style="font-weight: bold"' in cleaned
    assert root.find(f"{{{SVG_NAMESPACE}}}text").text == "DS\u00a01"


# -- through the platform --------------------------------------------------------------------


def _every_hostile_svg() -> bytes:
    return hostile("".join(HOSTILE_SVGS.values()))


def _assert_sandboxed(response: Any) -> None:
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == USER_CONTENT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_designers_hostile_badge_is_stored_clean_and_served_sandboxed(client) -> None:
    organisation, _, _ = make_issuer()
    upload = SimpleUploadedFile("badge.svg", _every_hostile_svg())
    version = make_version(organisation, image=upload)
    with version.image.open("rb") as stored:
        assert_only_drawing(stored.read())
    response = client.get(f"/achievements/{version.achievement_uuid}/image")
    _assert_sandboxed(response)
    assert response["Content-Type"] == "image/svg+xml"
    assert_only_drawing(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_a_credential_baked_into_a_cleaned_badge_unbakes_and_verifies(client) -> None:
    organisation, registrar, _ = make_issuer()
    upload = SimpleUploadedFile("badge.svg", _every_hostile_svg())
    award = issue(registrar, make_version(organisation, image=upload))
    response = client.get(f"/credentials/{award.uuid}.svg")
    _assert_sandboxed(response)
    baked = response.content
    assert b'<circle id="a" r="4" fill="#2f5bd3">' in baked  # the designer's own badge
    for trace in (b"javascript", b"attacker.example", b"<script", b"foreignObject"):
        assert trace not in baked
    assert unbake(baked).payload == award.signed_credential
    [report] = verify(baked, fetcher=LocalFetcher(published_documents(award)))
    assert report.verified, report


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["png", "svg", "json"])
def test_every_credential_download_is_sandboxed(client, suffix: str) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    _assert_sandboxed(client.get(f"/credentials/{award.uuid}.{suffix}"))


@pytest.mark.django_db
def test_the_pdf_certificate_opens_in_the_pdf_viewer_but_runs_nothing_else(client) -> None:
    """Made by the platform, not uploaded: no sandbox, which Chromium's PDF viewer refuses."""
    _, registrar, version = make_issuer()
    response = client.get(f"/credentials/{issue(registrar, version).uuid}.pdf")
    assert response["Content-Security-Policy"] == CERTIFICATE_POLICY
    assert "default-src 'none'" in CERTIFICATE_POLICY and "sandbox" not in CERTIFICATE_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_learners_evidence_file_is_served_sandboxed(client) -> None:
    submission = make_submission(make_enrolment(make_assessed_version()))
    item = submission.evidence.get()
    client.force_login(submission.enrolment.learner)
    response = client.get(f"/evidence/{item.uuid}/file")
    _assert_sandboxed(response)
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_badge_stored_before_cleaning_runs_no_script_when_opened(page, live_server) -> None:
    """A hostile SVG already in storage (uploaded before badges were cleaned) is opened in
    Chromium: the sandbox policy stops its script, on the badge and on the credential."""
    _, registrar, version = make_issuer()
    raw = hostile(
        "<script>document.documentElement.setAttribute('data-ran', 'yes');"
        "fetch('/studio/tokens', {method: 'POST'});</script>"
    )
    ran = "document.documentElement.getAttribute('data-ran')"
    # The control: served from the same origin without the policy, the script runs.
    unprotected = f"{live_server.url}/unprotected.svg"
    page.route(unprotected, lambda route: route.fulfill(body=raw, content_type="image/svg+xml"))
    page.goto(unprotected)
    assert page.evaluate(ran) == "yes"

    version.image.save("legacy.svg", ContentFile(raw))
    award = issue(registrar, version)
    for path in (
        f"/achievements/{version.achievement_uuid}/image",
        f"/credentials/{award.uuid}.svg",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(ran) is None, path
