"""Who may call each quality route and page: the table of tests/platform/authz.py.

Outsiders (owners of another organisation) never review; anonymous callers reach
no staff page or API; a designer may read a review but not decide it, and the
author of a version may not approve it even as QA reviewer (four eyes).
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred.accounts.services import create_api_token
from microcred.organisations.models import Role
from microcred.quality import services
from tests.platform.authz import Route, World, api, cases, check, page, signed_in
from tests.platform.catalogue.factories import make_designer, make_draft
from tests.platform.factories import add_member, make_organisation
from tests.platform.quality.factories import all_met, vet

DESIGNER, REVIEWER, OWNER = Role.DESIGNER, Role.QA_REVIEWER, Role.OWNER


def a_draft(world: World) -> dict[str, Any]:
    """A draft written by a designer who is none of the callers."""
    draft = make_draft(world.organisation, actor=make_designer(world.organisation))
    vet(world.organisation)
    return {"credential": draft.microcredential.slug, "draft": draft}


def a_submitted(world: World) -> dict[str, Any]:
    values = a_draft(world)
    services.submit_version(actor=values["draft"].created_by, version=values["draft"])
    make_organisation(slug=f"agency-{world.organisation.slug}", type="qa_agency")
    return {**values, "agency": f"agency-{world.organisation.slug}"}


STUDIO = "/studio/orgs/{org}/quality/"
VERSION = STUDIO + "{credential}/v1/"
API = "/api/v1/orgs/{org}/microcredentials/{credential}/versions/1"
QA = "/api/v1/orgs/{org}/qa/"

# Every checklist item of the platform's required profiles, met.
CHECKLIST = {
    item_id: {"met": True, "note": ""}
    for item_id, _ in services.get_checklist(services.required_profiles())
}
FORM = {
    "decision": "approve",
    "comment-TOTAL_FORMS": "0",
    "comment-INITIAL_FORMS": "0",
    **{f"met:{item_id}": "yes" for item_id in CHECKLIST},
}

ROUTES = [
    Route("GET", STUDIO, page(), role=REVIEWER, prepare=a_submitted),
    Route("GET", STUDIO + "settings", page(), role=OWNER),
    Route(
        "POST",
        STUDIO + "settings",
        page(302),
        role=OWNER,
        body={
            "qa_process": "Two readers.",
            "accreditation-TOTAL_FORMS": "0",
            "accreditation-INITIAL_FORMS": "0",
        },
    ),
    Route("GET", VERSION, page(needs_role=False), prepare=a_submitted),
    Route(
        "POST",
        VERSION + "invite",
        page(302),
        role=REVIEWER,
        prepare=a_submitted,
        body={"agency": "{agency}"},
    ),
    Route("POST", VERSION + "submit", page(302), role=DESIGNER, prepare=a_draft),
    Route(
        "POST",
        VERSION + "findings",
        page(),
        role=DESIGNER,
        prepare=a_draft,
        body={"v-title": "T", "k-TOTAL_FORMS": "0", "k-INITIAL_FORMS": "0"},
    ),
    Route("POST", "/api/v1/qa/check", signed_in(), body={"specification": {"title": "T"}}),
    Route("GET", API + "/checks", api(needs_role=False), prepare=a_draft),
    Route("POST", API + "/submit", api(201), role=DESIGNER, prepare=a_draft),
    Route("GET", API + "/review", api(needs_role=False), prepare=a_submitted),
    Route(
        "POST",
        API + "/review/invite",
        api(),
        role=REVIEWER,
        prepare=a_submitted,
        body={"agency": "{agency}"},
    ),
    Route("POST", VERSION, page(302), role=REVIEWER, prepare=a_submitted, body=FORM),
    Route(
        "POST",
        API + "/review/decision",
        api(),
        role=REVIEWER,
        prepare=a_submitted,
        body={"decision": "approve", "checklist": CHECKLIST},
    ),
    Route("GET", QA + "queue", api(), role=REVIEWER),
    Route("GET", QA + "due", api(), role=REVIEWER),
    Route("GET", QA + "settings", api(needs_role=False)),
    Route("PUT", QA + "settings", api(), role=OWNER, body={"qa_process": "Two readers."}),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)


def test_the_author_may_not_decide_even_as_qa_reviewer(client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    vet(organisation)
    author = add_member(organisation, draft.created_by, Role.QA_REVIEWER)
    review = services.submit_version(actor=author, version=draft)
    token = create_api_token(actor=author, name="t")[1]
    response = client.post(
        f"/api/v1/orgs/{organisation.slug}/microcredentials/{draft.microcredential.slug}"
        "/versions/1/review/decision",
        {"decision": "approve", "checklist": all_met(review)},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403 and response.json()["code"] == "qa.four_eyes"
    client.force_login(author)
    page_response = client.post(
        f"/studio/orgs/{organisation.slug}/quality/{draft.microcredential.slug}/v1/", FORM
    )
    assert page_response.status_code == 403 and "four eyes" in page_response.text
    assert services.get_latest_review(draft).status == "internal_review"
