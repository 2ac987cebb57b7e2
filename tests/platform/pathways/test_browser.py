"""Pathways in a real browser (Debian's Chromium, driven by Playwright): a designer finds a
component of another organisation and creates a pathway with it; a learner completes a
pathway: the last component is awarded, the learner requests the stacked credential and
downloads a learner record (CLR) that `microcred verify` verifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from microcred.awards.models import LearnerRecord
from microcred.catalogue import services as catalogue
from microcred.organisations.models import Role
from microcred.pathways.models import Pathway
from tests.platform.awards.factories import make_version
from tests.platform.awards.test_clr import verify_with_cli
from tests.platform.browser import sign_in
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.pathways.factories import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_completes_the_last_component_and_receives_the_stacked_credential(
    browser, live_server, tmp_path: Path
) -> None:
    world = make_world()
    learner = world.learner(holds=2)
    url = f"/pathways/{world.organisation.slug}/{world.pathway.slug}/"

    context, page = sign_in(browser, live_server, learner, "/me/credentials/import")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{url}")
    assert page.locator(".pathway-component.done").count() == 2
    assert "Data Visualisation missing" in page.locator(".pathway-component.missing").inner_text()
    assert page.locator("button.request-stacked").count() == 0
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    world.award(learner, world.versions[2])  # the last component is assessed and awarded
    page.reload()
    assert page.locator(".pathway-component.done").count() == 3
    assert page.locator("progress").first.get_attribute("value") == "100"
    page.click("button.request-stacked")
    page.wait_for_url(f"**{url}")
    assert "Your stacked credential was issued." in page.locator(".messages").inner_text()
    link = page.locator("a.stacked-credential-link")
    assert link.inner_text() == world.target.title

    with page.expect_download() as download:
        page.click("a.learner-record-link")
    saved = tmp_path / "learner-record.json"
    download.value.save_as(saved)
    record = LearnerRecord.objects.get(learner=learner)
    assert saved.read_text() == record.signed_credential
    assert record.awards.count() == 4

    page.click("a.stacked-credential-link")
    assert page.locator(".verdict").inner_text().startswith("Verified")
    context.close()

    exit_code, output = verify_with_cli(record, tmp_path)
    assert exit_code == 0, output


def test_a_designer_finds_another_organisations_component_and_creates_the_pathway(
    browser, live_server
) -> None:
    world = make_world()
    designer = add_member(world.organisation, make_user(), Role.DESIGNER)
    welding = make_version(make_organisation(name="Harbour College"), title="Underwater Welding")
    base = f"/studio/orgs/{world.organisation.slug}/pathways/"

    context, page = sign_in(browser, live_server, designer, base)
    assert page.get_by_label("Underwater Welding · Harbour College").count() == 0
    page.fill("input[name=name]", "Maritime Data")
    page.get_by_label(f"Statistics · {world.organisation.name}").check()
    page.fill("input[name=find]", "welding")
    with page.expect_navigation(url=f"**{base}"):
        page.click("button.find-components")
    # What was written and ticked is there again, beside what the words found.
    expect(page.locator("input[name=name]")).to_have_value("Maritime Data")
    expect(page.get_by_label(f"Statistics · {world.organisation.name}")).to_be_checked()
    page.get_by_label("Underwater Welding · Harbour College").check()
    page.select_option("select[name=target]", label=f"{world.target.title} (v1)")
    with page.expect_navigation(url="**/pathways/maritime-data/"):
        page.click("main form.design-form button[type=submit]:not(.find-components)")
    expect(page.locator(".messages")).to_contain_text("Maritime Data was created as a draft.")
    context.close()

    children = Pathway.objects.get(slug="maritime-data").rules["children"]
    assert [child["name"] for child in children] == ["Statistics", "Underwater Welding"]
    assert children[1]["achievement"] == catalogue.achievement_id(welding)
