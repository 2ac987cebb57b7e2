"""The issuer's public page: its micro-credentials in the catalogue, and a layout that fits a
phone (checked in Debian's Chromium)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.platform.catalogue.factories import make_draft, make_published
from tests.platform.factories import make_organisation

PHONE_WIDTH = 390


def lakeside():
    """An issuer whose page has long unbroken text: its DID, its website, a long title."""
    organisation = make_organisation(
        name="Lakeside University of Applied Sciences and Professional Education",
        slug="lakeside-university-of-applied-sciences-and-education",
    )
    make_published(
        organisation,
        title="Interdisciplinary research-data-stewardship-and-reproducibility fundamentals",
        languages=["en", "de"],
    )
    make_published(organisation, title="Classroom assessment")
    make_draft(organisation, title="Draft not yet public")
    return organisation


def test_the_issuer_page_lists_its_published_micro_credentials(client: Client) -> None:
    organisation = lakeside()
    make_published(title="Someone else's credential")
    page = client.get(f"/orgs/{organisation.slug}/").content.decode()
    assert "<h2>Micro-credentials</h2>" in page
    assert "Classroom assessment" in page
    assert f'href="/catalogue/{organisation.slug}/classroom-assessment/"' in page
    assert "English, German" in page
    assert "Draft not yet public" not in page and "Someone else" not in page


def test_an_issuer_with_nothing_published_says_so(client: Client) -> None:
    organisation = make_organisation(slug="quiet")
    make_draft(organisation)
    page = client.get("/orgs/quiet/").content.decode()
    assert "None published yet." in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_issuer_page_fits_a_phone(browser, live_server) -> None:
    organisation = lakeside()
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/orgs/{organisation.slug}/")
    assert page.locator(".profile-entries li").count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is {width} px wide"
    context.close()
