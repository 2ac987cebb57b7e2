"""Who may use each API route and page of organisations and the studio dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.organisations.models import Role
from tests.platform.authz import (
    Route,
    World,
    api,
    cases,
    check,
    page,
    platform_admin,
    public,
    signed_in,
)
from tests.platform.factories import add_member, make_user
from tests.platform.organisations.invitations import invite


def newcomer(world: World) -> dict[str, Any]:
    return {"newcomer": make_user(password=None).username}


def designer(world: World) -> dict[str, Any]:
    user = add_member(world.organisation, make_user(password=None), Role.DESIGNER)
    return {"target": user.username}


def invitation(world: World) -> dict[str, Any]:
    owner = world.users["owner"]
    assert owner is not None
    sent, token = invite(owner, world.organisation)
    return {"invitation": sent.pk, "token": token}


INVITED = {"email": "new.teacher@example.org", "roles": ["designer"]}
NEW_ACCOUNT = {
    "display_name": "New Teacher",
    "password": "a violet kestrel over Galway",
    "password_again": "a violet kestrel over Galway",
}
# The link answers whoever holds it; signed in, only the account of the invited address.
NOT_THE_INVITED_ADDRESS = {
    "anonymous": 200,
    **dict.fromkeys(("outsider", "member", "holder", "owner", "admin"), 403),
}

NEW_ORGANISATION = {
    "name": "Hogeschool Nieuw",
    "slug": "nieuw",
    "type": "university",
    "country": "NL",
}
PROFILE = {"name": "Renamed", "type": "university", "country": "NL", "description": "Changed."}

ROUTES = [
    Route("GET", "/api/v1/orgs", public()),
    Route("POST", "/api/v1/orgs", platform_admin(201), body=NEW_ORGANISATION),
    Route("GET", "/api/v1/orgs/{org}", public()),
    Route("PATCH", "/api/v1/orgs/{org}", api(), role=Role.OWNER, body={"description": "New."}),
    Route("GET", "/api/v1/orgs/{org}/members", api(needs_role=False)),
    Route(
        "POST",
        "/api/v1/orgs/{org}/members",
        api(201),
        role=Role.OWNER,
        prepare=newcomer,
        body={"user": "{newcomer}", "roles": ["designer"]},
    ),
    Route(
        "PUT",
        "/api/v1/orgs/{org}/members/{target}",
        api(),
        role=Role.OWNER,
        prepare=designer,
        body={"roles": ["assessor"]},
    ),
    Route(
        "DELETE", "/api/v1/orgs/{org}/members/{target}", api(204), role=Role.OWNER, prepare=designer
    ),
    Route("GET", "/api/v1/orgs/{org}/invitations", api(), role=Role.OWNER),
    Route("POST", "/api/v1/orgs/{org}/invitations", api(201), role=Role.OWNER, body=INVITED),
    Route(
        "DELETE",
        "/api/v1/orgs/{org}/invitations/{invitation}",
        api(204),
        role=Role.OWNER,
        prepare=invitation,
    ),
    Route("GET", "/api/v1/orgs/{org}/keys", api(needs_role=False)),
    Route("POST", "/api/v1/orgs/{org}/keys/rotate", api(201), role=Role.OWNER),
    Route(
        "POST",
        "/api/v1/orgs/{org}/keys/key-1/compromise",
        api(),
        role=Role.OWNER,
        body={"reason": "The laptop with the key was stolen."},
    ),
    Route("GET", "/orgs/", public()),
    Route("GET", "/orgs/{org}/", public()),
    Route("GET", "/orgs/{org}/did.json", public()),
    Route("GET", "/orgs/{org}/profile.json", public()),
    Route("GET", "/studio/", signed_in(is_api=False)),
    Route("GET", "/studio/orgs/new", signed_in(is_api=False)),
    Route("POST", "/studio/orgs/new", platform_admin(302, is_api=False), body=NEW_ORGANISATION),
    Route("GET", "/studio/orgs/{org}/", page(needs_role=False)),
    Route("GET", "/studio/orgs/{org}/profile", page(), role=Role.OWNER),
    Route("POST", "/studio/orgs/{org}/profile", page(302), role=Role.OWNER, body=PROFILE),
    Route("GET", "/studio/orgs/{org}/members", page(needs_role=False)),
    Route(
        "POST",
        "/studio/orgs/{org}/members",
        page(302),
        role=Role.OWNER,
        body=INVITED,
    ),
    Route(
        "POST",
        "/studio/orgs/{org}/invitations/{invitation}/withdraw",
        page(302),
        role=Role.OWNER,
        prepare=invitation,
    ),
    Route("GET", "/invitations/{token}", NOT_THE_INVITED_ADDRESS, prepare=invitation),
    Route(
        "POST",
        "/invitations/{token}",
        {**NOT_THE_INVITED_ADDRESS, "anonymous": 302},
        prepare=invitation,
        body=NEW_ACCOUNT,
        anonymous_redirect="/studio/",
    ),
    Route(
        "POST",
        "/studio/orgs/{org}/members/{target}",
        page(302),
        role=Role.OWNER,
        prepare=designer,
        body={"roles": ["assessor", "designer"], "action": "save"},
    ),
    Route(
        "POST",
        "/studio/orgs/{org}/members/{target}",
        page(302),
        role=Role.OWNER,
        prepare=designer,
        body={"action": "remove"},
    ),
    Route("GET", "/studio/orgs/{org}/keys", page(needs_role=False)),
    Route("POST", "/studio/orgs/{org}/keys/rotate", page(302), role=Role.OWNER),
    Route(
        "POST",
        "/studio/orgs/{org}/keys/key-1/compromise",
        page(302),
        role=Role.OWNER,
        body={"reason": "Leaked in a backup.", "confirm": "on"},
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client: Client, route: Route, actor: str) -> None:
    check(client, route, actor)


def test_the_matrix_fails_when_a_caller_gets_another_status(client: Client) -> None:
    claims_too_much = Route("GET", "/api/v1/orgs/{org}/keys", api())
    with pytest.raises(AssertionError, match="as member: expected 403, got 200"):
        check(client, claims_too_much, "member")
