"""The catalogue's results a page at a time: every result on one page, links that keep the
search, a clear answer to a page that is not there, and only the page's versions read."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion
from tests.platform.catalogue.factories import make_published
from tests.platform.factories import make_organisation

PER_PAGE = 2


@pytest.fixture
def five(monkeypatch: pytest.MonkeyPatch) -> list[MicroCredentialVersion]:
    """Five listed micro-credentials, Course 0 to Course 4, two to a page."""
    from microcred.catalogue import views

    monkeypatch.setattr(views, "RESULTS_PER_PAGE", PER_PAGE)
    organisation = make_organisation(slug="many", name="Many Courses")
    return [
        make_published(organisation, title=f"Course {number}", description="Welding practice.")
        for number in range(5)
    ]


def shown(page: str) -> list[str]:
    return re.findall(r">(Course \d)</a></h2>", page)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)" rel="{rel}">', page)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.usefixtures("five")
def test_following_the_next_links_shows_every_result_once(client: Client) -> None:
    seen: list[str] = []
    address: str | None = "/catalogue/?q=welding"
    pages = 0
    while address:
        response = client.get(address)
        assert response.status_code == 200
        page = response.text
        seen += shown(page)
        pages += 1
        address = link(page, "next")
    assert pages == 3
    assert sorted(seen) == [f"Course {number}" for number in range(5)]


@pytest.mark.usefixtures("five")
def test_a_middle_page_says_where_it_is_and_links_both_ways(client: Client) -> None:
    page = client.get("/catalogue/?q=welding&page=2").text
    assert "Results 3 to 4" in page
    assert 'aria-current="page">Page 2<' in page
    assert link(page, "prev") == "/catalogue/?q=welding"
    assert link(page, "next") == "/catalogue/?q=welding&page=3"


@pytest.mark.usefixtures("five")
def test_the_links_keep_the_words_and_filters(client: Client) -> None:
    page = client.get("/catalogue/", {"q": "Welding practice", "organisation": "many"}).text
    assert link(page, "next") == "/catalogue/?q=Welding+practice&organisation=many&page=2"


@pytest.mark.usefixtures("five")
def test_a_search_that_fits_one_page_has_no_page_links(client: Client) -> None:
    page = client.get("/catalogue/?q=course+3").text
    assert shown(page) == ["Course 3"]
    assert "1 micro-credential." in page
    assert 'class="pagination"' not in page


@pytest.mark.usefixtures("five")
def test_a_page_past_the_results_says_so_and_links_to_the_first(client: Client) -> None:
    response = client.get("/catalogue/?q=welding&page=9")
    assert response.status_code == 200
    assert "This search has fewer results than page 9 would show." in response.text
    assert '<a href="/catalogue/?q=welding">Back to the first page</a>' in response.text


@pytest.mark.usefixtures("five")
@pytest.mark.parametrize(
    ("page", "error"),
    [
        ("two", "Enter a whole number."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("401", "Ensure this value is less than or equal to 400."),
        ("1e3", "Enter a whole number."),
    ],
)
def test_a_page_that_is_not_a_page_number_names_the_field(
    client: Client, page: str, error: str
) -> None:
    response = client.get("/catalogue/", {"q": "welding", "page": page})
    assert response.status_code == 400
    assert f"<li>Page: {error}</li>" in response.text
    assert shown(response.text) == []


def test_the_last_page_asks_for_words_instead_of_a_next_link(
    client: Client, five: list[MicroCredentialVersion], monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred.catalogue import views

    monkeypatch.setattr(views, "LAST_PAGE", 2)
    page = client.get("/catalogue/?page=2").text
    assert shown(page) == ["Course 2", "Course 3"]
    assert link(page, "next") is None
    assert "The pages stop here; add words or filters to see the other results." in page


def test_a_page_of_results_reads_only_what_the_list_shows(
    client: Client, five: list[MicroCredentialVersion]
) -> None:
    """The versions' long texts (assessment, quality assurance, criteria, ...) stay in the
    database, and the page's queries do not grow with its results."""
    client.get("/catalogue/")  # the filters' choices, kept a minute
    with CaptureQueriesContext(connection) as two:
        client.get("/catalogue/?q=welding")
    with CaptureQueriesContext(connection) as one:
        client.get("/catalogue/?q=course+3")
    assert len(two) == len(one)
    versions_read = [
        query["sql"]
        for query in two.captured_queries
        if 'FROM "catalogue_microcredentialversion"' in query["sql"]
        and query["sql"].startswith("SELECT")
    ]
    assert versions_read
    for sql in versions_read:
        for column in ("assessment_type", "quality_assurance", "criteria", "search_document"):
            assert f'"catalogue_microcredentialversion"."{column}"' not in sql


