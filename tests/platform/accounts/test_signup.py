"""Sign-up with a verified address, password reset, email change and where a sign-in leads
(django-allauth's flows at the platform's addresses)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from microcred.accounts.models import User
from microcred.accounts.services import get_verified_addresses
from tests.platform.factories import PASSWORD, add_member, make_organisation, make_user

NEW_PASSWORD = "a brand new passphrase"


def _link(message: mail.EmailMessage, path: str) -> str:
    """Return the path of the first link to ``path`` in an email."""
    [url] = re.findall(rf"https?://[^/\s]+({re.escape(path)}[^\s]*)", message.body)[:1]
    return url


def _sign_up(client: Client, email: str, password: str = PASSWORD):
    return client.post("/signup", {"email": email, "password1": password, "password2": password})


def test_a_visitor_signs_up_verifies_the_address_and_lands_on_me(client: Client) -> None:
    assert "Create an account" in client.get("/signup").content.decode()

    response = _sign_up(client, "Ada.Lovelace@Example.org")

    assert response.status_code == 302 and response["Location"] == "/confirm-email"
    user = User.objects.get(email__iexact="ada.lovelace@example.org")
    assert user.username == "ada.lovelace"
    assert get_verified_addresses(user) == []
    [message] = mail.outbox
    assert message.to == ["ada.lovelace@example.org"]

    # Until the address is verified, signing in only sends the link again.
    response = client.post("/login", {"login": "ada.lovelace@example.org", "password": PASSWORD})
    assert response["Location"] == "/confirm-email" and "_auth_user_id" not in client.session

    link = _link(message, "/confirm-email/")
    page = client.get(link)
    assert "ada.lovelace@example.org" in page.content.decode()
    assert get_verified_addresses(user) == []  # opening the link is not confirming it
    assert client.post(link)["Location"] == "/login"
    assert get_verified_addresses(user) == ["ada.lovelace@example.org"]

    response = client.post("/login", {"login": "ada.lovelace@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"password1": "short", "password2": "short"}, "password1", "at least 10 characters"),
        ({"password2": "something else entirely"}, "password2", "same password"),
    ],
)
def test_bad_sign_ups_are_refused_naming_the_field(
    client: Client, fields: dict, field: str, error: str
) -> None:
    data = {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD, **fields}

    response = client.post("/signup", data)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email="ada@example.org").exists()


def test_an_address_taken_already_makes_no_account_and_tells_only_its_owner(
    client: Client,
) -> None:
    make_user(email="ada@example.org")

    response = _sign_up(client, "ADA@example.org")

    # The page is the same as for a new address, so it does not tell who has an account here;
    # the address's owner is told by email.
    assert response["Location"] == "/confirm-email"
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1
    [message] = mail.outbox
    assert message.to == ["ada@example.org"] and "already" in message.body


def test_staff_land_on_the_studio_and_a_safe_next_wins(client: Client) -> None:
    designer = add_member(make_organisation(), make_user(), "designer")
    admin = make_user(is_staff=True)
    for user in (designer, admin):
        client.logout()
        response = client.post("/login", {"login": user.username, "password": PASSWORD})
        assert response["Location"] == "/studio/", user
    client.logout()
    asked = client.post(
        "/login?next=/catalogue/",
        {"login": designer.username, "password": PASSWORD, "next": "/catalogue/"},
    )
    assert asked["Location"] == "/catalogue/"
    client.logout()
    elsewhere = client.post(
        "/login", {"login": designer.username, "password": PASSWORD, "next": "//evil.example/"}
    )
    assert elsewhere["Location"] == "/studio/"


def test_a_forgotten_password_is_reset_through_the_emailed_link(client: Client) -> None:
    user = make_user(email="ada@example.org")

    response = client.post("/password-reset", {"email": "ADA@example.org"})

    assert response["Location"] == "/password-reset/done"
    [message] = mail.outbox
    link = _link(message, "/password-reset/key/")
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == "/password-reset/key/done"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert "not valid" in client.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_says_nothing_more(client: Client) -> None:
    response = client.post("/password-reset", {"email": "nobody@example.org"})

    assert response["Location"] == "/password-reset/done"
    assert len(mail.outbox) == 1 and "nobody@example.org" in mail.outbox[0].to


def test_a_changed_address_counts_once_verified(client: Client) -> None:
    user = make_user(email="ada@example.org")
    client.force_login(user)

    response = client.post("/account/email", {"action_add": "", "email": "ada@example.net"})

    assert response.status_code == 302
    assert get_verified_addresses(user) == ["ada@example.org"]
    [message] = mail.outbox
    assert message.to == ["ada@example.net"]
    client.post(_link(message, "/confirm-email/"))
    assert get_verified_addresses(user) == ["ada@example.net"]
    user.refresh_from_db()
    assert user.email == "ada@example.net"


def test_the_password_is_changed_on_the_account_pages(client: Client) -> None:
    user = make_user()
    client.force_login(user)
    assert "/account/password" in client.get("/account/").content.decode()

    wrong = client.post(
        "/account/password",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "oldpassword" in wrong.context["form"].errors
    client.post(
        "/account/password",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
