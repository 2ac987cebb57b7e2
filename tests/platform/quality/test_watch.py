"""The credential inflation watch: participation alerts, near-duplicates, pages, who sees them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microcred.errors import Forbidden, NotFound
from microcred.frameworks.watch import BURST_MIN_AWARDS, MIN_ATTEMPTS, MonthCount
from microcred.quality.views.watch import bars
from microcred.quality.watch import (
    access_organisation_watch,
    access_platform_watch,
    get_watch,
    has_learner_evidence,
)
from tests.platform.assessment.factories import (
    make_assessed_version,
    make_enrolment,
    make_submission,
)
from tests.platform.authz import Route, cases, check, page, platform_admin
from tests.platform.awards.factories import issue, make_registrar
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import make_admin, make_reviewer

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PORTFOLIO = "https://portfolio.example.org/learner"


def assessed_award(version, registrar, *, outcome: str, number: int, evidence: bool = False):
    """A learner enrolled ten days before ``START`` whose attempt was decided; a pass is
    awarded ``number`` minutes after ``START`` (with a portfolio link when ``evidence``)."""
    enrolment = make_enrolment(version, enrolled_at=START - timedelta(days=10))
    make_submission(
        enrolment,
        evidence=False,
        status="decided",
        submitted_at=START - timedelta(days=2),
        decided_at=START - timedelta(days=1),
        outcome=outcome,
    )
    if outcome == "pass":
        links = [{"id": f"{PORTFOLIO}/{number}", "name": "Portfolio"}] if evidence else None
        enrolment.award = issue(
            registrar, version, evidence=links, now=START + timedelta(minutes=number)
        )
        enrolment.save()
    return enrolment


def alerts_of(watch) -> list[tuple[str, str]]:
    return [(item.subject, item.alert.kind) for item in watch.alerts]


@pytest.fixture
def issuer():
    organisation = make_organisation()
    return organisation, make_registrar(organisation)


# -- participation alerts --------------------------------------------------------------------


def test_all_passes_without_evidence_in_a_burst_raise_the_participation_alert(issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    for number in range(MIN_ATTEMPTS):
        assessed_award(version, registrar, outcome="pass", number=number)
    watch = get_watch(organisation)
    assert alerts_of(watch) == [(version.title, "watch.full_pass_little_evidence")]
    [row] = watch.microcredentials
    figures = row.figures
    assert (figures.awards, figures.attempts, figures.pass_rate) == (MIN_ATTEMPTS, MIN_ATTEMPTS, 1)
    assert figures.evidence_share == 0.0
    # Every award followed a submission, so the burst itself is backed.
    assert [burst.backed for burst in figures.bursts] == [MIN_ATTEMPTS]
    assert figures.median_days_to_award == pytest.approx(10, abs=0.01)
    assert figures.per_month == watch.overall.per_month
    assert [(month.month, month.awards) for month in figures.per_month] == [
        ("2026-03", MIN_ATTEMPTS)
    ]


def test_a_burst_issued_by_hand_with_nothing_submitted_raises_an_alert(issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    for number in range(BURST_MIN_AWARDS):
        issue(registrar, version, now=START + timedelta(minutes=number))
    watch = get_watch(organisation)
    assert alerts_of(watch) == [(version.title, "watch.burst_without_evidence")]
    row = watch.microcredentials[0]
    assert (row.figures.attempts, row.figures.pass_rate, row.figures.median_days_to_award) == (
        None,
        None,
        None,
    )


def test_failures_and_evidence_raise_no_alert(issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    for number in range(MIN_ATTEMPTS):
        outcome = "pass" if number % 2 else "fail"
        assessed_award(version, registrar, outcome=outcome, number=number, evidence=True)
    watch = get_watch(organisation)
    assert watch.alerts == []
    figures = watch.microcredentials[0].figures
    assert (figures.awards, figures.attempts, figures.passed) == (10, MIN_ATTEMPTS, 10)
    assert (figures.pass_rate, figures.evidence_share) == (0.5, 1.0)
    assessment = watch.microcredentials[0].assessment
    assert (assessment.learners, assessment.median_days_to_decision) == (MIN_ATTEMPTS, 1.0)


def test_an_organisation_with_several_microcredentials_gets_alerts_of_its_own(issuer) -> None:
    organisation, registrar = issuer
    first, second = make_assessed_version(organisation), make_assessed_version(organisation)
    # Half the burst each: neither micro-credential has a burst, the organisation has.
    for number in range(BURST_MIN_AWARDS):
        issue(registrar, (first, second)[number % 2], now=START + timedelta(minutes=number))
    platform = get_watch(None)
    assert alerts_of(platform) == [(organisation.name, "watch.burst_without_evidence")]
    assert [row.label for row in platform.organisations] == [organisation.name]
    assert alerts_of(get_watch(organisation)) == alerts_of(platform)


def test_an_organisation_repeats_no_alert_of_its_microcredentials(issuer) -> None:
    organisation, registrar = issuer
    busy, quiet = make_assessed_version(organisation), make_assessed_version(organisation)
    for number in range(BURST_MIN_AWARDS):
        issue(registrar, busy, now=START + timedelta(minutes=number))
    issue(registrar, quiet, now=START + timedelta(days=60))
    assert alerts_of(get_watch(organisation)) == [(busy.title, "watch.burst_without_evidence")]


def test_attempts_without_awards_are_watched_too(issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    assessed_award(version, registrar, outcome="fail", number=0)
    platform = get_watch(None)
    [row] = platform.organisations
    assert (row.label, row.figures.awards, row.figures.attempts) == (organisation.name, 0, 1)
    assert row.figures.pass_rate == 0.0
    [microcredential] = platform.microcredentials
    assert (microcredential.label, microcredential.figures.awards) == (version.title, 0)
    assert microcredential.assessment.failed == 1


def test_the_qa_report_reference_is_not_evidence() -> None:
    report = {
        "type": ["Evidence"],
        "id": "https://x.test/qa/1",
        "genre": "Quality assurance report",
    }
    assert not has_learner_evidence({"evidence": [report]})
    assert not has_learner_evidence({})
    assert has_learner_evidence({"evidence": [report, {"type": ["Evidence"], "id": PORTFOLIO}]})
    assert has_learner_evidence({"evidence": {"id": PORTFOLIO}})


def test_an_award_with_evidence_counts_and_the_qa_report_alone_does_not(issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    issue(registrar, version, evidence=[PORTFOLIO])
    issue(registrar, version)
    assert get_watch(organisation).overall.evidence_share == 0.5


# -- near-duplicates -------------------------------------------------------------------------

PYTHON_OUTCOMES = [
    "Write Python programs that clean and transform tabular data.",
    "Apply statistical methods to analyse data sets.",
    "Create visualisations that communicate findings.",
]


def test_near_identical_microcredentials_are_flagged_and_unrelated_ones_are_not() -> None:
    lakeside, northfield = make_organisation(), make_organisation()
    python = make_assessed_version(
        lakeside, title="Data Analysis with Python", outcomes=PYTHON_OUTCOMES
    )
    again = make_assessed_version(
        northfield,
        title="Data analysis in Python",
        outcomes=[outcome.replace("that clean", "to clean") for outcome in PYTHON_OUTCOMES],
    )
    make_assessed_version(
        lakeside,
        title="Research Data Management",
        outcomes=[
            "Develop a data management plan that meets funder requirements.",
            "Apply FAIR principles to publish research data.",
        ],
    )
    [pair] = get_watch(lakeside).duplicates
    assert {pair.duplicate.first.title, pair.duplicate.second.title} == {python.title, again.title}
    urls = {
        reverse("catalogue:detail", args=[lakeside.slug, python.microcredential.slug]),
        reverse("catalogue:detail", args=[northfield.slug, again.microcredential.slug]),
    }
    assert {pair.first_url, pair.second_url} == urls
    assert pair.duplicate.same_title
    assert [p.duplicate.score for p in get_watch(northfield).duplicates] == [pair.duplicate.score]
    assert get_watch(make_organisation()).duplicates == []
    assert len(get_watch(None).duplicates) == 1


def test_a_new_version_is_no_duplicate_of_the_old_one() -> None:
    organisation = make_organisation()
    version = make_assessed_version(organisation, title="Data Analysis", outcomes=PYTHON_OUTCOMES)
    newer = make_assessed_version(organisation, title="Data Analysis", outcomes=PYTHON_OUTCOMES)
    newer.microcredential = version.microcredential
    newer.number = version.number + 1
    newer.save(update_fields=["microcredential", "number"])
    assert get_watch(organisation).duplicates == []


# -- pages -----------------------------------------------------------------------------------


def test_the_organisation_page_shows_figures_chart_alerts_and_duplicates(client, issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation, title="Data Analysis", outcomes=PYTHON_OUTCOMES)
    copy = make_assessed_version(
        make_organisation(), title="Data Analysis", outcomes=PYTHON_OUTCOMES
    )
    for number in range(BURST_MIN_AWARDS):
        issue(registrar, version, now=START + timedelta(minutes=number))
    client.force_login(make_reviewer(organisation))
    response = client.get(reverse("quality:watch", args=[organisation.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Credential inflation watch: {organisation.name}" in html
    assert "<svg" in html and "2026-03: 10 awards" in html
    assert "watch.burst_without_evidence" in html and "look like attendance certificates" in html
    assert '<th scope="row"><a href="/catalogue/' in html
    for target in (version, copy):
        slug = target.microcredential.organisation.slug
        assert f'href="/catalogue/{slug}/{target.microcredential.slug}/"' in html
    assert f"({copy.microcredential.organisation.name})" in html
    # The phrases in common are the designers' words, marked with the language they wrote in.
    assert re.search(r'<td lang="en">\w+ \w+; ', html)
    assert "the highest bar stands for 10 awards" in html
    assert "Per assessor" in html


def test_the_chart_scales_bars_to_the_busiest_month() -> None:
    months = [MonthCount("2026-03", 4), MonthCount("2026-04", 0), MonthCount("2026-05", 2)]
    assert [(bar.x, bar.y, bar.height) for bar in bars(months)] == [
        (0, 0, 100),
        (12, 100, 0),
        (24, 50, 50),
    ]
    assert bars([]) == []


def test_the_platform_page_lists_organisations(client, issuer) -> None:
    organisation, registrar = issuer
    issue(registrar, make_assessed_version(organisation))
    client.force_login(make_admin())
    response = client.get(reverse("quality:platform-watch"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Credential inflation watch: the whole platform" in html
    assert f'href="{reverse("quality:watch", args=[organisation.slug])}"' in html
    assert "Per assessor" not in html


def test_platform_alerts_name_the_organisation(client, issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    for number in range(BURST_MIN_AWARDS):
        issue(registrar, version, now=START + timedelta(minutes=number))
    client.force_login(make_admin())
    html = client.get(reverse("quality:platform-watch")).content.decode()
    assert f"<strong>{version.title}</strong> ({organisation.name}):" in html


def test_an_empty_watch_says_so(client) -> None:
    organisation = make_organisation()
    client.force_login(make_reviewer(organisation))
    html = client.get(reverse("quality:watch", args=[organisation.slug])).content.decode()
    assert "No awards yet." in html and "No alerts" in html and "No near-duplicates" in html


def test_the_page_queries_do_not_grow_with_the_awards(client, issuer) -> None:
    organisation, registrar = issuer
    version = make_assessed_version(organisation)
    client.force_login(make_reviewer(organisation))
    url = reverse("quality:watch", args=[organisation.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assessed_award(version, registrar, outcome="pass", number=0)
    few = queries()
    for number in range(1, 6):
        assessed_award(version, registrar, outcome="pass", number=number)
    issue(registrar, make_assessed_version(organisation))
    assert queries() == few


def test_the_dashboard_links_qa_reviewers_and_platform_admins_to_their_watch(client) -> None:
    organisation = make_organisation()
    client.force_login(make_reviewer(organisation))
    html = client.get(reverse("studio:dashboard")).content.decode()
    assert reverse("quality:watch", args=[organisation.slug]) in html
    assert reverse("quality:platform-watch") not in html
    client.force_login(make_admin())
    html = client.get(reverse("studio:dashboard")).content.decode()
    assert reverse("quality:platform-watch") in html


# -- who sees it -----------------------------------------------------------------------------

ROUTES = [
    Route("GET", "/studio/orgs/{org}/quality/watch", page(), role="qa_reviewer"),
    Route("GET", "/studio/quality/watch", platform_admin(is_api=False), role="qa_reviewer"),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route, actor) -> None:
    check(client, route, actor)


def test_services_refuse_whom_the_pages_refuse() -> None:
    organisation = make_organisation()
    designer = add_member(organisation, make_user(), "designer")
    with pytest.raises(Forbidden):
        access_organisation_watch(designer, organisation.slug)
    with pytest.raises(NotFound):
        access_organisation_watch(make_user(), organisation.slug)
    with pytest.raises(Forbidden) as raised:
        access_platform_watch(make_reviewer(organisation))
    assert raised.value.code == "platform_admin.required"
    assert access_platform_watch(make_admin()).organisation is None
    assert (
        access_organisation_watch(
            organisation.memberships.get(role="owner").user, organisation.slug
        ).organisation
        == organisation
    )
