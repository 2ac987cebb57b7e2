"""Who may call each pathways route and page: the table of tests/platform/authz.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.accounts.services import find_user
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.organisations.models import Role
from microcred.pathways import services
from microcred.vc import Ed25519Multikey, sign
from microcred.verification.samples import sample_credential
from tests.platform.authz import (
    Route,
    World,
    api,
    cases,
    check,
    expect,
    page,
    public,
    signed_in,
)
from tests.platform.awards.factories import make_version
from tests.platform.factories import make_user
from tests.platform.pathways.factories import all_of

DESIGNER = Role.DESIGNER
REGISTRAR = Role.REGISTRAR


def a_pathway(world: World, *, publish: bool = True) -> dict[str, Any]:
    owner = world.users["owner"]
    component, target = make_version(world.organisation), make_version(world.organisation)
    pathway = services.create_pathway(
        actor=owner,
        organisation=world.organisation,
        name="Data Science Foundations",
        target=target,
        rules=all_of(component),
    )
    if publish:
        services.publish_pathway(actor=owner, pathway=pathway)
    return {
        "slug": pathway.slug,
        "target": str(target.achievement_uuid),
        "component": component.pk,
        "target_pk": target.pk,
        "learner": make_user(password=None).username,
    }


def a_completed_pathway(world: World) -> dict[str, Any]:
    """A pathway whose learner holds its stacked credential."""
    values = a_pathway(world)
    pathway = services.get_pathway(world.organisation.slug, values["slug"])
    learner = find_user(values["learner"])
    component = pathway.rules["children"][0]["achievement"]
    version = catalogue.get_version_by_achievement(component.rsplit("/", 1)[1])
    awards.issue_award(
        actor=world.users["owner"], version=version, learner=learner, learner_email=learner.email
    )
    services.request_stacked_credential(actor=learner, pathway=pathway, learner=learner)
    return values


def a_signed_credential(world: World) -> dict[str, Any]:
    key = Ed25519Multikey.generate()
    credential = sample_credential(issuer=key.public.did_key, valid_from=datetime.now(UTC))
    return {"credential": json.dumps(sign(credential, key=key))}


def an_import_of_the_owner(world: World) -> dict[str, Any]:
    owner = world.users["owner"]
    assert owner is not None
    document = a_signed_credential(world)["credential"]
    return {"external": services.add_external_credential(actor=owner, document=document).pk}


# Only the learner who imported a credential removes it; to anyone else it does not exist.
ONLY_THE_OWNER = expect(anonymous=302, outsider=404, member=404, holder=404, owner=302, admin=404)


def a_draft(world: World) -> dict[str, Any]:
    return a_pathway(world, publish=False)


PATHWAY = "/pathways/{org}/{slug}/"
STUDIO = "/studio/orgs/{org}/pathways/"
NEW = {"name": "Visual Analytics", "target": "{target}", "rules": {}}

ROUTES = [
    Route("GET", "/pathways/", public(), prepare=a_pathway),
    Route("GET", PATHWAY, public(), prepare=a_pathway),
    Route("GET", PATHWAY + "ctdl.json", public(), prepare=a_pathway),
    Route("POST", PATHWAY + "request", signed_in(302, is_api=False), prepare=a_pathway),
    Route("GET", "/pathways/credentials/", public(301)),
    Route("GET", "/me/credentials/import", signed_in(is_api=False)),
    Route(
        "POST",
        "/me/credentials/import",
        signed_in(302, is_api=False),
        prepare=a_signed_credential,
        body={"credential": "{credential}"},
    ),
    Route(
        "POST",
        "/me/credentials/imported/{external}/remove",
        ONLY_THE_OWNER,
        prepare=an_import_of_the_owner,
    ),
    Route("GET", "/api/v1/pathways", public()),
    Route("GET", "/api/v1/pathways/{org}/{slug}", public(), prepare=a_pathway),
    Route("GET", "/api/v1/pathways/{org}/{slug}/progress", signed_in(), prepare=a_pathway),
    Route("POST", "/api/v1/pathways/{org}/{slug}/request", signed_in(), prepare=a_pathway),
    Route(
        "POST",
        "/api/v1/pathways/{org}/{slug}/request",
        api(),
        role=REGISTRAR,
        prepare=a_pathway,
        body={"learner": "{learner}"},
    ),
    Route(
        "POST",
        "/api/v1/pathways/{org}/{slug}/clr",
        api(201),
        role=REGISTRAR,
        prepare=a_completed_pathway,
        body={"learner": "{learner}"},
    ),
    Route(
        "POST",
        "/api/v1/orgs/{org}/pathways",
        api(201),
        role=DESIGNER,
        prepare=a_draft,
        body={
            "name": "Visual Analytics",
            "target": "{target}",
            "rules": {
                "kind": "group",
                "key": "all",
                "name": "All",
                "require": {"all": True},
                "children": [
                    {"kind": "component", "key": "x", "name": "X", "achievement": "urn:x:1"}
                ],
            },
        },
    ),
    Route(
        "PATCH",
        "/api/v1/orgs/{org}/pathways/{slug}",
        api(),
        role=DESIGNER,
        prepare=a_draft,
        body={"name": "Data Science Basics"},
    ),
    Route(
        "POST", "/api/v1/orgs/{org}/pathways/{slug}/publish", api(), role=DESIGNER, prepare=a_draft
    ),
    Route("GET", STUDIO, page(), role=DESIGNER, prepare=a_draft),
    Route(
        "POST",
        STUDIO,
        page(302),
        role=DESIGNER,
        prepare=a_draft,
        body={
            "name": "Visual Analytics",
            "target": "{target_pk}",
            "requirement": "all",
            "components": ["{component}"],
        },
    ),
    Route("GET", STUDIO + "{slug}/", page(), role=DESIGNER, prepare=a_draft),
    Route("POST", STUDIO + "{slug}/publish", page(302), role=DESIGNER, prepare=a_draft),
    Route("GET", STUDIO + "learners/", page(), role=REGISTRAR, prepare=a_pathway),
    Route(
        "POST",
        STUDIO + "{slug}/learners/{learner}/request",
        page(302),
        role=REGISTRAR,
        prepare=a_pathway,
    ),
    Route(
        "POST",
        STUDIO + "{slug}/learners/{learner}/clr",
        page(302),
        role=REGISTRAR,
        prepare=a_completed_pathway,
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)
