"""The verification page in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import json

import pytest

from microcred.vc import Ed25519Multikey
from microcred.vc.baking import bake
from microcred.verification.samples import badge_png
from tests.factories import signed_credential

pytestmark = pytest.mark.browser


def test_a_visitor_pastes_a_credential_and_sees_it_verified(page, live_server) -> None:
    key = Ed25519Multikey.generate()
    page.goto(f"{live_server.url}/verify")
    page.fill("textarea[name=credential]", json.dumps(signed_credential(key)))
    page.click("button[type=submit]")
    verdict = page.locator(".verdict")
    assert verdict.inner_text().startswith("Verified")
    # Styled by the stylesheet: a green banner, not the browser's default transparent box.
    assert verdict.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(232, 245, 236)"
    assert page.locator(".checks .status.failed").count() == 0


def test_a_visitor_uploads_a_tampered_badge_and_sees_why_it_fails(
    page, live_server, tmp_path
) -> None:
    key = Ed25519Multikey.generate()
    signed = signed_credential(key)
    signed["credentialSubject"]["achievement"]["name"] = "Forged"
    image = tmp_path / "badge.png"
    image.write_bytes(bake(badge_png(), json.dumps(signed)))
    page.goto(f"{live_server.url}/verify")
    page.set_input_files("input[type=file]", str(image))
    page.click("button[type=submit]")
    assert page.locator(".verdict").inner_text().startswith("Not verified")
    failed = page.locator(".checks li", has=page.locator(".status.failed"))
    assert "signature" in failed.first.inner_text().lower()
    page.screenshot(path=str(tmp_path / "verify.png"), full_page=True)


def test_submitting_nothing_shows_an_error(page, live_server) -> None:
    page.goto(f"{live_server.url}/verify")
    page.click("button[type=submit]")
    assert "Paste a credential or choose a file" in page.locator(".errorlist").inner_text()


def test_a_visitor_chooses_german_in_the_footer_and_keeps_it(page, live_server) -> None:
    page.goto(f"{live_server.url}/verify")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#language-switch", "de")
    with page.expect_navigation():
        page.click(".language-switch button[type=submit]")
    assert page.url.endswith("/verify")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Nachweis prüfen" in page.inner_text("main")
    page.goto(f"{live_server.url}/verify")
    assert page.locator("html").get_attribute("lang") == "de"
