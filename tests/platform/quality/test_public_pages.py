"""The public quality pages and links: QA reports (page, JSON, API), the issuer quality page,
the summary on the catalogue page, and the links from credentials and organisation profiles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.catalogue import services as catalogue
from microcred.frameworks import quality as rules
from microcred.organisations.models import Role
from microcred.quality import report, services
from tests.platform.awards.factories import issue, make_registrar
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import approve, designer_of, publish


def path_of(version, tail: str = "/") -> str:
    organisation = version.microcredential.organisation.slug
    return f"/qa/{organisation}/{version.microcredential.slug}/v{version.number}{tail}"


@pytest.fixture
def published():
    return publish(make_draft(review_date="2028-06-30"))


# -- the report ------------------------------------------------------------------------------


def test_anyone_reads_the_report_of_a_published_version(client: Client, published) -> None:
    response = client.get(path_of(published))
    assert response.status_code == 200
    assert "Accept" in response["Vary"]
    page = response.text
    assert "<h1>Quality assurance report</h1>" in page
    assert rules.get_profile("eu-annex-i").name in page
    assert rules.get_profile("eu-annex-i").source in page
    assert "eu-annex-i.title" in page
    assert '<span class="status passed">Passed</span>' in page
    assert "Consider giving further information" in page
    checklist_text = rules.get_profile("eu-annex-i").checklist[0][1]
    assert checklist_text in page
    organisation = published.microcredential.organisation
    assert f"A QA reviewer of {organisation.name}" in page
    assert "30 June 2028" in page
    assert f'href="/qa/{organisation.slug}/"' in page


def test_the_report_does_not_name_the_staff(client: Client) -> None:
    version = make_draft()
    organisation = version.microcredential.organisation
    reviewer = add_member(organisation, make_user("grace-hopper", password=None), Role.QA_REVIEWER)
    approve(version, reviewer=reviewer)
    publish_as = designer_of(version)
    catalogue.publish_version(actor=publish_as, version=version)
    page = client.get(path_of(version)).text
    assert "grace-hopper" not in page
    assert publish_as.username not in page


def test_a_version_published_before_reviews_existed_says_so(client: Client) -> None:
    version = make_draft()
    # As published before the quality gate: no review on record.
    type(version).objects.filter(pk=version.pk).update(status="published")
    page = client.get(path_of(version)).text
    assert "No quality review is on record for this version" in page
    data = client.get(path_of(version, ".json")).json()
    assert (data["reviewed"], data["profiles"], data["internal_review"]) == (False, [], None)


@pytest.mark.parametrize(
    ("tail", "headers"),
    [(".json", {}), ("/", {"HTTP_ACCEPT": "application/json"})],
    ids=["suffix", "accept"],
)
def test_the_report_as_json(client: Client, published, tail: str, headers: dict) -> None:
    response = client.get(path_of(published, tail), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert (
        data
        == report.get_report(
            organisation=published.microcredential.organisation.slug,
            slug=published.microcredential.slug,
            number=1,
        ).as_dict()
    )
    assert data["url"] == report.report_url(published)
    assert data["next_review"] == "2028-06-30"


def test_drafts_and_unknown_versions_are_not_found_even_for_their_staff(client: Client) -> None:
    draft = make_draft()
    assert client.get(path_of(draft)).status_code == 404
    assert client.get(path_of(draft, ".json")).status_code == 404
    client.force_login(designer_of(draft))
    assert client.get(path_of(draft)).status_code == 404
    approve(draft)
    assert client.get(path_of(draft)).status_code == 404
    organisation = draft.microcredential.organisation.slug
    assert client.get(f"/qa/{organisation}/no-such-thing/v1/").status_code == 404


def test_the_api_serves_the_report_without_an_account(client: Client, published) -> None:
    organisation = published.microcredential.organisation.slug
    url = f"/api/v1/qa/{organisation}/{published.microcredential.slug}/v1"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == client.get(path_of(published, ".json")).json()


def test_the_api_refuses_a_draft_naming_the_version(client: Client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation.slug
    response = client.get(f"/api/v1/qa/{organisation}/{draft.microcredential.slug}/v1")
    assert response.status_code == 404
    assert (response.json()["code"], response.json()["field"]) == ("not_found", "version")


# -- the issuer page -------------------------------------------------------------------------


def test_the_issuer_page_shows_vetting_process_and_figures(client: Client, published) -> None:
    organisation = published.microcredential.organisation
    issue(make_registrar(organisation), published)
    response = client.get(f"/qa/{organisation.slug}/")
    assert response.status_code == 200
    page = response.text
    assert f"<h1>Quality at {organisation.name}</h1>" in page
    assert "Vetted by the platform on" in page
    assert '<dd class="figure-published">1</dd>' in page
    assert '<dd class="figure-first-time">100% (1 of 1)</dd>' in page
    assert '<dd class="figure-awards">1</dd>' in page
    assert '<dd class="figure-pass-rate">Not yet measured</dd>' in page
    assert f'href="{path_of(published)}"' in page


def test_the_issuer_page_needs_no_query_per_micro_credential(client: Client) -> None:
    organisation = make_organisation()
    publish(make_draft(organisation, title="First"))
    url = f"/qa/{organisation.slug}/"
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    publish(make_draft(organisation, title="Second"))
    publish(make_draft(organisation, title="Third"))
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).text
    assert "Third" in page
    assert len(three.captured_queries) == len(one.captured_queries)


def test_an_issuer_not_yet_vetted_says_so(client: Client) -> None:
    organisation = make_organisation()
    page = client.get(f"/qa/{organisation.slug}/").text
    assert "Not vetted by the platform yet" in page
    assert "No submission decided yet" in page


def test_an_unknown_issuer_is_not_found(client: Client) -> None:
    assert client.get("/qa/no-such-organisation/").status_code == 404


def test_the_organisation_profile_links_to_its_quality_page(client: Client) -> None:
    organisation = make_organisation()
    page = client.get(f"/orgs/{organisation.slug}/").text
    assert f'href="/qa/{organisation.slug}/"' in page


# -- the catalogue page and the credential page ----------------------------------------------


def test_the_catalogue_page_has_the_summary_and_the_report_link(client: Client, published) -> None:
    organisation = published.microcredential.organisation.slug
    page = client.get(f"/catalogue/{organisation}/{published.microcredential.slug}/").text
    assert "Quality in brief, for employers" in page
    assert "<dt>How big it is</dt><dd>2 ECTS credits, 55 hours of learning.</dd>" in page
    assert "EQF level 6: advanced knowledge" in page
    assert f'href="{path_of(published)}"' in page


def test_every_credential_page_links_to_the_report(client: Client, published) -> None:
    award = issue(make_registrar(published.microcredential.organisation), published)
    page = client.get(f"/credentials/{award.uuid}").text
    assert f'<a class="qa-report-link" href="{path_of(published)}">' in page
    assert f'href="{report.report_url(published)}"' in page


# -- in a browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_follows_the_links_from_the_catalogue_to_the_report_and_the_issuer(
    page, live_server, tmp_path
) -> None:
    version = publish(make_draft(review_date="2028-06-30"))
    organisation = version.microcredential.organisation
    page.goto(f"{live_server.url}/catalogue/{organisation.slug}/{version.microcredential.slug}/")
    summary = page.locator("section.quality-summary")
    assert "2 ECTS credits, 55 hours of learning." in summary.inner_text()
    summary.locator("a.qa-report-link").click()
    page.wait_for_url(f"**{path_of(version)}")
    assert page.locator("h1").inner_text() == "Quality assurance report"
    assert page.locator("table.profiles tbody tr").count() == 2
    items = services.get_checklist(["eu-annex-i", "coherence"])
    assert page.locator("table.checklist tbody tr").count() == len(items)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    page.get_by_role("link", name=f"Quality at {organisation.name}").click()
    page.wait_for_url(f"**/qa/{organisation.slug}/")
    assert page.locator(".figure-first-time").inner_text() == "100% (1 of 1)"
    page.screenshot(path=str(tmp_path / "issuer.png"), full_page=True)
