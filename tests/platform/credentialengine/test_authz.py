"""Who may call each Credential Engine route and page: the table of tests/platform/authz.py."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.organisations.models import Role
from tests.platform.authz import Route, World, api, cases, check, expect, page, public
from tests.platform.awards.factories import make_version


def a_version(world: World) -> dict[str, Any]:
    return {"credential": make_version(world.organisation).microcredential.slug}


STUDIO = "/studio/orgs/{org}/credential-engine/"
PUBLICATIONS = "/api/v1/orgs/{org}/credential-engine/publications"

ROUTES = [
    Route("GET", "/orgs/{org}/ctdl.json", public(), prepare=a_version),
    Route("GET", "/catalogue/{org}/{credential}/v1/ctdl.json", public(), prepare=a_version),
    Route("GET", STUDIO, page(), role=Role.DESIGNER),
    # No registry is configured here: the page says so, and nothing is sent or recorded.
    Route("POST", STUDIO + "publish", page(302), role=Role.DESIGNER, prepare=a_version),
    Route("GET", PUBLICATIONS, api(), role=Role.DESIGNER),
    # Without a registry, an authorised caller reaches the service and hears it is not set up.
    Route(
        "POST",
        PUBLICATIONS,
        expect(anonymous=401, outsider=404, member=403, holder=503, owner=503, admin=503),
        role=Role.DESIGNER,
        prepare=a_version,
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)
