"""/verify in Chromium: a platform credential shows its holder, badge and page; a hostile one runs
nothing and breaks no Content-Security-Policy."""

from __future__ import annotations

import base64
import json

import pytest

from microcred.vc import Ed25519Multikey
from microcred.verification.samples import badge_png
from tests.browser import image_width
from tests.factories import unsigned_credential
from tests.platform.awards.factories import issue, make_issuer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" onload="alert(1)">'
    b"<script>alert(2)</script><rect width='16' height='16' fill='red'/></svg>"
)


def test_a_visitor_checks_a_platform_credential_and_an_email_address(browser, live_server) -> None:
    _, registrar, version = make_issuer(name="Universiteit Utrecht")
    award = issue(registrar, version, learner_email="ada@example.org", learner_name="Ada Lovelace")
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/verify")
    page.fill("textarea[name=credential]", award.signed_credential)
    page.fill("input[name=email]", "ada@example.org")
    page.click("form.card button[type=submit]")
    card = page.locator(".credential-card")
    assert "Issued to Ada Lovelace" in card.inner_text()
    assert card.locator(".email-check").inner_text() == (
        "This credential was issued to that email address."
    )
    assert image_width(card.locator("img")) > 0
    card.locator("a.credential-card-page").click()
    page.wait_for_url(f"**/credentials/{award.uuid}")
    assert page.locator(".credential-verdict-headline").inner_text() == "Verified"


@pytest.mark.parametrize(
    "image",
    [
        "data:image/svg+xml;base64," + base64.b64encode(SCRIPTED_SVG).decode(),
        "data:image/png;base64," + base64.b64encode(badge_png(16)).decode(),
    ],
)
def test_a_hostile_credential_runs_nothing(browser, live_server, image: str) -> None:
    credential = unsigned_credential(Ed25519Multikey.generate())
    credential["id"] = "javascript:alert(3)"
    credential["credentialSubject"]["achievement"]["image"] = {"id": image, "type": "Image"}
    credential["credentialSubject"]["identifier"].append(
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "<img src=x onerror=alert(4)><script>alert(5)</script>",
        }
    )
    dialogs: list[str] = []
    page = browser.new_context().new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/verify")
    page.fill("textarea[name=credential]", json.dumps(credential))
    page.click("form.card button[type=submit]")
    holder = page.locator(".credential-card-holder").inner_text()
    assert holder == "Claims to be issued to <img src=x onerror=alert(4)><script>alert(5)</script>"
    assert image_width(page.locator(".credential-card img")) > 0
    assert page.locator("a.credential-card-page").count() == 0
    page.wait_for_timeout(200)
    assert dialogs == []
