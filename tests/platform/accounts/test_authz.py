"""Who may use each API route and page of accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.accounts.services import create_api_token
from tests.platform.authz import Route, World, cases, check, expect, public, signed_in


def owners_token(world: World) -> dict[str, Any]:
    token, _ = create_api_token(actor=world.users["owner"], name="the owner's")
    return {"token": token.pk}


# Only the owner of a token (and a platform admin) may revoke it; to others it does not exist.
OWNERS_TOKEN_API = expect(anonymous=401, outsider=404, member=404, holder=404, owner=204, admin=204)
OWNERS_TOKEN_PAGE = expect(
    anonymous=302, outsider=404, member=404, holder=404, owner=302, admin=302
)

ROUTES = [
    Route("GET", "/api/v1/me", signed_in()),
    Route("GET", "/api/v1/tokens", signed_in()),
    Route("POST", "/api/v1/tokens", signed_in(201), body={"name": "ci"}),
    Route("DELETE", "/api/v1/tokens/{token}", OWNERS_TOKEN_API, prepare=owners_token),
    Route("GET", "/login", {**public(302), "anonymous": 200}),
    Route("POST", "/logout", public(302), anonymous_redirect="/"),
    Route("GET", "/logout", {**public(200), "anonymous": 302}, anonymous_redirect="/"),
    # Signed-in people are sent on from the entrance pages.
    Route("GET", "/signup", {**public(302), "anonymous": 200}),
    Route(
        "POST",
        "/signup",
        {**public(302), "anonymous": 302},
        anonymous_redirect="/confirm-email",
        body={
            "email": "new@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    ),
    Route("GET", "/confirm-email", public(200)),
    Route("GET", "/confirm-email/not-a-key", public(200)),
    Route("GET", "/password-reset", public(200)),
    Route(
        "POST",
        "/password-reset",
        public(302),
        anonymous_redirect="/password-reset/done",
        body={"email": "nobody@example.org"},
    ),
    Route("GET", "/password-reset/done", public(200)),
    Route("GET", "/password-reset/key/1-not-a-key", public(200)),
    Route("GET", "/account/", signed_in(is_api=False)),
    Route("GET", "/account/email", signed_in(is_api=False)),
    # The callers have no password: changing one leads to setting one.
    Route("GET", "/account/password", signed_in(302, is_api=False)),
    Route("GET", "/account/password/set", signed_in(is_api=False)),
    Route("GET", "/account/delete", signed_in(is_api=False)),
    Route("POST", "/account/delete", signed_in(400, is_api=False), body={"confirmation": "no"}),
    Route("GET", "/studio/tokens", signed_in(is_api=False)),
    Route("POST", "/studio/tokens", signed_in(is_api=False), body={"name": "ci"}),
    Route("POST", "/studio/tokens/{token}/revoke", OWNERS_TOKEN_PAGE, prepare=owners_token),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client: Client, route: Route, actor: str) -> None:
    check(client, route, actor)
