"""The whole path in a real browser: a learner enrols, writes a goal and a reflection, uploads
an artefact and submits; two peers give feedback; an assessor scores the rubric and passes it;
the credential is issued and verifies; the learner sees it on the dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.assessment.models import AssessmentPlan, AssessmentSettings, Submission
from microcred.organisations.models import Role
from tests.platform.assessment.factories import (
    PDF,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_learner,
    make_submission,
)
from tests.platform.browser import sign_in
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _review(page, *, top: bool) -> None:
    """Choose every criterion's highest (or lowest) level, with feedback, and send."""
    for fieldset in page.locator("fieldset.choices").all():
        radios = fieldset.locator("input[type=radio]")
        (radios.last if top else radios.first).check()
        fieldset.locator("textarea").fill("Clear and well argued.")
    page.fill("textarea#feedback", "A fair assessment with useful feedback.")
    page.click("main form button[type=submit]")
    assert "your review is recorded" in page.locator(".messages").inner_text()


def test_a_learner_earns_a_credential_reviewed_by_peers_and_an_assessor(
    browser, live_server, tmp_path
) -> None:
    organisation = make_organisation(name="Hogeschool Utrecht", slug="hu")
    AssessmentSettings.objects.create(
        organisation=organisation, moderation_share=0, borderline_margin=0
    )
    version = make_assessed_version(
        organisation, title="Feedback literacy", plan={"peer_reviews": 2}
    )
    assessor = make_assessor(organisation, first_name="Asa", last_name="Assessor")
    peers = [make_learner() for _ in range(2)]
    for peer in peers:
        make_submission(make_enrolment(version, peer))
    learner = make_learner(first_name="Ada", last_name="Lovelace")

    context, page = sign_in(browser, live_server, learner, "/me/")
    page.goto(f"{live_server.url}/catalogue/hu/{version.microcredential.slug}/")
    page.click("a.enrol-link")
    page.click("form.enrol-form button[type=submit]")
    page.wait_for_url("**/me/submissions/*")
    page.get_by_label("Your learning goal").fill("Give feedback my students act on.")
    page.get_by_label("What worked well?").fill("Rubric-based comments.")
    page.get_by_label("What would you change next time?").fill("Fewer, sharper comments.")
    page.click("button[value=save]")
    # Each page before shows a message of its own: wait for the new one.
    expect(page.locator(".messages")).to_contain_text("Your draft is saved.")
    artefact = page.locator("#evidence-artefact")
    artefact.get_by_label("File").set_input_files(
        {"name": "feedback-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    artefact.get_by_label("Description").fill("My feedback plan.")
    artefact.get_by_label("Show it on my credential").check()
    artefact.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Evidence added.")
    page.click("button[value=submit]")
    expect(page.locator(".messages")).to_contain_text("Submitted.")
    submission = Submission.objects.get(enrolment__learner=learner)
    assert submission.status == "peer_review"
    context.close()

    for peer in peers:
        context, page = sign_in(browser, live_server, peer, "/me/")
        page.locator(".peer-reviews a", has_text="Feedback literacy").first.click()
        page.wait_for_url("**/assessment/reviews/*")
        assert "Lovelace" not in page.content()
        _review(page, top=False)
        context.close()
    submission.refresh_from_db()
    assert submission.status == "assessment"

    context, page = sign_in(browser, live_server, assessor, "/studio/orgs/hu/assessment/queue")
    page.locator("main a[href*='/assessment/reviews/']").first.click()
    page.wait_for_url("**/assessment/reviews/*")
    assert "Ada Lovelace" in page.content()
    _review(page, top=True)
    context.close()
    submission.refresh_from_db()
    assert (submission.status, submission.outcome) == ("decided", "pass")

    context, page = sign_in(browser, live_server, learner, "/me/")
    assert "Attempt 1: Pass" in page.locator(".enrolments table").inner_text()
    page.click("a.credential-link")
    page.wait_for_url("**/credentials/*")
    assert page.locator(".verdict").inner_text().startswith("Verified")
    page.screenshot(path=str(tmp_path / "credential.png"), full_page=True)
    context.close()


def test_a_designer_writes_the_plan_in_its_fields_and_sees_a_mistake_by_its_field(
    browser, live_server
) -> None:
    organisation = make_organisation(name="Hogeschool Utrecht", slug="hu")
    designer = add_member(organisation, make_user("dana"), Role.DESIGNER)
    draft = make_draft(organisation, actor=designer, title="Feedback literacy", enrolment=True)
    path = "/studio/orgs/hu/credentials/feedback-literacy/v1/assessment"
    context, page = sign_in(browser, live_server, designer, path)

    page.fill("#id_component-0-key", "Learning Goal")
    page.select_option("#id_component-0-kind", "goal")
    page.fill("#id_component-0-label", "Your learning goal")
    page.get_by_label("Peer reviews").fill("1")
    page.click("main form button[type=submit]")
    mistake = page.locator("#id_component-0-key ~ ul.errorlist")
    expect(mistake).to_contain_text("Component 1: the key must start with a lower-case letter")
    assert not AssessmentPlan.objects.filter(version=draft).exists()

    page.fill("#id_component-0-key", "goal")
    page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The assessment plan is saved.")
    # The saved plan offers an empty form for the next component: a reflection.
    page.fill("#id_component-1-key", "reflection")
    page.select_option("#id_component-1-kind", "reflection")
    page.fill("#id_component-1-label", "Reflection")
    page.fill("#id_component-1-prompts", "What worked?\nWhat would you change?")
    # The page before says the same, at the same address: wait for the new page itself.
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The assessment plan is saved.")
    context.close()

    plan = AssessmentPlan.objects.get(version=draft)
    assert [component["key"] for component in plan.components] == ["goal", "reflection"]
    assert plan.components[1]["prompts"] == ["What worked?", "What would you change?"]
    assert plan.peer_reviews == 1
