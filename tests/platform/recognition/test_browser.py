"""Recognition of prior learning in a real browser (Debian's Chromium, driven by Playwright):
a learner finds the version in the catalogue and applies with a credential from another
issuer and a file, one evaluator proposes full recognition, a second confirms it, and the
learner finds the award."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from microcred.organisations.models import Role
from tests.platform.assessment.factories import PDF
from tests.platform.awards.factories import make_version
from tests.platform.browser import sign_in
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.recognition.factories import external_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_is_recognised_by_two_evaluators_and_sees_the_award(
    browser, live_server, tmp_path: Path
) -> None:
    organisation = make_organisation(name="University of Tartu Demo")
    version = make_version(organisation, title="Data Visualisation")
    first = add_member(organisation, make_user(), Role.EVALUATOR)
    second = add_member(organisation, make_user(), Role.EVALUATOR)
    learner = make_user(first_name="Ada", last_name="Lovelace")
    credential = external_credential(learner)
    certificate = tmp_path / "newsroom-certificate.pdf"
    certificate.write_bytes(PDF)

    # The learner finds the version in the catalogue, then applies, with a credential from
    # another issuer and a file.
    context, page = sign_in(browser, live_server, learner, "/me/recognition/apply")
    page.fill("input[name=q]", "visualisation")
    with page.expect_navigation(url="**/me/recognition/apply?q=visualisation"):
        page.click("main form[role=search] button[type=submit]")
    with page.expect_navigation(url=f"**/me/recognition/apply?version={version.achievement_uuid}"):
        page.click(".version-choices a >> text=Data Visualisation")
    expect(page.locator(".chosen-version")).to_contain_text("Data Visualisation")
    page.fill("textarea[name=statement]", "Two years building dashboards in a newsroom.")
    page.select_option("select[name=learning_setting]", "non-formal")
    page.fill("textarea[name=credential]", credential)
    page.set_input_files("input[name=evidence_files]", str(certificate))
    page.click("main button[type=submit]")
    # The request's own address: the form's, /me/recognition/apply?version=<uuid>, matches
    # "**/me/recognition/*-*" too.
    page.wait_for_url(re.compile(r".*/me/recognition/[0-9a-f-]{36}$"))
    request_url = page.url
    assert "Your request is with the evaluators." in page.locator(".messages").inner_text()
    assert page.locator('.submitted[data-verified="true"]').count() == 1
    assert "newsroom-certificate.pdf" in page.locator(".evidence-files").inner_text()
    assert page.locator(".request-status").inner_text() == "Waiting for an evaluator"
    request_uuid = request_url.rstrip("/").rsplit("/", 1)[-1]
    context.close()

    studio = f"/studio/orgs/{organisation.slug}/recognition/{request_uuid}"

    # The first evaluator compares, opens the file, and proposes full recognition.
    context, page = sign_in(browser, live_server, first, studio)
    assert "Data Visualisation" in page.locator("main").inner_text()
    assert page.locator('.submitted[data-verified="true"]').count() == 1
    with page.expect_download() as download:
        page.click(".evidence-file a")
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    page.check("input[name=decision][value=full]")
    page.fill("textarea[name=reasons]", "The newsroom credential covers every outcome.")
    page.click("form[action$='/propose'] button[type=submit]")
    page.wait_for_url(f"**{studio}")
    # The same address as before: wait for the new page's text, not the old page's.
    expect(page.locator("main")).to_contain_text("another evaluator confirms it")
    context.close()

    # A second evaluator confirms it (four eyes).
    context, page = sign_in(browser, live_server, second, studio)
    page.check("input[name=confirm][value=yes]")
    # The same address as before: wait for the new page before closing the browser.
    with page.expect_navigation(url=f"**{studio}"):
        page.click("form[action$='/decide'] button[type=submit]")
    context.close()

    # The learner sees the decision and the award, granted through recognition.
    path = request_url.removeprefix(live_server.url)
    context, page = sign_in(browser, live_server, learner, path)
    assert page.locator(".request-status").inner_text() == "Decided"
    assert page.locator(".decision").inner_text() == "Full recognition"
    assert page.locator("a.award-link").inner_text() == version.title
    page.click("a.award-link")
    page.wait_for_url("**/credentials/*")
    assert (
        "Granted through recognition of prior learning"
        in page.locator(".granted-through").inner_text()
    )
    assert page.locator(".verdict").inner_text().startswith("Verified")
    context.close()
