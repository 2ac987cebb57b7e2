"""Signing in through the login page in a real browser, shared by the browser tests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from microcred.accounts.models import User
from tests.platform.factories import PASSWORD


def sign_in(
    browser: Browser, live_server: Any, user: User, path: str
) -> tuple[BrowserContext, Page]:
    """Open ``path`` in a new context (its own cookies, so each user signs in separately), sign
    in on the login page it sends us to and come back to ``path``; close the context when done."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    assert "/login" in page.url
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{path}")
    return context, page
