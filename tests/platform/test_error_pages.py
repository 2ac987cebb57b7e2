"""Error pages carry the site's layout and a way back; the favicon answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from microcred.site import urls as site_urls
from tests.platform.factories import make_user


def _crash(request):
    raise RuntimeError("a crash in a view")


def _refused(request):
    raise PermissionDenied


def _unreadable(request):
    raise SuspiciousOperation("a request that makes no sense")


# The site's URLs and error handlers, with views that fail in each way.
urlpatterns = [
    path("test/crash", _crash),
    path("test/refused", _refused),
    path("test/unreadable", _unreadable),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500


@pytest.fixture(autouse=True)
def _failing_views(settings) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def _page(client: Client, path: str, status: int, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    # The site's layout: its header and navigation, its style sheet and its icon.
    assert 'class="site-header"' in page and 'href="/catalogue/"' in page
    assert "microcred.css" in page and 'rel="icon"' in page
    assert 'href="/">The home page</a>' in page
    return page


def test_a_missing_page_says_so_in_the_layout_with_a_way_back() -> None:
    page = _page(Client(), "/no-such-page", 404, Referer="http://testserver/catalogue/?q=data")
    assert "There is no page here" in page
    assert 'href="http://testserver/catalogue/?q=data">Back to the previous page' in page
    assert 'href="/login?next=/no-such-page">Sign in' in page


def test_the_way_back_leads_only_to_this_site() -> None:
    page = _page(Client(), "/no-such-page", 404, Referer="https://elsewhere.example/")
    assert "elsewhere.example" not in page and "Back to the previous page" not in page


def test_a_missing_record_of_a_view_gets_the_same_page() -> None:
    page = _page(Client(), "/orgs/no-such-issuer/", 404)
    assert "There is no page here" in page


def test_a_refusal_offers_the_anonymous_visitor_to_sign_in() -> None:
    page = _page(Client(), "/test/refused?tab=2", 403)
    assert "You may not open this page" in page
    assert 'href="/login?next=/test/refused%3Ftab%3D2">Sign in' in page


def test_a_refusal_names_the_signed_in_person_and_leads_to_the_studio() -> None:
    client = Client()
    client.force_login(make_user(username="rae"))
    page = _page(client, "/test/refused", 403)
    assert "signed in as <strong>rae</strong>" in page
    assert 'href="/studio/">Your studio' in page and ">Sign in</a>" not in page


def test_a_bad_request_gets_the_layout() -> None:
    assert "This request could not be read" in _page(Client(), "/test/unreadable", 400)


def test_a_crash_gets_the_layout_and_says_nothing_of_what_broke() -> None:
    client = Client(raise_request_exception=False)
    page = _page(client, "/test/crash", 500, Referer="http://testserver/verify")
    assert "Something went wrong on our side" in page
    assert 'href="http://testserver/verify">Back to the previous page' in page
    assert "RuntimeError" not in page and "a crash in a view" not in page


def test_errors_under_the_api_stay_json() -> None:
    response = Client().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_favicon_answers_where_browsers_look_for_it() -> None:
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/microcred/favicon.svg"' in page
    assert client.get("/static/microcred/favicon.svg").status_code == 200
