"""Personal API tokens: created with the secret shown once, listed, revoked; and who am I."""

from __future__ import annotations

import pytest
from django.test import Client

from microcred.accounts import services
from microcred.accounts.models import ApiToken
from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, InvalidInput, NotFound
from microcred.organisations.models import Role
from tests.platform.accounts.factories import bearer, make_admin
from tests.platform.factories import add_member, make_organisation, make_user


def test_a_token_authenticates_until_it_is_revoked() -> None:
    user = make_user(password=None)
    token, secret = services.create_api_token(actor=user, name="  registry sync ")
    assert token.name == "registry sync"
    assert secret.startswith(services.TOKEN_PREFIX) and token.prefix == secret[:12]
    assert secret not in token.token_hash
    assert services.get_user_for_token(secret) == user
    services.revoke_api_token(actor=user, token_id=token.pk)
    assert services.get_user_for_token(secret) is None
    assert [event.action for event in AuditEvent.objects.all()] == ["token.create", "token.revoke"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_short_name(name: str) -> None:
    user = make_user(password=None)
    with pytest.raises(InvalidInput) as raised:
        services.create_api_token(actor=user, name=name)
    assert raised.value.field == "name"
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token_but_a_platform_admin() -> None:
    owner, other = make_user(password=None), make_user(password=None)
    token, secret = services.create_api_token(actor=owner, name="mine")
    with pytest.raises(NotFound):
        services.revoke_api_token(actor=other, token_id=token.pk)
    assert services.get_user_for_token(secret) == owner
    services.revoke_api_token(actor=make_admin(), token_id=token.pk)
    assert services.get_user_for_token(secret) is None
    with pytest.raises(Conflict):
        services.revoke_api_token(actor=owner, token_id=token.pk)


def test_the_api_creates_lists_and_revokes_tokens(client: Client) -> None:
    user = make_user(password=None)
    headers = bearer(user)
    created = client.post(
        "/api/v1/tokens", {"name": "ci"}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(services.TOKEN_PREFIX) and body["name"] == "ci"
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert {token["name"] for token in listed} == {"tests", "ci"}
    assert all("token" not in token and "token_hash" not in token for token in listed)
    assert body["token"] not in str(listed)
    new_headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/me", headers=new_headers).status_code == 200
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=new_headers).status_code == 401
    again = client.delete(f"/api/v1/tokens/{body['id']}", headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "token.already_revoked"


def test_a_bad_token_name_is_422_with_the_field(client: Client) -> None:
    user = make_user(password=None)
    headers = bearer(user)
    response = client.post(
        "/api/v1/tokens", {"name": " "}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["field"] == "name"
    assert ApiToken.objects.count() == 1


def test_a_body_that_is_not_json_gets_400_in_our_error_shape(client: Client) -> None:
    headers = bearer(make_user(password=None))
    response = client.post(
        "/api/v1/tokens", "{not json", content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "request.malformed",
        "message": "Cannot parse request body",
        "field": None,
        "data": {},
    }
    assert ApiToken.objects.count() == 1


def test_me_says_who_i_am_and_where_i_have_which_roles(client: Client) -> None:
    user = make_user(password=None, display_name="Ada Lovelace")
    make_organisation(user, name="Alpha College", slug="alpha")
    second = make_organisation(name="Beta University", slug="beta")
    add_member(second, user, Role.REGISTRAR, Role.DESIGNER)
    me = client.get("/api/v1/me", headers=bearer(user)).json()
    assert me["username"] == user.username and me["display_name"] == "Ada Lovelace"
    assert me["platform_admin"] is False
    assert me["memberships"] == [
        {
            "organisation": "alpha",
            "name": "Alpha College",
            "did": "did:web:microcred.test:orgs:alpha",
            "roles": ["owner"],
        },
        {
            "organisation": "beta",
            "name": "Beta University",
            "did": "did:web:microcred.test:orgs:beta",
            "roles": ["designer", "registrar"],
        },
    ]


def test_the_tokens_page_shows_a_new_secret_once(client: Client) -> None:
    user = make_user(password=None)
    client.force_login(user)
    response = client.post("/studio/tokens", {"name": "spreadsheet import"})
    assert response.status_code == 200
    [token] = services.get_api_tokens(user)
    secret = response.context["secret"]
    assert services.get_user_for_token(secret) == user
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    listing = client.get("/studio/tokens")
    assert token.name in listing.content.decode() and secret not in listing.content.decode()


def test_the_tokens_page_names_a_missing_name_and_creates_nothing(client: Client) -> None:
    client.force_login(make_user(password=None))
    response = client.post("/studio/tokens", {"name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_tokens_page_revokes_only_my_own_tokens(client: Client) -> None:
    user, other = make_user(password=None), make_user(password=None)
    mine, _ = services.create_api_token(actor=user, name="mine")
    theirs, _ = services.create_api_token(actor=other, name="theirs")
    client.force_login(user)
    assert client.post(f"/studio/tokens/{theirs.pk}/revoke").status_code == 404
    assert client.get(f"/studio/tokens/{mine.pk}/revoke").status_code == 405
    response = client.post(f"/studio/tokens/{mine.pk}/revoke", follow=True)
    assert "is revoked" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
