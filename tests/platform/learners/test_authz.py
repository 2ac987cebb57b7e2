"""Who may call each learners route: the table of tests/platform/authz.py.

A learner's own pages answer to that learner only: to everyone else, staff and platform
admins included, they are not found. A private award's page answers to its issuer's staff
(and to share links), not to outsiders or platform admins.
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred.awards import services as awards
from tests.platform.authz import Route, World, cases, check, expect, public, signed_in
from tests.platform.awards.factories import make_version
from tests.platform.factories import make_organisation, make_user

# Someone else's credential: not found for every caller, and anonymous ones sign in first.
SOMEONE_ELSES = {**public(404), "anonymous": 302}
# A private award: its organisation's staff see it; nobody else does.
PRIVATE = expect(anonymous=404, outsider=404, member=200, holder=200, owner=200, admin=404)


def a_learners_award(world: World, *, visibility: str = "public") -> dict[str, Any]:
    learner = make_user(password=None)
    award = awards.issue_award(
        actor=world.users["owner"],
        version=make_version(world.organisation),
        learner_email=learner.email,
    )
    awards.set_visibility(actor=learner, award=award, visibility=visibility)
    link = awards.create_share_link(actor=learner, award=award)
    return {"award": str(award.uuid), "link": link.pk, "token": link.token, "learner": learner}


def a_private_award(world: World) -> dict[str, Any]:
    return a_learners_award(world, visibility="private")


def a_revoked_link(world: World) -> dict[str, Any]:
    values = a_learners_award(world)
    award = awards.get_award(values["award"])
    awards.revoke_share_link(actor=values["learner"], award=award, link_id=values["link"])
    return values


def a_claim(world: World) -> dict[str, Any]:
    award = awards.issue_award(
        actor=world.users["owner"],
        version=make_version(world.organisation),
        learner_email="unclaimed@example.org",
    )
    return {"token": awards.claim_url(award).rsplit("/", 1)[1]}


ME = "/me/credentials/"
ROUTES = [
    Route("GET", ME, signed_in(is_api=False)),
    Route("GET", f"{ME}export", signed_in(is_api=False)),
    Route("GET", f"{ME}{{award}}", SOMEONE_ELSES, prepare=a_learners_award),
    Route(
        "POST",
        f"{ME}{{award}}/visibility",
        SOMEONE_ELSES,
        prepare=a_learners_award,
        body={"visibility": "private"},
    ),
    Route("POST", f"{ME}{{award}}/share-links", SOMEONE_ELSES, prepare=a_learners_award),
    Route(
        "POST",
        f"{ME}{{award}}/share-links/{{link}}/revoke",
        SOMEONE_ELSES,
        prepare=a_learners_award,
    ),
    Route("GET", f"{ME}claim/{{token}}", signed_in(302, is_api=False), prepare=a_claim),
    Route(
        "GET",
        "/s/{token}",
        public(302),
        prepare=a_learners_award,
        anonymous_redirect="/credentials/",
    ),
    Route("GET", "/s/{token}", public(404), prepare=a_revoked_link),
    Route("GET", "/credentials/{award}/embed", public(), prepare=a_learners_award),
    Route("GET", "/credentials/{award}/embed", PRIVATE, prepare=a_private_award),
    Route("GET", "/credentials/{award}", PRIVATE, prepare=a_private_award),
    Route("GET", "/credentials/{award}.pdf", PRIVATE, prepare=a_private_award),
    Route("GET", "/credentials/{award}?share={token}", public(), prepare=a_private_award),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route, actor) -> None:
    check(client, route, actor)


@pytest.mark.parametrize(
    ("method", "path", "wanted"),
    [
        ("GET", "", 200),
        ("POST", "/visibility", 302),
        ("POST", "/share-links", 302),
        ("POST", "/share-links/{link}/revoke", 302),
    ],
)
def test_the_learner_may_use_their_own_credential_pages(client, method, path, wanted) -> None:
    owner = make_user(password=None)
    values = a_learners_award(
        World(make_organisation(owner), make_organisation(), {"owner": owner})
    )
    client.force_login(values["learner"])
    response = client.generic(
        method,
        f"{ME}{values['award']}{path.format(**values)}",
        "visibility=private",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == wanted
