"""The credential's page leads with the answer of verifying the stored credential, and its PDF
certificate looks like a certificate."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from microcred.awards import services
from microcred.awards.models import Award
from microcred.catalogue import services as catalogue
from microcred.verification.samples import badge_png
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import make_user

SCORED_RUBRIC = {
    "pass_rule": "Sufficient on the plan and 50 points in all.",
    "pass_points": 50,
    "criteria": [
        {
            "name": "Data management plan",
            "outcomes": [1, 2],
            "levels": [
                {
                    "name": "Insufficient",
                    "points": 0,
                    "description": "The plan leaves out where the data live or who may use them.",
                },
                {
                    "name": "Sufficient",
                    "points": 50,
                    "description": "The plan names the storage, the access rules and the licence.",
                },
                {
                    "name": "Excellent",
                    "points": 100,
                    "description": "As sufficient, and it justifies each choice.",
                },
            ],
        }
    ],
}
OUTCOMES = [
    "Write a data management plan for a research project.",
    "Choose a licence and a repository for a data set.",
]


@pytest.fixture
def held(client):
    """An award to a signed-in learner, who would be offered the wallet."""
    _, registrar, version = make_issuer(name="Universiteit Utrecht", slug="uu")
    learner = make_user(email="ada@example.org")
    award = issue(registrar, version, learner_email="ada@example.org", learner_name="Ada Lovelace")
    client.force_login(learner)
    return registrar, award


def verdict_section(client, award: Award) -> tuple[str, str]:
    """Return the page's first section (the verdict) and the whole page."""
    text = client.get(f"/credentials/{award.uuid}").content.decode()
    article = text[text.index('<article class="credential-page"') :]
    first = article[article.index("<section") : article.index("</section>")]
    return first, text


def tamper(award: Award) -> None:
    """Change the stored credential after it was signed, as an attacker with the database."""
    credential = json.loads(award.signed_credential)
    credential["name"] = "Doctorate in Everything"
    Award.objects.filter(pk=award.pk).update(signed_credential=json.dumps(credential))
    award.refresh_from_db()


# -- the headline ----------------------------------------------------------------------------


def test_a_valid_credential_leads_with_verified_the_holder_and_the_issuer(client, held) -> None:
    _, award = held
    first, text = verdict_section(client, award)
    assert 'class="credential-verdict verified"' in first
    assert '<p class="credential-verdict-headline">Verified</p>' in first
    assert (
        "<strong>Ada Lovelace</strong> · issued by <strong>Universiteit Utrecht</strong>" in first
    )
    assert "The signature is valid" in first
    assert "linkedin.com" in text
    assert ".pdf" in text
    assert "add-to-wallet" in text


@pytest.mark.parametrize(
    ("change", "headline", "says"),
    [
        (services.revoke_award, "Revoked", "This credential has been revoked"),
        (services.suspend_award, "Suspended", "This credential is suspended"),
    ],
)
def test_a_revoked_or_suspended_credential_says_so_first(
    client, held, change, headline: str, says: str
) -> None:
    registrar, award = held
    change(actor=registrar, award=award, reason="Appeal under review.")
    first, text = verdict_section(client, award)
    assert f'<p class="credential-verdict-headline">{headline}</p>' in first
    assert says in first
    assert "Ada Lovelace" in first
    assert "linkedin.com" not in text
    assert "add-to-wallet" not in text
    # Revoked or suspended, the certificate is still given: it says so itself.
    assert 'class="certificate-link"' in text


def test_an_expired_credential_says_expired(client) -> None:
    organisation, registrar, _ = make_issuer(name="Universiteit Utrecht")
    version = make_version(organisation, validity_months=1)
    award = issue(registrar, version, now=timezone.now() - timedelta(days=90))
    first, _ = verdict_section(client, award)
    assert '<p class="credential-verdict-headline">Expired</p>' in first
    assert f"expired on {award.valid_until:%-d %B %Y}" in first
    assert services.get_verdict(award, services.verify_award(award)) == services.Verdict.EXPIRED


def test_a_tampered_credential_is_not_verified_and_offers_nothing_to_share(client, held) -> None:
    _, award = held
    tamper(award)
    first, text = verdict_section(client, award)
    assert 'class="credential-verdict not-verified"' in first
    assert '<p class="credential-verdict-headline">Not verified</p>' in first
    assert "The stored credential does not verify" in first
    assert "Ada Lovelace" in first
    assert 'data-verified="false"' in text
    for offer in ("certificate-link", ".pdf", "linkedin.com", "add-to-wallet", ".elm.json"):
        assert offer not in text, offer
    response = client.get(f"/credentials/{award.uuid}.pdf")
    assert response.status_code == 404


