"""A designer publishes to Credential Engine in a real browser (Debian's Chromium, driven by
Playwright), from the studio dashboard, and reads the registry's replies: an acceptance, then a
refusal with its messages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.credentialengine.models import Publication
from microcred.organisations.models import Role
from tests.platform.browser import sign_in
from tests.platform.catalogue.factories import make_published
from tests.platform.credentialengine.registry import Registry
from tests.platform.factories import add_member, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_designer_publishes_and_reads_the_registrys_replies(
    browser, live_server, registry: Registry
) -> None:
    version = make_published(title="Classroom assessment")
    organisation = version.microcredential.organisation
    designer = add_member(organisation, make_user(), Role.DESIGNER)

    context, page = sign_in(browser, live_server, designer, "/studio/")
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("text=Credential Engine")
    studio = f"/studio/orgs/{organisation.slug}/credential-engine/"
    page.wait_for_url(f"**{studio}")
    assert "Nothing has been published yet." in page.content()

    page.click("button.publish-ctdl")
    page.wait_for_url(f"**{studio}")
    assert "Credential Engine accepted the graph." in page.locator(".messages").inner_text()
    assert "Published" in page.locator("table.publications tbody tr").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    registry.refuse = ["ceterms:subjectWebpage must be a resolvable URL."]
    page.click("button.publish-ctdl")
    page.wait_for_url(f"**{studio}")
    # The page before, at the same address, has a message and a first row too: wait for these.
    expect(page.locator(".messages")).to_contain_text(
        "ceterms:subjectWebpage must be a resolvable URL."
    )
    newest = page.locator("table.publications tbody tr").first
    expect(newest).to_contain_text("Refused")
    expect(newest).to_contain_text("resolvable URL")
    assert [item.successful for item in Publication.objects.order_by("pk")] == [True, False]
    assert len(registry.requests) == 2
    context.close()
