"""The front door and the operators' admin."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from microcred.accounts.models import User
from microcred.site.demo_platform import load_platform_demo
from tests.platform.factories import make_user


def test_the_home_page_shows_search_and_published_micro_credentials() -> None:
    client = Client()
    empty = client.get("/").content.decode()
    assert "Nothing is published yet" in empty
    list(load_platform_demo())
    page = client.get("/").content.decode()
    assert 'name="q"' in page and 'action="/catalogue/"' in page
    assert "Assessment Literacy" in page
    assert "All 5 micro-credentials" not in page  # five fit on the front page (six are featured)


def test_the_admin_is_read_only_for_operators() -> None:
    list(load_platform_demo())
    admin = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for path in (
        "/admin/awards/award/",
        "/admin/audit/auditevent/",
        "/admin/organisations/signingkey/",
    ):
        assert client.get(path).status_code == 200
    assert client.get("/admin/awards/award/add/").status_code == 403
    key_page = client.get("/admin/organisations/signingkey/1/change/").content.decode()
    assert "encrypted" not in key_page.lower()


def test_the_readme_lists_every_demo_login() -> None:
    list(load_platform_demo())
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    logins = readme[readme.index("## Quick start") : readme.index("## Where things are")]
    missing = [
        username
        for username in User.objects.values_list("username", flat=True)
        if f"`{username}`" not in logins
    ]
    assert not missing, f"the README's Quick start does not list the demo logins {missing}"


def test_the_home_page_reads_the_six_it_features_and_counts_the_rest() -> None:
    """With a large catalogue the front door must not read every published version: it reads
    the six it shows and counts the others in the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.platform.catalogue.factories import make_published
    from tests.platform.factories import make_organisation

    organisation = make_organisation(slug="many")
    for number in range(8):
        make_published(organisation, title=f"Course {number}")
    with CaptureQueriesContext(connection) as queries:
        page = Client().get("/").text
    assert "All 8 micro-credentials" in page
    assert "Course 5" in page and "Course 6" not in page
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and 'FROM "catalogue_microcredentialversion"' in sql:
            by_id = '"catalogue_microcredentialversion"."id" IN (' in sql
            assert re.search(r"LIMIT \d+$", sql) or sql.startswith("SELECT COUNT(") or by_id, sql