def test_a_revoked_credential_that_was_tampered_with_is_not_verified(client, held) -> None:
    registrar, award = held
    award = services.revoke_award(actor=registrar, award=award, reason="Plagiarism found.")
    tamper(award)
    first, _ = verdict_section(client, award)
    assert '<p class="credential-verdict-headline">Not verified</p>' in first


# -- the PDF certificate ---------------------------------------------------------------------


def certificate(client, award: Award) -> tuple[str, dict]:
    """Return the certificate's text (whitespace made single spaces) and its page."""
    response = client.get(f"/credentials/{award.uuid}.pdf")
    assert response.status_code == 200
    [page] = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(page.extract_text().split()), page


def xobjects(page) -> dict[str, str]:
    """Return the page's XObjects by name, with their subtype (/Image or /Form)."""
    resources = page["/Resources"]
    return {
        name: str(item.get_object()["/Subtype"])
        for name, item in resources.get("/XObject", {}).items()
    }


@pytest.fixture
def scored(client):
    organisation, registrar, _ = make_issuer(name="Universiteit Utrecht", slug="uu")
    version = make_version(organisation, outcomes=OUTCOMES, rubric=SCORED_RUBRIC)
    criterion, total = catalogue.get_achievement(version)["resultDescription"]
    award = issue(
        registrar,
        version,
        learner_name="Ada Lovelace",
        results=[
            {
                "resultDescription": criterion["id"],
                "achievedLevel": criterion["rubricCriterionLevel"][1]["id"],
            },
            {"resultDescription": total["id"], "value": "72"},
        ],
    )
    return version, award


def test_the_certificate_shows_who_what_when_and_the_results_with_their_scale(
    client, scored
) -> None:
    version, award = scored
    text, page = certificate(client, award)
    # Landscape A4.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    assert "Universiteit Utrecht certifies that Ada Lovelace has achieved" in text
    assert version.title in text
    assert f"Issued on {award.issued_at.day} {award.issued_at:%B %Y}" in text
    # Every date in one format: 6 December 2026.
    for date in re.findall(r"\b\d{1,2}[ /.-]\w+[ /.-]\d{4}\b", text):
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", date), date
    assert "Data management plan: Sufficient (scale: Insufficient, Sufficient, Excellent)" in text
    assert "Total points: 72 / 100" in text
    assert "Learning outcomes" in text
    for outcome in OUTCOMES:
        assert f"• {outcome}" in text
    assert "EQF level 6" in text
    assert "Scan to verify" in text


def test_the_certificate_draws_the_issuer_emblem_and_a_generated_badge(client, scored) -> None:
    _, award = scored
    _, page = certificate(client, award)
    assert sorted(xobjects(page).values()) == ["/Image", "/Image"]


def test_the_certificate_draws_the_versions_own_png_badge(
    client, scored, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    version, award = scored
    version.image.save("badge.png", ContentFile(badge_png(40)))
    _, page = certificate(client, award)
    sizes = {
        int(page["/Resources"]["/XObject"][name].get_object()["/Width"]) for name in xobjects(page)
    }
    assert 40 in sizes


def test_the_certificate_draws_an_svg_badge_as_a_drawing(
    client, scored, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    version, award = scored
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        b'<circle cx="32" cy="32" r="30" fill="#0a7"/></svg>'
    )
    version.image.save("badge.svg", ContentFile(svg))
    _, page = certificate(client, award)
    assert sorted(xobjects(page).values()) == ["/Form", "/Image"]


def test_an_unreadable_svg_badge_falls_back_to_the_generated_one(
    client, scored, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    version, award = scored
    version.image.save("badge.svg", ContentFile(b"<svg this is not XML"))
    _, page = certificate(client, award)
    assert sorted(xobjects(page).values()) == ["/Image", "/Image"]


def test_the_certificate_of_an_expired_credential_says_so(client) -> None:
    organisation, registrar, _ = make_issuer()
    version = make_version(organisation, validity_months=1)
    award = issue(registrar, version, now=timezone.now() - timedelta(days=90))
    text, _ = certificate(client, award)
    assert "Expired: this credential is no longer valid." in text
    assert f"valid until {award.valid_until.day} {award.valid_until:%B %Y}" in text
