"""In Chromium, a credential's page answers first: the verdict sits in the first screen."""

from __future__ import annotations

import json

import pytest

from microcred.awards import services
from microcred.awards.models import Award
from tests.platform.awards.factories import issue, make_issuer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tampered(award: Award) -> Award:
    credential = json.loads(award.signed_credential)
    credential["name"] = "Doctorate in Everything"
    Award.objects.filter(pk=award.pk).update(signed_credential=json.dumps(credential))
    return award


@pytest.mark.parametrize(
    ("state", "headline"),
    [
        ("verified", "Verified"),
        ("revoked", "Revoked"),
        ("suspended", "Suspended"),
        ("tampered", "Not verified"),
    ],
)
def test_the_verdict_is_at_the_top_of_a_desktop_screen(
    browser, live_server, state: str, headline: str
) -> None:
    _, registrar, version = make_issuer(name="Universiteit Utrecht")
    award = issue(registrar, version, learner_name="Ada Lovelace")
    if state in ("revoked", "suspended"):
        change = services.revoke_award if state == "revoked" else services.suspend_award
        change(actor=registrar, award=award, reason="Appeal under review.")
    if state == "tampered":
        _tampered(award)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/credentials/{award.uuid}")
    verdict = page.locator(".credential-verdict-headline")
    assert verdict.inner_text() == headline
    box = verdict.bounding_box()
    assert box is not None and box["y"] < 400
    who = page.locator(".credential-verdict-who").inner_text()
    assert "Ada Lovelace" in who and "Universiteit Utrecht" in who
    certificate_offered = page.locator("a.certificate-link").count() == 1
    assert certificate_offered is (state != "tampered")
    context.close()
