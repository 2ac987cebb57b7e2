"""The catalogue search's narrow table: it follows what the catalogue lists, and a search
answers from it what it answered from the versions, through its GIN index on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion, SearchEntry
from tests.platform.catalogue.factories import make_designer, make_published
from tests.platform.factories import make_organisation
from tests.platform.quality.factories import publish

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def listed() -> list[MicroCredentialVersion]:
    return [entry.version for entry in SearchEntry.objects.select_related("version")]


def titles(**filters: Any) -> list[str]:
    return [version.title for version in services.get_published_versions(**filters)]


def new_version(version: MicroCredentialVersion, title: str) -> MicroCredentialVersion:
    actor = make_designer(version.microcredential.organisation)
    draft = services.create_new_version(actor=actor, microcredential=version.microcredential)
    return services.update_draft(actor=actor, version=draft, title=title)


@pytest.fixture
def catalogue() -> dict[str, MicroCredentialVersion]:
    welders = make_organisation(slug="welders", name="Northern Welding Academy")
    college = make_organisation(slug="college", name="City College")
    return {
        "welding": make_published(
            welders, title="Welding basics", description="Arc and gas techniques.", eqf_level=4
        ),
        "advanced": make_published(
            welders, title="Advanced welding", description="Pipes and data sheets.", eqf_level=5
        ),
        "data": make_published(
            college,
            title="Data analysis with Python",
            description="Cleaning and charting datasets.",
            tags=["statistics"],
            outcomes=["Write programs that clean data", "Chart the results"],
        ),
        "teaching": make_published(
            college, title="Classroom assessment", description="Feedback for learning with data."
        ),
    }


def test_publishing_lists_a_version_with_what_the_search_filters_on(catalogue) -> None:
    welding = catalogue["welding"]
    entry = SearchEntry.objects.get(version=welding)
    assert (entry.title, entry.organisation.slug, entry.eqf_level) == (
        "Welding basics",
        "welders",
        4,
    )
    assert len(listed()) == 4
    if connection.vendor == "postgresql":
        welding.refresh_from_db()
        assert entry.vector == welding.search_vector
    else:
        assert entry.vector is None


def test_a_draft_leaves_the_listed_version_listed(catalogue) -> None:
    new_version(catalogue["welding"], "Welding basics, revised")
    assert catalogue["welding"] in listed()


def test_a_new_version_replaces_the_old_and_withdrawing_it_lists_the_old_again(
    catalogue,
) -> None:
    welding = catalogue["welding"]
    revised = publish(new_version(welding, "Underwater welding"))
    assert revised in listed() and welding not in listed()
    assert SearchEntry.objects.get(version=revised).title == "Underwater welding"
    actor = make_designer(welding.microcredential.organisation)
    services.withdraw_version(actor=actor, version=revised)
    assert welding in listed() and revised not in listed()
    services.withdraw_version(actor=actor, version=welding)
    assert not SearchEntry.objects.filter(version__microcredential=welding.microcredential)
    assert titles(q="welding") == ["Advanced welding"]


def test_withdrawing_an_older_version_keeps_the_newer_listed(catalogue) -> None:
    welding = catalogue["welding"]
    revised = publish(new_version(welding, "Underwater welding"))
    services.withdraw_version(
        actor=make_designer(welding.microcredential.organisation), version=welding
    )
    assert revised in listed()


def from_the_versions(words: list[str], **filters: Any) -> list[str]:
    """The search as it was before the table: ranked over the versions' own vectors."""
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )
    versions = services._latest_published().filter(search_vector=query, **filters)
    ranked = versions.annotate(rank=SearchRank(F("search_vector"), query))
    return [version.title for version in ranked.order_by("-rank", "title", "pk")]


SEARCHES = [
    ("data", {}),
    ("welding", {}),
    ("weld", {}),
    ("data", {"organisation": "welders"}),
    ("welding", {"eqf_level": 5}),
    ("a", {}),
    ("astronomy", {}),
]


@on_postgresql
@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(("q", "filters"), SEARCHES)
def test_a_search_answers_what_the_versions_answered(q: str, filters: dict[str, Any]) -> None:
    lookups = {
        "organisation": "microcredential__organisation__slug",
        "eqf_level": "eqf_level",
    }
    expected = from_the_versions(
        services.search_words(q), **{lookups[name]: value for name, value in filters.items()}
    )
    assert titles(q=q, **filters) == expected
    assert titles(q=q, limit=2, **filters) == expected[:2]


@pytest.mark.usefixtures("catalogue")
def test_the_filters_apply_to_a_search() -> None:
    assert titles(q="welding", organisation="welders", eqf_level=5) == ["Advanced welding"]
    assert titles(q="welding", organisation="college") == []
    assert titles(q="data", language="nl") == titles(q="data")  # the drafts teach in en and nl
    assert titles(q="data", language="fr") == []


@on_postgresql
@pytest.mark.usefixtures("catalogue")
def test_a_word_search_reads_the_gin_index_of_the_narrow_table() -> None:
    with CaptureQueriesContext(connection) as queries:
        services.get_published_versions(q="welding", limit=101)
    searched = [query["sql"] for query in queries if "catalogue_searchentry" in query["sql"]]
    assert searched, "the search did not read the search table"
    with connection.cursor() as cursor:
        # A handful of rows is read whole, or in title order. A large catalogue's rare word is
        # the point: the planner told to use neither finds the GIN index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + searched[0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalogue_search_vector" in plan
    assert "catalogue_microcredentialversion" not in searched[0]


@on_postgresql
@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"tag": "statistics"}, "catalogue_search_tags"),
        ({"language": "nl"}, "catalogue_search_languages"),
    ],
    ids=["tag", "language"],
)
def test_a_tag_or_language_filter_reads_a_trigram_index(
    filters: dict[str, str], index: str
) -> None:
    """Such a filter is a LIKE on the entries' word lines: without an index of their
    trigrams, every filtered page and its count read the whole table."""
    with CaptureQueriesContext(connection) as queries:
        assert services.search_catalogue(limit=25, count=True, **filters).count
    filtered = [query["sql"] for query in queries if " LIKE " in query["sql"]]
    assert filtered, "the filter did not read the search table"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for sql in filtered:
            cursor.execute("EXPLAIN " + sql)
            assert index in "\n".join(row[0] for row in cursor.fetchall()), sql
