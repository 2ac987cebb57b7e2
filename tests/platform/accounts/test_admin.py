"""The admin manages people; it never shows or edits a token's hash."""

from __future__ import annotations

from django.test import Client

from microcred.accounts import services
from microcred.accounts.models import User
from tests.platform.factories import make_user


def test_an_admin_adds_a_person_with_an_email_address(client: Client) -> None:
    client.force_login(make_user(is_staff=True, is_superuser=True, password=None))
    form = client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="email"' in form
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ada",
            "email": "ada@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ada = User.objects.get(username="ada")
    assert ada.email == "ada@example.org" and ada.check_password("a long enough passphrase 42")
    change = client.get(f"/admin/accounts/user/{ada.pk}/change/").content.decode()
    assert 'name="display_name"' in change and 'name="did"' in change


def test_the_admin_shows_tokens_without_their_hash(client: Client) -> None:
    admin = make_user(is_staff=True, is_superuser=True, password=None)
    token, secret = services.create_api_token(actor=make_user(password=None), name="mine")
    client.force_login(admin)
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.prefix in page
    assert token.token_hash not in page and secret not in page
    assert 'name="token_hash"' not in page
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert services.get_user_for_token(secret) is None
    assert client.get("/admin/accounts/user/").status_code == 200
