"""Sign-up and password reset in a real browser (Debian's Chromium), the emails read from
Django's in-memory outbox."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from microcred.accounts.models import User
from tests.platform.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a passphrase of my own"


@pytest.fixture(autouse=True)
def _outbox(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def _link(live_server, path: str) -> str:
    [message] = mail.outbox
    mail.outbox = []
    [found] = re.findall(rf"https?://\S+({re.escape(path)}\S+)", message.body)[:1]
    return f"{live_server.url}{found}"


def test_a_new_visitor_signs_up_verifies_and_lands_on_me(browser, live_server) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.click("nav.account >> text=Sign up")
    page.fill("input[name=email]", "grace@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/confirm-email")
    assert "Check your email" in page.locator("h1").inner_text()

    page.goto(_link(live_server, "/confirm-email/"))
    assert "grace@example.org" in page.locator("main").inner_text()
    page.click("main button[type=submit]")
    page.wait_for_url("**/login")

    page.fill("input[name=login]", "grace@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit] >> text=Sign in")
    page.wait_for_url("**/me/")
    assert "Sign out" in page.locator("nav.account").inner_text()
    assert User.objects.get(email="grace@example.org").username == "grace"
    context.close()


def test_a_forgotten_password_is_reset_end_to_end(browser, live_server) -> None:
    make_user(email="hedy@example.org")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/login")
    page.click("text=Forgotten your password?")
    page.wait_for_url("**/password-reset")
    page.fill("input[name=email]", "hedy@example.org")
    page.click("main button[type=submit]")
    page.wait_for_url("**/password-reset/done")

    page.goto(_link(live_server, "/password-reset/key/"))
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/password-reset/key/done")

    page.click("main >> text=Sign in")
    page.fill("input[name=login]", "hedy@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit] >> text=Sign in")
    page.wait_for_url("**/me/")
    context.close()
