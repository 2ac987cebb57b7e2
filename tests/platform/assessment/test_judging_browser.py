"""Judging in a real browser: two peers give feedback, the assessor scores the rubric from the
queue and passes it, the learner reads the feedback and the credential verifies."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.assessment.models import ReviewRole, Submission
from tests.platform.assessment.factories import make_enrolment, make_review, make_submission
from tests.platform.assessment.judging import assessed
from tests.platform.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _choose(page, levels, feedback):
    for criterion, level in levels.items():
        group = page.get_by_role("group", name=criterion)
        group.get_by_label(level, exact=False).first.check()
        group.get_by_label(f"Feedback on {criterion}").fill(f"{criterion}: {level}.")
    page.fill("textarea[name=feedback]", feedback)


def test_peers_then_the_assessor_pass_it_and_the_learner_reads_the_feedback(browser, live_server):
    setting = assessed(peer_reviews=2)
    enrolment = make_enrolment(setting.version)
    submission = make_submission(enrolment)
    peers = [make_enrolment(setting.version).learner for _ in range(2)]
    reviews = [make_review(submission, peer, ReviewRole.PEER) for peer in peers]

    for number, (peer, review) in enumerate(zip(peers, reviews, strict=True), start=1):
        context, page = sign_in(browser, live_server, peer, f"/assessment/reviews/{review.uuid}")
        assert enrolment.learner.last_name not in page.content()
        _choose(
            page,
            {"Assessment design": "Proficient", "Feedback": "Proficient"},
            f"Peer feedback {number}.",
        )
        page.click("text=Give feedback")
        # The page before shows the sign-in's message: wait for this one.
        expect(page.locator(".messages")).to_contain_text("Thank you")
        context.close()

    queue = f"/studio/orgs/{setting.organisation.slug}/assessment/queue"
    context, page = sign_in(browser, live_server, setting.assessor, queue)
    page.click(f"text={setting.version.title}")
    page.wait_for_url("**/assessment/reviews/*")
    assert page.locator("text=Peer 1").count() == 1
    _choose(page, {"Assessment design": "Exemplary", "Feedback": "Proficient"}, "Well done.")
    page.click("text=Score and decide")
    page.wait_for_selector(".messages")
    assert "You completed this review" in page.content()
    context.close()

    submission = Submission.objects.select_related("enrolment__award").get(pk=submission.pk)
    assert submission.outcome == "pass"
    award = submission.enrolment.award
    assert award is not None

    context, page = sign_in(
        browser, live_server, enrolment.learner, f"/me/feedback/{submission.uuid}"
    )
    text = page.locator("main").inner_text()
    assert "Peer 1" in text and "Peer 2" in text and "Well done." in text
    for peer in peers:
        assert peer.username not in text
    page.goto(f"{live_server.url}/credentials/{award.uuid}")
    assert page.locator(".verdict").inner_text().startswith("Verified")
    context.close()