def test_search_catalogue_counts_and_pages_with_filters_read_in_python() -> None:
    organisation = make_organisation(slug="tags")
    for number in range(5):
        make_published(
            organisation, title=f"Course {number}", tags=["odd" if number % 2 else "even"]
        )
    first = services.search_catalogue(tag="even", limit=2, count=True)
    rest = services.search_catalogue(tag="even", offset=2, limit=2, count=True)
    assert [version.title for version in first.versions] == ["Course 0", "Course 2"]
    assert (first.more, first.count) == (True, 3)
    assert [version.title for version in rest.versions] == ["Course 4"]
    assert (rest.more, rest.count) == (False, 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text ranking is PostgreSQL's")
def test_the_pages_of_a_broad_search_continue_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the ranked matches the order is the title's: asking for page 3 first, or a page
    at a time, gives every match once, and the first pages are the best ranked."""
    monkeypatch.setattr(services, "SEARCH_RANKED_AT_MOST", 4)
    college = make_organisation(slug="college", name="City College")
    for number in range(9):
        title = f"Data course {number}" if number >= 6 else f"Course {number}"
        make_published(college, title=title, description="Working with data.")
    pages = [
        [
            version.title
            for version in services.search_catalogue(q="data", offset=start, limit=2).versions
        ]
        for start in (4, 0, 2, 6, 8)
    ]
    ordered = pages[1] + pages[2] + pages[0] + pages[3] + pages[4]
    assert sorted(ordered) == sorted({*ordered}) and len(ordered) == 9
    # The first four by title are ranked (none has data in its title), the rest follow by title.
    assert ordered[:4] == ["Course 0", "Course 1", "Course 2", "Course 3"]
    assert ordered[4:] == [
        "Course 4",
        "Course 5",
        "Data course 6",
        "Data course 7",
        "Data course 8",
    ]
    assert services.search_catalogue(q="data", limit=2, count=True).count == 9


def test_the_pages_read_in_german(german: Client, five: list[MicroCredentialVersion]) -> None:
    page = german.get("/catalogue/?q=welding&page=2").text
    for words in ("Ergebnisse 3 bis 4", "Vorherige Seite", "Nächste Seite", "Seite 2"):
        assert words in page
    for words in ("Results 3", "Previous page", "Next page", ">Page 2<"):
        assert words not in page
    past = german.get("/catalogue/?q=welding&page=9").text
    assert "Zurück zur ersten Seite" in past
    wrong = german.get("/catalogue/?page=0").text
    assert "<li>Seite: " in wrong


def test_the_language_tag_and_credit_filters_read_only_the_page() -> None:
    """They are applied by the database to the search entries: the versions read are the
    page's, not every match read whole to be filtered in Python (8 to 10 s at 100,000)."""
    organisation = make_organisation(slug="filters")
    for number in range(6):
        make_published(
            organisation,
            title=f"Course {number}",
            tags=["Data_Science"] if number % 2 else ["dataxscience"],
            languages=["en", "nl"] if number < 3 else ["EN-ie"],
        )
    with CaptureQueriesContext(connection) as queries:
        found = services.search_catalogue(tag="data_science", limit=2, count=True)
    assert [version.title for version in found.versions] == ["Course 1", "Course 3"]
    assert (found.more, found.count) == (True, 3)
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and 'FROM "catalogue_microcredentialversion"' in sql:
            assert '"catalogue_microcredentialversion"."id" IN (' in sql, sql

    def titles(**filters: object) -> list[str]:
        return [v.title for v in services.search_catalogue(limit=10, **filters).versions]

    assert titles(language="NL") == ["Course 0", "Course 1", "Course 2"]
    assert titles(language="en-IE") == ["Course 3", "Course 4", "Course 5"]
    assert titles(language="e") == []  # a whole code, not a part of one
    assert titles(tag="DATA_SCIENCE", language="en-ie") == ["Course 3", "Course 5"]
    assert titles(tag="data%") == []  # no wildcard


def test_the_migration_fills_the_filters_of_the_entries_there_are() -> None:
    import importlib

    from django.apps import apps

    from microcred.catalogue.models import SearchEntry

    migration = importlib.import_module("microcred.catalogue.migrations.0008_search_entry_filters")
    stated = make_published(title="Stated", tags=["Welding"], languages=["de", "en"])
    converted = make_published(
        make_organisation(slug="hours"), title="Converted", credits={}, workload_hours="55"
    )
    SearchEntry.objects.update(languages="\n", tags="\n", ects=None)
    migration.fill_filters(apps, None)
    entries = {entry.title: entry for entry in SearchEntry.objects.all()}
    assert entries["Stated"].languages == "\nde\nen\n"
    assert entries["Stated"].tags == "\nwelding\n"
    assert entries["Stated"].ects == services.ects_of(stated) == 2.0
    assert entries["Converted"].ects == pytest.approx(services.ects_of(converted)) == 2.0
