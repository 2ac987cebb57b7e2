"""Issuing in a real browser (Debian's Chromium, driven by Playwright), then verifying as anyone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.awards.models import Award
from tests.browser import image_width
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_registrar_issues_and_a_visitor_sees_the_credential_verified(
    browser, live_server, tmp_path
) -> None:
    _, registrar, version = make_issuer(name="Universiteit Utrecht", slug="uu")

    staff, page = sign_in(browser, live_server, registrar, "/studio/orgs/uu/awards/issue")

    page.select_option("select[name=version]", str(version.pk))
    page.fill("input[name=learner_email]", "ada@example.org")
    page.fill("input[name=learner_name]", "Ada Lovelace")
    page.fill("input[name=grade]", "Distinction")
    page.click("form.award-form button[type=submit]")
    page.wait_for_url("**/studio/orgs/uu/awards/*-*")
    assert "The credential was issued." in page.locator(".messages").inner_text()
    link = page.locator("a.credential-link").get_attribute("href")
    award = Award.objects.get(learner_email="ada@example.org")
    assert link == f"/credentials/{award.uuid}"
    staff.close()

    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(f"{live_server.url}{link}")
    assert page.locator("h1").inner_text() == version.title
    assert "Ada Lovelace" in page.locator(".credential-learner").inner_text()
    verdict = page.locator(".verdict")
    assert verdict.inner_text().startswith("Verified")
    assert verdict.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(232, 245, 236)"
    assert page.locator(".checks .status.failed").count() == 0
    assert image_width(page.locator(".credential-head img")) > 0
    page.screenshot(path=str(tmp_path / "credential.png"), full_page=True)
    visitor.close()


def test_a_registrar_revokes_with_two_reasons_and_issues_the_award_again(
    browser, live_server
) -> None:
    _, registrar, version = make_issuer(name="Universiteit Utrecht", slug="uu")
    old = issue(registrar, version, learner_name="Ada Lovelace", learner_email="ada@example.org")
    detail = f"/studio/orgs/uu/awards/{old.uuid}"

    staff, page = sign_in(browser, live_server, registrar, detail)
    revoke = page.locator("form.status-change", has_text="Revoke this credential")
    revoke.locator("textarea[name=reason]").fill("Under investigation: possible plagiarism")
    revoke.locator("textarea[name=public_reason]").fill("Issued in error.")
    revoke.locator("input[name=confirm]").check()
    revoke.locator("button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    # The same address as before, whose page shows the sign-in's message: wait for this one.
    expect(page.locator(".messages")).to_contain_text("Done: the credential is now revoked.")
    page.click("form.reissue button[type=submit]")
    page.wait_for_url(lambda url: str(old.uuid) not in url)
    new = Award.objects.get(replaces=old)
    assert page.url.endswith(f"/studio/orgs/uu/awards/{new.uuid}")
    assert page.locator("a.replaces-link").get_attribute("href") == detail
    staff.close()

    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(f"{live_server.url}/credentials/{old.uuid}")
    assert "Reason: Issued in error." in page.locator(".credential-verdict").inner_text()
    assert "plagiarism" not in page.content()
    page.goto(f"{live_server.url}/credentials/{new.uuid}")
    assert page.locator(".verdict").inner_text().startswith("Verified")
    visitor.close()
