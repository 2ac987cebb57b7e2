"""Searching the catalogue: the same answers on SQLite and PostgreSQL, ranked on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion
from tests.platform.catalogue.factories import make_published
from tests.platform.factories import make_organisation

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text ranking is PostgreSQL's"
)


def titles(**filters: Any) -> list[str]:
    return [version.title for version in services.get_published_versions(**filters)]


@pytest.fixture
def catalogue() -> dict[str, MicroCredentialVersion]:
    welders = make_organisation(slug="welders", name="Northern Welding Academy")
    college = make_organisation(slug="college", name="City College")
    return {
        "welding": make_published(
            welders, title="Welding basics", description="Arc and gas techniques."
        ),
        "data": make_published(
            college,
            title="Data analysis with Python",
            description="Cleaning and charting datasets.",
            tags=["statistics"],
            outcomes=["Write programs that clean data", "Chart the results"],
        ),
        "teaching": make_published(
            college, title="Classroom assessment", description="Feedback for learning."
        ),
    }


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("welding", ["Welding basics"]),
        ("WELDING", ["Welding basics"]),
        ("python clean", ["Data analysis with Python"]),  # title and an outcome
        ("statistics", ["Data analysis with Python"]),  # a tag
        ("northern arc", ["Welding basics"]),  # the organisation and the description
        ("astronomy", []),
        ("python astronomy", []),  # every word must match
    ],
)
def test_every_word_must_match_somewhere(q: str, expected: list[str]) -> None:
    assert titles(q=q) == expected


@pytest.mark.usefixtures("catalogue")
def test_an_empty_search_lists_everything_by_title() -> None:
    everything = ["Classroom assessment", "Data analysis with Python", "Welding basics"]
    assert titles() == everything
    assert titles(q="   ") == everything
    assert titles(limit=2) == everything[:2]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    "q",
    [
        "'",
        "welding' | 'python",
        "!python",
        "python & | !",
        "a:* & b",
        "(((",
        "\\",
        "<script>alert(1)</script>",
        "%_%",
        "python\x00",
        "😀 ünïcødé",
    ],
)
def test_hostile_searches_are_only_words(q: str, client: Client) -> None:
    """Quotes, operators and odd characters never reach a query language as syntax."""
    found = titles(q=q)
    assert set(found) <= {"Classroom assessment", "Data analysis with Python", "Welding basics"}
    response = client.get("/catalogue/", {"q": q.replace("\x00", "")})
    assert response.status_code == 200


@pytest.mark.usefixtures("catalogue")
def test_a_word_being_typed_matches_on_postgresql_and_as_a_substring_elsewhere() -> None:
    assert titles(q="weld") == ["Welding basics"]
    assert titles(q="analy pyth") == ["Data analysis with Python"]


@on_postgresql
def test_a_word_in_the_title_ranks_first() -> None:
    college = make_organisation(slug="ranking")
    make_published(college, title="Carpentry", description="Includes some welding practice.")
    make_published(college, title="Welding for carpenters", description="Joints.")
    assert titles(q="welding") == ["Welding for carpenters", "Carpentry"]


@on_postgresql
def test_a_new_version_is_searched_by_its_own_words(catalogue) -> None:
    from tests.platform.catalogue.factories import make_designer
    from tests.platform.quality.factories import publish

    welding = catalogue["welding"]
    actor = make_designer(welding.microcredential.organisation)
    draft = services.create_new_version(actor=actor, microcredential=welding.microcredential)
    services.update_draft(actor=actor, version=draft, title="Underwater welding")
    publish(draft)
    assert titles(q="underwater") == ["Underwater welding"]
    assert titles(q="basics") == []  # version 1 is no longer listed


@on_postgresql
def test_the_first_results_of_a_broad_search_are_the_best_ranked() -> None:
    """With a limit, the matches are ranked by key and only the first read whole: the same
    versions, in the same order, as the first of the whole ranked list."""
    college = make_organisation(slug="college", name="City College")
    for number in range(12):
        title = f"Data course {number}" if number % 3 == 0 else f"Course {number}"
        make_published(college, title=title, description="Working with data." * (number % 4))
    everything = titles(q="data")
    assert len(everything) == 10  # 4 and 8 mention no data
    assert all(title.startswith("Data") for title in everything[:4])  # title matches first
    assert titles(q="data", limit=5) == everything[:5]
    assert titles(q="data", limit=5, organisation="college") == everything[:5]
