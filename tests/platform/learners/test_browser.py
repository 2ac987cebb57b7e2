"""The learner makes a credential private and shares it by link, in Debian's Chromium."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import image_width
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.browser import sign_in
from tests.platform.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_private_credential_opens_only_through_a_live_share_link(
    browser, live_server, tmp_path
) -> None:
    _, registrar, version = make_issuer(name="Universiteit Utrecht", slug="uu")
    learner = make_user("ada")
    award = issue(registrar, version, learner_email=learner.email, learner_name="Ada Lovelace")
    plain = f"{live_server.url}/credentials/{award.uuid}"

    own, page = sign_in(browser, live_server, learner, "/me/credentials/")
    page.click(f"a.held-award-link:text('{version.title}')")
    page.wait_for_url(f"**/me/credentials/{award.uuid}")
    page.click("button.make-private")
    # The page before has the same element, saying "Public": wait for the new page's.
    expect(page.locator(".visibility-now")).to_have_text(re.compile(r"^Private"))
    page.fill("#share-label", "My new employer")
    page.click("button.create-share-link")
    address = page.locator("input.share-link-address").input_value()
    link = f"{live_server.url}{urlsplit(address).path}"
    assert page.locator(".embed-code").input_value().startswith("<iframe")
    page.screenshot(path=str(tmp_path / "my-credential.png"), full_page=True)

    visitor = browser.new_context()
    anonymous = visitor.new_page()
    assert anonymous.goto(plain).status == 404
    assert anonymous.goto(link).status == 200
    assert anonymous.locator("h1").inner_text() == version.title
    assert anonymous.locator(".verdict").inner_text().startswith("Verified")
    assert "Ada Lovelace" in anonymous.locator(".credential-learner").inner_text()
    # The badge image on the page opens too: the session keeps the link's token.
    assert image_width(anonymous.locator(".credential-head img")) > 0

    page.click("button.revoke-share-link")
    expect(page.locator("tr.share-link.revoked")).to_have_count(1)
    own.close()

    assert anonymous.goto(link).status == 404
    assert anonymous.goto(plain).status == 404
    visitor.close()
