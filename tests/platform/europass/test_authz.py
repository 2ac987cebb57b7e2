"""Who may call each Europass route and page: the table of tests/platform/authz.py."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.organisations.models import Role
from tests.platform.authz import Route, World, api, cases, check, page, public
from tests.platform.awards.factories import issue, make_registrar, make_version


def an_award(world: World) -> dict[str, Any]:
    version = make_version(world.organisation)
    award = issue(make_registrar(world.organisation, password=None), version)
    return {"slug": version.microcredential.slug, "award": str(award.uuid)}


VERSION = "/catalogue/{org}/{slug}/"
IMPORT = "/studio/orgs/{org}/europass/import"

ROUTES = [
    Route("GET", VERSION + "elm.jsonld", public(), prepare=an_award),
    Route("GET", VERSION + "elm.json", public(), prepare=an_award),
    Route("GET", VERSION + "v1/elm.jsonld", public(), prepare=an_award),
    Route("GET", VERSION + "v1/elm.json", public(), prepare=an_award),
    Route("GET", "/credentials/{award}.elm.jsonld", public(), prepare=an_award),
    Route("GET", "/credentials/{award}.elm.json", public(), prepare=an_award),
    Route("GET", "/credentials/{award}.edc-upload.json", public(), prepare=an_award),
    Route("GET", IMPORT, page(), role=Role.DESIGNER, member_role=Role.ASSESSOR),
    # A form without a file: the holder gets the page back with the error.
    Route("POST", IMPORT, page(400), role=Role.DESIGNER, member_role=Role.ASSESSOR),
    Route(
        "POST",
        "/api/v1/orgs/{org}/elm-imports",
        api(201),
        role=Role.DESIGNER,
        member_role=Role.ASSESSOR,
        body={"type": "Qualification", "title": {"en": "Imported"}},
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)
