"""The catalogue's pages of results in a real browser (Debian's Chromium, driven by Playwright):
a visitor searches, goes forward and back a page, and a new search starts on the first page.

A click that follows a link returns before the next page has loaded, so every check on the page
after one is Playwright's ``expect``, which waits for the page to show what it asserts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.platform.catalogue.factories import make_published
from tests.platform.factories import make_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_pages_through_the_results_and_searches_again(
    page, live_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred.catalogue import views

    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 2)
    organisation = make_organisation(slug="welders", name="Northern Welding Academy")
    for number in range(5):
        make_published(organisation, title=f"Welding {number}", description="Arc welding.")
    titles = page.locator(".catalogue-list h2")

    page.goto(f"{live_server.url}/catalogue/")
    page.fill("input[name=q]", "welding")
    page.click("button:has-text('Search')")
    expect(page).to_have_url(re.compile(r"[?&]q=welding(&|$)"))
    expect(titles).to_have_text(["Welding 0", "Welding 1"])
    expect(page.locator("nav.pagination [rel=prev]")).to_have_count(0)

    page.click("nav.pagination >> text=Next page")
    expect(titles).to_have_text(["Welding 2", "Welding 3"])
    expect(page.locator("p[role=status]")).to_have_text("Results 3 to 4")
    expect(page.locator("nav.pagination [aria-current=page]")).to_have_text("Page 2")

    page.click("nav.pagination >> text=Next page")
    expect(titles).to_have_text(["Welding 4"])
    expect(page.locator("nav.pagination [rel=next]")).to_have_count(0)

    page.click("nav.pagination >> text=Previous page")
    expect(titles).to_have_text(["Welding 2", "Welding 3"])

    # The search box starts a new search on its first page.
    page.fill("input[name=q]", "arc")
    page.click("button:has-text('Search')")
    expect(page).to_have_url(re.compile(r"[?&]q=arc(&|$)"))
    expect(titles).to_have_text(["Welding 0", "Welding 1"])
    assert "page=" not in page.url
