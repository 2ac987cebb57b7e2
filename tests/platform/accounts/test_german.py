"""The sign-in and account pages in German, for a visitor who chose German.

English stays the default (the other tests read it); these read the same pages with the
footer's language cookie set, and check that the words a person reads are German, the
errors included.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from microcred.accounts import services
from microcred.accounts.models import User
from tests.platform.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def _outbox(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def test_the_sign_in_page_is_german(german: Client) -> None:
    page = german.get("/login").content.decode()

    assert '<html lang="de">' in page
    for words in ("Anmelden", "Passwort vergessen?", "Konto anlegen", "Registrieren"):
        assert words in page, words
    for words in ("Sign in", "Forgotten your password?", "Create an account"):
        assert words not in page, words


def test_the_account_pages_are_german(german: Client) -> None:
    german.force_login(make_user())

    settings = german.get("/account/").content.decode()
    assert "Ihr Konto" in settings and "E-Mail-Adresse" in settings and "bestätigt" in settings
    assert "Your account" not in settings and "verified" not in settings

    tokens = german.get("/studio/tokens").content.decode()
    assert "Persönliche API-Tokens" in tokens and "Sie haben keine Tokens." in tokens
    assert "You have no tokens" not in tokens


def test_a_wrong_password_is_refused_in_german_next_to_its_field(german: Client) -> None:
    german.force_login(make_user())

    response = german.post("/account/delete", {"password": "wrong"})

    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["Das ist nicht Ihr Passwort."]
    page = response.content.decode()
    assert "Ihr Passwort" in page and "Was gelöscht wird" in page
    assert "This is not your password" not in page


def test_a_missing_token_name_is_asked_for_in_german(german: Client) -> None:
    german.force_login(make_user())

    page = german.post("/studio/tokens", {"name": ""}).content.decode()

    assert "Dieses Feld ist zwingend erforderlich." in page
    assert '<label for="id_name">Name:</label>' in page
    assert "This field is required" not in page


def test_an_account_without_password_confirms_deletion_with_the_german_word(
    german: Client,
) -> None:
    user = make_user(password=None)
    german.force_login(user)

    page = german.get("/account/delete").content.decode()
    assert "Geben Sie zur Bestätigung „löschen“ ein" in page

    assert german.post("/account/delete", {"confirmation": "Löschen"})["Location"] == "/"
    assert not User.objects.get(pk=user.pk).is_active


def test_a_revoked_token_is_reported_in_german(german: Client) -> None:
    user = make_user()
    token, _secret = services.create_api_token(actor=user, name="sync")
    german.force_login(user)

    page = german.post(f"/studio/tokens/{token.pk}/revoke", follow=True).content.decode()

    assert "Der Token „sync“ ist widerrufen; er funktioniert nicht mehr." in page


def test_the_sign_up_email_is_german_when_german_was_chosen(german: Client) -> None:
    german.post(
        "/signup", {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )

    [message] = mail.outbox
    assert message.subject == "[microcred] Bestätigen Sie Ihre E-Mail-Adresse"
    assert message.body.startswith("Guten Tag,")
    assert "Um zu bestätigen, dass es Ihre Adresse ist, öffnen Sie diesen Link:" in message.body
    assert re.search(r"https?://\S+/confirm-email/\S+", message.body)
    assert "Mit freundlichen Grüßen" in message.body and "Hello" not in message.body


def test_the_sign_up_email_stays_english_by_default(client: Client) -> None:
    client.post(
        "/signup", {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )

    [message] = mail.outbox
    assert message.subject == "[microcred] Confirm your email address"
    assert message.body.startswith("Hello,") and "Kind regards," in message.body


def test_a_password_reset_email_for_an_unknown_address_is_german(german: Client) -> None:
    german.post("/password-reset", {"email": "nobody@example.org"})

    [message] = mail.outbox
    assert message.subject == "[microcred] Kein Konto mit dieser Adresse"
    assert "nobody@example.org" in message.body and "/signup" in message.body


def test_allauth_speaks_to_the_reader_as_sie(german: Client) -> None:
    user = make_user()
    german.force_login(user)

    german.post("/logout")
    page = german.get("/login").content.decode()

    assert "Sie haben sich abgemeldet." in page and "Du hast" not in page


def test_the_email_change_page_is_the_platforms_own_in_german(german: Client) -> None:
    german.force_login(make_user())

    response = german.post("/account/email", {"action_add": "", "email": "new@example.net"})
    page = german.get(response["Location"]).content.decode()

    assert "E-Mail-Adresse ändern" in page and "wartet auf Bestätigung" in page
    assert "Link erneut senden" in page and "Bestätigungs-E-Mail" in page
    assert "Change Email" not in page
