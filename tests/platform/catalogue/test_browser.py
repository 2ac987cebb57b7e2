"""The catalogue's pages of results in a real browser (Debian's Chromium, driven by Playwright):
a visitor searches, goes forward and back a page, and a new search starts on the first page."""

from __future__ import annotations

import pytest

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
    assert titles.all_inner_texts() == ["Welding 0", "Welding 1"]
    assert page.locator("nav.pagination [rel=prev]").count() == 0

    page.click("nav.pagination >> text=Next page")
    assert titles.all_inner_texts() == ["Welding 2", "Welding 3"]
    assert page.locator("p[role=status]").inner_text() == "Results 3 to 4"
    assert page.locator("nav.pagination [aria-current=page]").inner_text() == "Page 2"

    page.click("nav.pagination >> text=Next page")
    assert titles.all_inner_texts() == ["Welding 4"]
    assert page.locator("nav.pagination [rel=next]").count() == 0

    page.click("nav.pagination >> text=Previous page")
    assert titles.all_inner_texts() == ["Welding 2", "Welding 3"]

    # The search box starts a new search on its first page.
    page.fill("input[name=q]", "arc")
    page.click("button:has-text('Search')")
    assert "page=" not in page.url
    assert titles.all_inner_texts() == ["Welding 0", "Welding 1"]
