"""Signing in and out with django-allauth's views and our templates."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.platform.factories import make_user

PASSWORD = "correct horse battery staple"


def test_signing_in_leads_a_learner_to_me_and_signing_out_home(client: Client) -> None:
    user = make_user(password=PASSWORD)
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="login"' in page.content.decode() and "Sign in" in page.content.decode()
    response = client.post("/login", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/"
    studio = client.get("/studio/")
    assert "Sign out" in studio.content.decode()
    # Signing out takes a POST: a GET only asks.
    assert "Sign out of microcred" in client.get("/logout").content.decode()
    assert "_auth_user_id" in client.session
    response = client.post("/logout")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/studio/").status_code == 302


def test_signing_in_returns_to_the_page_asked_for(client: Client) -> None:
    user = make_user(password=PASSWORD)
    sent = client.get("/studio/tokens")
    assert sent["Location"] == "/login?next=/studio/tokens"
    response = client.post(
        "/login?next=/studio/tokens",
        {"login": user.username, "password": PASSWORD, "next": "/studio/tokens"},
    )
    assert response["Location"] == "/studio/tokens"


def test_a_wrong_password_is_an_error_on_the_page(client: Client) -> None:
    user = make_user(password=PASSWORD)
    response = client.post("/login", {"login": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "username and/or password you specified are not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_never_redirects_to_another_site(client: Client) -> None:
    user = make_user(password=PASSWORD)
    response = client.post(
        "/login",
        {"login": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/me/"


# -- throttling (issue 9: 50 wrong passwords followed by the right one used to succeed) -----


def _sign_in(client: Client, username: str, password: str, address: str = "192.0.2.1", **meta):
    return client.post(
        "/login", {"login": username, "password": password}, REMOTE_ADDR=address, **meta
    )


def _fail(client: Client, username: str, times: int, address: str = "192.0.2.1") -> None:
    """Sign in with a wrong password ``times`` times: the wrong-password page, or a refusal."""
    for _ in range(times):
        assert _sign_in(client, username, "wrong", address).status_code in (200, 429)


def _refused(response) -> bool:
    page = response.content.decode()
    return response.status_code == 429 and "Too many failed sign-ins" in page


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client: Client, settings) -> None:
    user = make_user(password=PASSWORD)
    _fail(client, user.username, 50)
    response = _sign_in(client, user.username, PASSWORD)
    assert _refused(response)
    assert f"refused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_limit_is_the_number_of_failures_in_a_row(client: Client, settings) -> None:
    user = make_user(password=PASSWORD)
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(client, user.username, PASSWORD).status_code == 302
    client.post("/logout")
    # A success starts the count again.
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(client, user.username, PASSWORD).status_code == 302


def test_failures_for_one_account_from_many_addresses_lock_the_account(
    client: Client, settings
) -> None:
    user = make_user(password=PASSWORD)
    for number in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, user.username, 1, address=f"198.51.100.{number + 1}")
    assert _refused(_sign_in(client, user.username, PASSWORD, address="203.0.113.9"))
    other = make_user(password=PASSWORD)
    assert _sign_in(client, other.username, PASSWORD, address="203.0.113.9").status_code == 302


def test_failures_from_one_address_lock_out_that_address(client: Client, settings) -> None:
    users = [make_user(password=PASSWORD) for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    for user in users[:-1]:
        _fail(client, user.username, 1, address="198.51.100.7")
    assert _refused(_sign_in(client, users[-1].username, PASSWORD, address="198.51.100.7"))
    assert _sign_in(client, users[-1].username, PASSWORD, address="198.51.100.8").status_code == 302


def test_the_lock_out_ends_after_the_cool_off(client: Client, settings) -> None:
    user = make_user(password=PASSWORD)
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert _refused(_sign_in(client, user.username, PASSWORD))
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _sign_in(client, user.username, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client: Client, settings) -> None:
    user = make_user(password=PASSWORD, is_staff=True, is_superuser=True)
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert _refused(response)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client: Client, settings) -> None:
    settings.PROXY_COUNT = 1
    users = [make_user(password=PASSWORD) for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    for number, user in enumerate(users[:-1]):
        # The client makes up the left entries; the proxy appends the address it saw.
        forwarded = f"10.0.0.{number}, 198.51.100.7"
        _fail_through_proxy = _sign_in(
            client, user.username, "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )
        assert _fail_through_proxy.status_code in (200, 429)
    locked = _sign_in(
        client, users[-1].username, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert _refused(locked)
    other = _sign_in(
        client, users[-1].username, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other.status_code == 302


def test_confirming_the_password_again_asks_for_it_and_goes_on(client: Client) -> None:
    user = make_user(password=PASSWORD)
    client.force_login(user)
    page = client.get("/account/reauthenticate?next=/account/")
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    wrong = client.post("/account/reauthenticate", {"password": "not it", "next": "/account/"})
    assert wrong.status_code == 200
    response = client.post("/account/reauthenticate", {"password": PASSWORD, "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    client.cookies["django_language"] = "de"
    assert "Geben Sie Ihr Passwort ein" in client.get("/account/reauthenticate").content.decode()
