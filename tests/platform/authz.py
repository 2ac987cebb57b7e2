"""Table-driven authorization checks for API routes and pages; every app can reuse them.

Each route is requested, in a fresh world, by each of six callers:

=========  ==================================================================
anonymous  nobody signed in
outsider   an owner of another organisation
member     a member of the organisation without the role the route needs
holder     a member with that role (for an owner's route: another owner)
owner      an owner of the organisation
admin      a platform admin who is no member
=========  ==================================================================

API routes are called with a personal API token, pages with a signed-in
session. A refused request (status 400 or more) must write no audit event,
and an API refusal must have the error shape ``{"code", "message", ...}``.
Use it like this::

    ROUTES = [
        Route("GET", "/api/v1/orgs/{org}/keys", api(needs_role=False)),
        Route("POST", "/api/v1/orgs/{org}/keys/rotate", api(201), role="owner"),
        Route("POST", "/api/v1/orgs/{org}/members", api(201), role="owner",
              prepare=lambda world: {"newcomer": make_user().username},
              body={"user": "{newcomer}", "roles": ["designer"]}),
    ]

    @pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
    def test_authorization(client, route, actor):
        check(client, route, actor)

``{org}`` is the organisation's slug; ``prepare(world)`` returns more
placeholder values (it may create what the route acts on), and strings in
``body`` are formatted with them too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from microcred.accounts.models import User
from microcred.accounts.services import create_api_token
from microcred.audit.models import AuditEvent
from microcred.organisations.models import Organisation, Role
from tests.platform.factories import add_member, make_organisation, make_user

ACTORS = ("anonymous", "outsider", "member", "holder", "owner", "admin")


def expect(
    *, anonymous: int, outsider: int, member: int, holder: int, owner: int, admin: int
) -> dict[str, int]:
    """Spell out the status every caller gets."""
    return {
        "anonymous": anonymous,
        "outsider": outsider,
        "member": member,
        "holder": holder,
        "owner": owner,
        "admin": admin,
    }


def api(ok: int = 200, *, needs_role: bool = True) -> dict[str, int]:
    """An API route of an organisation: 401 anonymous, 404 outsiders, 403 without the role."""
    return expect(
        anonymous=401,
        outsider=404,
        member=403 if needs_role else ok,
        holder=ok,
        owner=ok,
        admin=ok,
    )


def page(ok: int = 200, *, needs_role: bool = True) -> dict[str, int]:
    """A staff page of an organisation: anonymous callers are sent to sign in."""
    return {**api(ok, needs_role=needs_role), "anonymous": 302}


def public(ok: int = 200) -> dict[str, int]:
    """A public page or route: everyone gets the same."""
    return dict.fromkeys(ACTORS, ok)


def signed_in(ok: int = 200, *, is_api: bool = True) -> dict[str, int]:
    """A route about the caller themselves: anyone signed in."""
    return {**public(ok), "anonymous": 401 if is_api else 302}


def platform_admin(ok: int = 200, *, is_api: bool = True) -> dict[str, int]:
    """A route for platform admins only."""
    return {**public(403), "anonymous": 401 if is_api else 302, "admin": ok}


@dataclass
class World:
    """Two organisations and one user per caller (None for the anonymous one)."""

    organisation: Organisation
    other: Organisation
    users: dict[str, User | None]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    expected: Mapping[str, int]
    role: str | None = None
    member_role: str | None = None
    body: Any = None
    prepare: Callable[[World], Mapping[str, Any]] | None = None
    # Where an anonymous caller's 302 must lead (the start of the address).
    anonymous_redirect: str = settings.LOGIN_URL

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def cases(routes: list[Route]) -> list[Any]:
    """Return one pytest parameter per route and caller, named like ``GET /path as owner``."""
    return [
        pytest.param(route, actor, id=f"{route} as {actor}") for route in routes for actor in ACTORS
    ]


def build_world(route: Route) -> World:
    """Create the organisations and callers; passwords stay unusable, so no hashing slows it."""

    def user(**fields: Any) -> User:
        return make_user(password=None, **fields)

    owner = user()
    organisation = make_organisation(owner)
    outsider = user()
    other = make_organisation(outsider)
    member_role = route.member_role or next(
        role for role in (Role.DESIGNER, Role.ASSESSOR) if role != route.role
    )
    member = add_member(organisation, user(), member_role)
    holder = add_member(organisation, user(), route.role or member_role)
    users = {
        "anonymous": None,
        "outsider": outsider,
        "member": member,
        "holder": holder,
        "owner": owner,
        "admin": user(is_staff=True),
    }
    return World(organisation, other, users)


def _formatted(value: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, list):
        return [_formatted(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _formatted(item, values) for key, item in value.items()}
    return value


def check(client: Client, route: Route, actor: str) -> None:
    """Request ``route`` as ``actor`` in a fresh world and check the status it gets."""
    world = build_world(route)
    world.values = {"org": world.organisation.slug}
    if route.prepare is not None:
        world.values.update(route.prepare(world))
    path = route.path.format(**world.values)
    body = _formatted(route.body, world.values)
    user = world.users[actor]
    headers = {}
    if user is not None and route.is_api:
        headers["Authorization"] = f"Bearer {create_api_token(actor=user, name='authz')[1]}"
    elif user is not None:
        client.force_login(user)
    events = AuditEvent.objects.count()

    if route.is_api:
        response = client.generic(
            route.method,
            path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )
    else:
        response = client.generic(
            route.method,
            path,
            urlencode(body or {}, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )

    wanted = route.expected[actor]
    assert response.status_code == wanted, (
        f"{route.method} {path} as {actor}: expected {wanted}, got {response.status_code}: "
        f"{response.content[:500]!r}"
    )
    if wanted == 302 and actor == "anonymous":
        assert response["Location"].startswith(route.anonymous_redirect)
    if wanted >= 400:
        assert AuditEvent.objects.count() == events, "a refused request wrote an audit event"
        if route.is_api:
            assert {"code", "message", "field", "data"} <= set(response.json())
