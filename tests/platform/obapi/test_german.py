"""The consent page and the connected applications in German; the API itself stays English."""

from __future__ import annotations

from django.test import Client

from microcred.obapi import services
from tests.platform.factories import make_user
from tests.platform.obapi.client import ObClient, pkce_pair


def _registered() -> ObClient:
    ob = ObClient(Client())
    ob.discover()
    ob.register()
    return ob


def test_the_consent_page_asks_in_german() -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(make_user())
    ob = _registered()
    _, challenge = pkce_pair()
    response = browser.get(ob.authorize_url(challenge))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "Example Backpack verbinden?" in page and "Ihr Profil lesen" in page
    assert "Datenschutzerklärung" in page and "Erlauben" in page
    assert "Read your profile" not in page and "privacy policy" not in page


def test_the_connections_speak_german_and_the_service_description_english() -> None:
    learner = make_user()
    browser = Client()
    browser.cookies["django_language"] = "de"
    browser.force_login(learner)
    ob = _registered()
    ob.connect(browser)
    page = browser.get("/me/connections/").content.decode()
    assert "Verbundene Anwendungen" in page and "Die Nachweise in Ihrem Backpack hier lesen" in page
    assert "Connected applications" not in page
    assert '<th scope="col">Darf</th>' in page
    [connection] = services.get_connections(learner)
    answer = browser.post(f"/me/connections/{connection.application_id}/revoke", follow=True)
    assert "Getrennt: Die Anwendung kann nicht mehr" in answer.content.decode()

    described = Client(HTTP_ACCEPT_LANGUAGE="de").get("/ims/ob/v3p0/discovery").json()
    scopes = described["components"]["securitySchemes"]["OAuth2ACG"]["flows"]
    assert "Read your profile" in scopes["authorizationCode"]["scopes"].values()
