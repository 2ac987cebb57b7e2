"""Who may call each catalogue route and page: the table of tests/platform/authz.py."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.catalogue import services
from microcred.organisations.models import Role
from tests.platform.authz import Route, World, api, cases, check, page, public
from tests.platform.catalogue.factories import ESCO_ASSESS_STUDENTS, complete_fields
from tests.platform.quality.factories import approve

DESIGNER = Role.DESIGNER
# What the confirmation box of an irreversible action sends when ticked.
CONFIRM = {"confirm": "on"}


def a_draft(world: World, **fields: Any) -> dict[str, Any]:
    draft = services.create_microcredential(
        actor=world.users["owner"],
        organisation=world.organisation,
        title="Classroom assessment",
        **(fields or complete_fields()),
    )
    return {"credential": draft.microcredential.slug, "uuid": str(draft.achievement_uuid)}


def an_approved(world: World) -> dict[str, Any]:
    """A draft that passed quality assurance, ready to publish."""
    values = a_draft(world)
    approve(
        services.access_version(
            world.users["owner"], world.organisation.slug, values["credential"], 1
        )
    )
    return values


def a_published(world: World) -> dict[str, Any]:
    values = an_approved(world)
    version = services.access_version(
        world.users["owner"], world.organisation.slug, values["credential"], 1
    )
    services.publish_version(actor=world.users["owner"], version=version)
    return values


STUDIO = "/studio/orgs/{org}/credentials/"
VERSION = STUDIO + "{credential}/v1/"
API = "/api/v1/orgs/{org}/microcredentials"

ROUTES = [
    Route("GET", STUDIO, page(needs_role=False), prepare=a_draft),
    Route("GET", STUDIO + "new", page(), role=DESIGNER),
    Route("POST", STUDIO + "new", page(302), role=DESIGNER, body={"title": "Data literacy"}),
    Route("GET", STUDIO + "{credential}/", page(needs_role=False), prepare=a_draft),
    Route(
        "POST", STUDIO + "{credential}/new-version", page(302), role=DESIGNER, prepare=a_published
    ),
    Route("GET", VERSION, page(needs_role=False), prepare=a_draft),
    Route("GET", VERSION + "edit", page(), role=DESIGNER, prepare=a_draft),
    Route(
        "POST",
        VERSION + "edit",
        page(302),
        role=DESIGNER,
        prepare=a_draft,
        body={
            "v-title": "Renamed",
            "v-achievement_type": "MicroCredential",
            "k-TOTAL_FORMS": "0",
            "k-INITIAL_FORMS": "0",
        },
    ),
    Route("GET", VERSION + "publish", page(), role=DESIGNER, prepare=a_draft),
    Route("POST", VERSION + "publish", page(302), role=DESIGNER, prepare=an_approved, body=CONFIRM),
    Route(
        "POST", VERSION + "withdraw", page(302), role=DESIGNER, prepare=a_published, body=CONFIRM
    ),
    Route("GET", VERSION + "outcomes/1/skills", page(), role=DESIGNER, prepare=a_draft),
    Route(
        "POST",
        VERSION + "outcomes/2/skills",
        page(302),
        role=DESIGNER,
        prepare=a_draft,
        body={"uri": ESCO_ASSESS_STUDENTS, "action": "add"},
    ),
    Route("GET", "/catalogue/", public()),
    Route("GET", "/catalogue/{org}/{credential}/", public(), prepare=a_published),
    Route("GET", "/catalogue/{org}/{credential}/v1/", public(), prepare=a_published),
    Route("GET", "/catalogue/{org}/{credential}/", public(404), prepare=a_draft),
    Route("GET", "/achievements/{uuid}", public(), prepare=a_published),
    Route("GET", "/achievements/{uuid}.json", public(), prepare=a_published),
    Route("GET", "/achievements/{uuid}", public(404), prepare=a_draft),
    Route("GET", "/api/v1/catalogue", public()),
    Route("GET", "/api/v1/achievements/{uuid}", public(), prepare=a_published),
    Route("GET", "/api/v1/achievements/{uuid}", public(404), prepare=a_draft),
    Route("GET", "/api/v1/skills?q=assess+students", public()),
    Route("GET", API, api(needs_role=False), prepare=a_draft),
    Route("POST", API, api(201), role=DESIGNER, body={"title": "Data literacy"}),
    Route("GET", API + "/{credential}", api(needs_role=False), prepare=a_draft),
    Route("GET", API + "/{credential}/versions/1", api(needs_role=False), prepare=a_draft),
    Route(
        "PATCH",
        API + "/{credential}/versions/1",
        api(),
        role=DESIGNER,
        prepare=a_draft,
        body={"title": "Renamed"},
    ),
    Route(
        "POST", API + "/{credential}/versions/1/publish", api(), role=DESIGNER, prepare=an_approved
    ),
    Route(
        "POST",
        API + "/{credential}/versions/1/withdraw",
        api(),
        role=DESIGNER,
        prepare=a_published,
        body={"reason": "Replaced."},
    ),
    Route("POST", API + "/{credential}/versions", api(201), role=DESIGNER, prepare=a_published),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)
