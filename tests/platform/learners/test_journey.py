"""The learner's journey of issue 10 in Debian's Chromium, end to end: a new visitor signs up
and verifies the address, a registrar issues to that address through the studio form, the
learner finds the credential on /me/credentials/, makes it private and shares a link, and an
anonymous visitor opens the link and sees it verified (the plain address answers 404)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from microcred.awards.models import Award
from tests.platform.awards.factories import make_issuer
from tests.platform.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a passphrase of my own"


@pytest.fixture(autouse=True)
def _outbox(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def test_sign_up_be_issued_share_privately(browser, live_server) -> None:
    _, registrar, version = make_issuer(name="Universiteit Utrecht", slug="uu")

    newcomer = browser.new_context()
    page = newcomer.new_page()
    page.goto(f"{live_server.url}/signup")
    page.fill("input[name=email]", "grace@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/confirm-email")
    [message] = mail.outbox
    [path] = re.findall(r"https?://[^/\s]+(/\S*confirm-email/\S+)", message.body)
    page.goto(f"{live_server.url}{path}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/login")
    page.fill("input[name=login]", "grace@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit] >> text=Sign in")
    page.wait_for_url("**/me/")

    staff, desk = sign_in(browser, live_server, registrar, "/studio/orgs/uu/awards/issue")
    desk.select_option("select[name=version]", str(version.pk))
    desk.fill("input[name=learner_email]", "grace@example.org")
    desk.fill("input[name=learner_name]", "Grace Hopper")
    desk.click("main form button[type=submit]")
    desk.wait_for_url(re.compile(r".*/studio/orgs/uu/awards/[0-9a-f-]{36}$"))
    staff.close()
    award = Award.objects.get(learner_email="grace@example.org")

    page.goto(f"{live_server.url}/me/credentials/")
    page.click(f"a.held-award-link:text('{version.title}')")
    page.wait_for_url(f"**/me/credentials/{award.uuid}")
    page.click("button.make-private")
    # The page before has the same element, saying "Public": wait for the new page's.
    expect(page.locator(".visibility-now")).to_have_text(re.compile(r"^Private"))
    page.click("button.create-share-link")
    address = page.locator("input.share-link-address").input_value()
    newcomer.close()

    visitor = browser.new_context()
    anonymous = visitor.new_page()
    assert anonymous.goto(f"{live_server.url}/credentials/{award.uuid}").status == 404
    assert anonymous.goto(f"{live_server.url}{urlsplit(address).path}").status == 200
    assert anonymous.locator(".verdict").inner_text().startswith("Verified")
    assert "Grace Hopper" in anonymous.locator(".credential-learner").inner_text()
    visitor.close()
