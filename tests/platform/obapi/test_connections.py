"""The learner's connected applications: what each may do, and taking access back."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, set_token_value

from microcred.audit.models import AuditEvent
from microcred.obapi import services
from tests.platform.authz import Route, World, cases, check, signed_in
from tests.platform.factories import make_user
from tests.platform.obapi.client import ObClient, pkce_pair, registration_request


@pytest.fixture
def learner():
    return make_user()


@pytest.fixture
def browser(learner) -> Client:
    browser = Client()
    browser.force_login(learner)
    return browser


def connect(browser: Client, **changes: Any) -> ObClient:
    ob = ObClient(Client())
    ob.discover()
    ob.register(**changes)
    ob.connect(browser)
    return ob


def test_the_learner_sees_each_connected_application_and_what_it_may_do(browser) -> None:
    connect(browser)
    connect(browser, client_name="Other Wallet", client_uri="https://wallet.example.net/")
    page = browser.get("/me/connections/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Example Backpack") < html.index("Other Wallet")
    assert "https://wallet.example.net/" in html
    assert "Add credentials to your backpack here, or replace them" in html
    assert "<script" not in html and "style=" not in html


def test_disconnecting_kills_every_token_of_the_application(browser, learner) -> None:
    kept = connect(browser, client_name="Kept Wallet")
    ob = connect(browser)
    connections = services.get_connections(learner)
    [connection] = [item for item in connections if item.name != "Kept Wallet"]
    response = browser.post(f"/me/connections/{connection.application_id}/revoke")
    assert response.status_code == 302 and response["Location"] == "/me/connections/"
    assert ob.call("GET", "/credentials").status_code == 401
    refreshed = ob.refresh()
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
    assert kept.call("GET", "/credentials").status_code == 200
    assert [item.name for item in services.get_connections(learner)] == ["Kept Wallet"]
    event = AuditEvent.objects.get(action="obapi.connection_revoked")
    assert event.data["application"] == "Example Backpack"
    assert "Disconnected" in browser.get("/me/connections/").content.decode()


def test_nobody_disconnects_another_learners_application(browser, learner) -> None:
    connect(browser)
    [connection] = services.get_connections(learner)
    stranger = Client()
    stranger.force_login(make_user())
    response = stranger.post(f"/me/connections/{connection.application_id}/revoke")
    assert response.status_code == 404
    assert services.get_connections(learner) != []


def test_a_connection_shows_until_its_refresh_token_goes(browser, learner) -> None:
    """An expired access token still leaves the client connected through its refresh token."""
    connect(browser)
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert [item.name for item in services.get_connections(learner)] == ["Example Backpack"]


# -- the authorization matrix of the pages ----------------------------------------------------


def connected_everyone(world: World) -> dict[str, Any]:
    """Register a client and give each caller a token of it, so each has it connected."""
    registration, _ = services.register_client(metadata=registration_request())
    for user in world.users.values():
        if user is None:
            continue
        token = get_access_token_model()(
            user=user,
            application=registration.application,
            expires=timezone.now() + timedelta(hours=1),
            scope=registration.scope,
        )
        set_token_value(token, secrets.token_urlsafe(32))
        token.save()
    return {"application": registration.application.pk}


def authorization_request(world: World) -> dict[str, Any]:
    registration, _ = services.register_client(metadata=registration_request())
    ob = ObClient(Client(), client_id=registration.application.client_id)
    ob.discover()
    return {"authorize": ob.authorize_url(pkce_pair()[1])}


ROUTES = [
    Route("GET", "/me/connections/", signed_in(is_api=False)),
    Route(
        "POST",
        "/me/connections/{application}/revoke",
        signed_in(302, is_api=False),
        prepare=connected_everyone,
    ),
    Route("GET", "{authorize}", signed_in(is_api=False), prepare=authorization_request),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client: Client, route: Route, actor: str) -> None:
    check(client, route, actor)
