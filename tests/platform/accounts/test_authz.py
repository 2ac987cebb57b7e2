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
    Route("GET", "/studio/tokens", signed_in(is_api=False)),
    Route("POST", "/studio/tokens", signed_in(is_api=False), body={"name": "ci"}),
    Route("POST", "/studio/tokens/{token}/revoke", OWNERS_TOKEN_PAGE, prepare=owners_token),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client: Client, route: Route, actor: str) -> None:
    check(client, route, actor)
