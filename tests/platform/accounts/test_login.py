"""Signing in and out with Django's views and our templates."""

from __future__ import annotations

from django.test import Client

from tests.platform.factories import make_user

PASSWORD = "correct horse battery staple"


def test_signing_in_leads_to_the_studio_and_signing_out_home(client: Client) -> None:
    user = make_user(password=PASSWORD)
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode() and "Sign in" in page.content.decode()
    response = client.post("/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/studio/"
    studio = client.get("/studio/")
    assert "Sign out" in studio.content.decode()
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/studio/").status_code == 302


def test_signing_in_returns_to_the_page_asked_for(client: Client) -> None:
    user = make_user(password=PASSWORD)
    sent = client.get("/studio/tokens")
    assert sent["Location"] == "/login?next=/studio/tokens"
    response = client.post(
        "/login?next=/studio/tokens",
        {"username": user.username, "password": PASSWORD, "next": "/studio/tokens"},
    )
    assert response["Location"] == "/studio/tokens"


def test_a_wrong_password_is_an_error_on_the_page(client: Client) -> None:
    user = make_user(password=PASSWORD)
    response = client.post("/login", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_never_redirects_to_another_site(client: Client) -> None:
    user = make_user(password=PASSWORD)
    response = client.post(
        "/login",
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/studio/"
