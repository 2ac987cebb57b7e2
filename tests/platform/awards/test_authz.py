"""Who may call each awards route and page: the table of tests/platform/authz.py."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.awards import services
from microcred.organisations.models import Role
from tests.platform.authz import Route, World, api, cases, check, page, public
from tests.platform.awards.factories import make_version
from tests.platform.factories import make_user

REGISTRAR = Role.REGISTRAR


def a_version(world: World) -> dict[str, Any]:
    return {"version": str(make_version(world.organisation).achievement_uuid)}


def an_award(world: World) -> dict[str, Any]:
    award = services.issue_award(
        actor=world.users["owner"],
        version=make_version(world.organisation),
        learner_email="ada@example.org",
    )
    return {"award": str(award.uuid)}


def a_suspended_award(world: World) -> dict[str, Any]:
    values = an_award(world)
    award = services.get_award(values["award"])
    services.suspend_award(actor=world.users["owner"], award=award, reason="Appeal.")
    return values


def a_revoked_award(world: World) -> dict[str, Any]:
    values = an_award(world)
    award = services.get_award(values["award"])
    services.revoke_award(actor=world.users["owner"], award=award, reason="Copied work.")
    return values


def a_learner_award(world: World) -> dict[str, Any]:
    learner = make_user(password=None)
    award = services.issue_award(
        actor=world.users["owner"],
        version=make_version(world.organisation),
        learner_email=learner.email,
    )
    return {"learner": learner.username, "award": str(award.uuid)}


def a_record(world: World) -> dict[str, Any]:
    values = a_learner_award(world)
    record = services.issue_clr_request(
        actor=world.users["owner"],
        organisation_slug=world.organisation.slug,
        learner=values["learner"],
        awards=[values["award"]],
    )
    return {**values, "record": str(record.uuid)}


ISSUE = {"version": "{version}", "learner_email": "grace@example.org"}
RECORD = {"learner": "{learner}", "awards": ["{award}"]}
# A learner's own record: none of the callers holds a credential of the organisation.
OWN_RECORD = {**public(404), "anonymous": 401}
REASON = {"reason": "Checked by the board."}
REVOKE = {**REASON, "confirm": "on"}

ROUTES = [
    Route("GET", "/api/v1/orgs/{org}/awards", api(needs_role=False), prepare=an_award),
    Route(
        "POST", "/api/v1/orgs/{org}/awards", api(201), role=REGISTRAR, prepare=a_version, body=ISSUE
    ),
    Route("GET", "/api/v1/awards/{award}", api(needs_role=False), prepare=an_award),
    Route(
        "POST",
        "/api/v1/awards/{award}/revoke",
        api(),
        role=REGISTRAR,
        prepare=an_award,
        body=REASON,
    ),
    Route(
        "POST",
        "/api/v1/awards/{award}/suspend",
        api(),
        role=REGISTRAR,
        prepare=an_award,
        body=REASON,
    ),
    Route(
        "POST",
        "/api/v1/awards/{award}/unsuspend",
        api(),
        role=REGISTRAR,
        prepare=a_suspended_award,
        body=REASON,
    ),
    Route(
        "POST", "/api/v1/awards/{award}/reissue", api(201), role=REGISTRAR, prepare=a_revoked_award
    ),
    Route("GET", "/api/v1/orgs/{org}/status-lists", api(needs_role=False), prepare=an_award),
    Route("GET", "/studio/orgs/{org}/awards/", page(needs_role=False), prepare=an_award),
    Route("GET", "/studio/orgs/{org}/awards/issue", page(), role=REGISTRAR, prepare=a_version),
    Route("GET", "/studio/orgs/{org}/awards/{award}", page(needs_role=False), prepare=an_award),
    Route(
        "POST",
        "/studio/orgs/{org}/awards/{award}/revoke",
        page(302),
        role=REGISTRAR,
        prepare=an_award,
        body=REVOKE,
    ),
    Route(
        "POST",
        "/studio/orgs/{org}/awards/{award}/suspend",
        page(302),
        role=REGISTRAR,
        prepare=an_award,
        body=REASON,
    ),
    Route(
        "POST",
        "/studio/orgs/{org}/awards/{award}/reissue",
        page(302),
        role=REGISTRAR,
        prepare=a_revoked_award,
    ),
    Route("GET", "/credentials/{award}", public(), prepare=an_award),
    Route("GET", "/credentials/{award}.json", public(), prepare=an_award),
    Route("GET", "/credentials/{award}.png", public(), prepare=an_award),
    Route("GET", "/credentials/{award}.pdf", public(), prepare=an_award),
    Route("GET", "/status/{org}/suspension-1", public(), prepare=an_award),
    Route(
        "POST",
        "/api/v1/orgs/{org}/clr",
        api(201),
        role=REGISTRAR,
        prepare=a_learner_award,
        body=RECORD,
    ),
    Route("GET", "/api/v1/orgs/{org}/clr", OWN_RECORD, prepare=a_record),
    Route("GET", "/records/{record}", public(), prepare=a_record),
    Route("GET", "/records/{record}.json", public(), prepare=a_record),
    Route("GET", "/me/records/{org}", {**OWN_RECORD, "anonymous": 302}, prepare=a_record),
    Route("GET", "/studio/orgs/{org}/awards/records/", page(needs_role=False), prepare=a_record),
    Route("GET", "/studio/orgs/{org}/awards/records/issue", page(), role=REGISTRAR),
    Route(
        "GET",
        "/studio/orgs/{org}/awards/records/issue?learner={learner}",
        page(),
        role=REGISTRAR,
        prepare=a_learner_award,
    ),
    Route(
        "POST",
        "/studio/orgs/{org}/awards/records/issue",
        page(302),
        role=REGISTRAR,
        prepare=a_learner_award,
        body=RECORD,
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)


def test_the_issue_form_posts_only_for_registrars(client) -> None:
    """The issue form's POST, whose body needs the version's primary key."""
    from tests.platform.authz import build_world

    for actor, expected in (("member", 403), ("holder", 302), ("outsider", 404)):
        world = build_world(Route("POST", "", {}, role=REGISTRAR))
        version = make_version(world.organisation)
        client.force_login(world.users[actor])
        response = client.post(
            f"/studio/orgs/{world.organisation.slug}/awards/issue",
            {"version": version.pk, "learner_email": "ada@example.org", "format": "ldp"},
        )
        assert response.status_code == expected, actor
        assert version.awards.count() == (1 if expected == 302 else 0)
