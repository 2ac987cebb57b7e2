"""The site's own pages in German: the home page, the error pages and the studio dashboard.

What issuers wrote (a micro-credential's title) is shown as written, marked with its language.
"""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from microcred.organisations.models import Role
from microcred.site.views import server_error
from tests.platform.factories import add_member, make_organisation, make_user


def test_the_home_page_is_german(german: Client) -> None:
    page = german.get("/").content.decode()

    for words in (
        "Micro-Credentials, denen Sie vertrauen können",
        "Micro-Credential finden",
        "Zum Beispiel: Prüfung, Daten, Wohlbefinden",
        "Für Entwickler",
    ):
        assert words in page, words
    for words in ("you can trust", "Find a micro-credential", "For developers"):
        assert words not in page, words


def test_the_browser_language_chooses_german_too(client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert "Noch ist nichts veröffentlicht." in page


def test_a_missing_page_says_so_in_german(german: Client) -> None:
    response = german.get("/no-such-page")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Hier gibt es keine Seite" in page and "Zur Startseite" in page
    assert "There is no page here" not in page


def test_the_studio_dashboard_is_german(german: Client) -> None:
    user = make_user()
    add_member(make_organisation(name="Hochschule Nord"), user, Role.DESIGNER)
    german.force_login(user)

    page = german.get("/studio/").content.decode()

    for words in (
        "Ihre Organisationen",
        "Ihre Rollen:",
        "Persönliche API-Tokens",
        "Angemeldet als",
    ):
        assert words in page, words
    assert "Hochschule Nord" in page
    assert "Your organisations" not in page and "Signed in as" not in page


def test_a_crash_is_explained_in_german_on_a_german_page(rf) -> None:
    request = rf.get("/anything")
    with translation.override("de"):
        response = server_error(request)

    page = response.content.decode()
    assert response.status_code == 500 and '<html lang="de">' in page
    assert "Bei uns ist etwas schiefgelaufen" in page and "went wrong" not in page
