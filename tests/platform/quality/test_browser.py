"""Quality assurance end to end in a real browser (Debian's Chromium, driven by Playwright).

A designer submits a draft whose first outcome starts with a vague verb, sees
the blocking finding, fixes it and submits again; a QA reviewer walks the
checklist and approves; the designer publishes; the QA report is public.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.catalogue import services as catalogue
from microcred.organisations.models import Role
from tests.platform.browser import sign_in
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import vet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_fix_review_approve_publish_and_the_report_is_public(
    browser, live_server, tmp_path
) -> None:
    organisation = make_organisation(name="Hogeschool Utrecht", slug="hu")
    vet(organisation)
    designer = add_member(organisation, make_user("dana"), Role.DESIGNER)
    reviewer = add_member(organisation, make_user("rui"), Role.QA_REVIEWER)
    draft = make_draft(
        organisation,
        actor=designer,
        title="Classroom assessment",
        outcomes=["Understand classroom assessment", "Give feedback that helps students learn"],
    )
    version_path = "/studio/orgs/hu/credentials/classroom-assessment/v1/"

    context, page = sign_in(browser, live_server, designer, version_path)
    panel = page.locator(".quality-status")
    assert "Not submitted for quality review yet." in panel.inner_text()
    page.click("text=Submit for quality review")
    page.wait_for_url(f"**{version_path}")
    # The same address as before, whose page shows the sign-in's message: wait for this one.
    expect(page.locator(".messages")).to_contain_text("Not submitted: fix the 1 blocking finding")
    assert "Not submitted for quality review yet." in panel.inner_text()
    blocking = page.locator(".quality-status .finding-error")
    assert blocking.count() == 1
    assert "'understand'" in blocking.inner_text()
    assert "Learning outcomes, outcome 1" in blocking.inner_text()
    assert "Not publishable yet" in panel.inner_text()

    page.click("text=Edit the draft")
    page.wait_for_url(f"**{version_path}edit")
    page.fill(
        "textarea[name=o-outcomes]",
        "Design classroom assessments\nGive feedback that helps students learn",
    )
    # The findings follow the unsaved form.
    expect(page.locator(".quality-status .finding-error")).to_have_count(0)
    page.fill("textarea[name=o-outcomes]", "Know assessment\nGive feedback")
    expect(page.locator(".quality-status .finding-error")).to_contain_text("'know'")
    page.fill(
        "textarea[name=o-outcomes]",
        "Design classroom assessments\nGive feedback that helps students learn",
    )
    expect(page.locator(".quality-status .finding-error")).to_have_count(0)
    # Saved, the form comes back at the same address and the page before has no finding
    # either: wait for the new page itself.
    with page.expect_navigation(url=f"**{version_path}edit"):
        page.click("form.design-form button[type=submit]")
    expect(page.locator(".quality-status .finding-error")).to_have_count(0)
    page.click("text=Submit for quality review")
    page.wait_for_url(f"**{version_path}")
    assert "submitted for quality review" in page.locator(".messages").inner_text()
    assert "In internal review" in page.locator(".quality-status").inner_text()
    context.close()

    context, page = sign_in(browser, live_server, reviewer, "/studio/orgs/hu/quality/")
    page.click("table.queue >> text=Classroom assessment")
    page.wait_for_url("**/studio/orgs/hu/quality/classroom-assessment/v1/")
    rows = page.locator("table.checklist tbody tr")
    assert rows.count() >= 3
    for index in range(rows.count()):
        rows.nth(index).get_by_label("Met", exact=True).check()
    page.fill("textarea[name=comment-0-text]", "Clear, assessable outcomes.")
    page.select_option("select[name=comment-0-field]", "outcomes")
    page.get_by_label("Approve").check()
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.click("form.review-form button[type=submit]")
    page.wait_for_url("**/studio/orgs/hu/quality/")
    assert "is approved" in page.locator(".messages").inner_text()
    context.close()

    context, page = sign_in(browser, live_server, designer, version_path)
    assert "Approved by rui" in page.locator(".quality-status").inner_text()
    page.click(".quality-status >> text=Publish…")
    page.check("main form input[name=confirm]")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{version_path}")
    assert "is published" in page.locator(".messages").inner_text()
    context.close()

    version = catalogue.get_version(organisation="hu", slug="classroom-assessment")
    assert version.pk == draft.pk and version.status == "published"
    visitor = browser.new_context()
    page = visitor.new_page()
    response = page.goto(f"{live_server.url}/qa/hu/classroom-assessment/v1/")
    assert response.status == 200
    assert "Classroom assessment" in page.locator("main").inner_text()
    visitor.close()


def test_a_finding_shows_beside_its_field_while_editing_and_the_panel_links_to_it(
    browser, live_server
) -> None:
    organisation = make_organisation(name="Hogeschool Utrecht", slug="hu")
    designer = add_member(organisation, make_user("dana"), Role.DESIGNER)
    make_draft(organisation, actor=designer, title="Classroom assessment")
    context, page = sign_in(
        browser, live_server, designer, "/studio/orgs/hu/credentials/classroom-assessment/v1/edit"
    )
    beside = page.locator('ul.field-findings[data-for="id_c-ECTS"] li')
    expect(beside).to_have_count(0)
    page.fill("#id_c-ECTS", "10")
    expect(beside).to_have_count(1)
    expect(beside).to_contain_text("ECTS credits: 10 does not match 55 hours")
    field, finding = page.locator("#id_c-ECTS").bounding_box(), beside.bounding_box()
    assert field is not None and finding is not None
    assert abs(finding["y"] - (field["y"] + field["height"])) < 300

    # The panel at the top of the page links down to the field.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator('#quality-findings a[href="#id_c-ECTS"]').click()
    expect(page.locator("#id_c-ECTS")).to_be_in_viewport()
    context.close()
