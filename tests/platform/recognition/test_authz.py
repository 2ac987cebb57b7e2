"""Who may call each recognition route and page: the table of tests/platform/authz.py.

Learners apply and read their own requests; evaluators of the organisation propose, decide
and publish transfer values; published transfer values are public.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.organisations.models import Role
from microcred.recognition import services
from tests.platform.assessment.factories import PDF
from tests.platform.authz import Route, World, api, cases, check, page, public, signed_in
from tests.platform.awards.factories import make_version
from tests.platform.factories import add_member, make_user

EVALUATOR = Role.EVALUATOR


def a_version(world: World) -> dict[str, Any]:
    version = make_version(world.organisation)
    return {"version": str(version.achievement_uuid), "version_object": version}


def a_request(world: World) -> dict[str, Any]:
    """A request by a learner who is none of the callers, with evidence only."""
    values = a_version(world)
    request = services.apply_for_recognition(
        actor=make_user(password=None),
        version=values["version_object"],
        statement="Two years of newsroom dashboards.",
        learning_setting="informal",
        evidence=[{"text": "A portfolio of dashboards."}],
    )
    return {**values, "request": str(request.uuid), "request_object": request}


def a_request_with_a_file(world: World) -> dict[str, Any]:
    """A request by a learner who is none of the callers, with a PDF attached."""
    values = a_version(world)
    request = services.apply_for_recognition(
        actor=make_user(password=None),
        version=values["version_object"],
        statement="Two years of newsroom dashboards.",
        learning_setting="informal",
        files=[SimpleUploadedFile("certificate.pdf", PDF)],
    )
    return {**values, "request": str(request.uuid), "file": str(request.files.get().uuid)}


def a_proposal(world: World) -> dict[str, Any]:
    """A request with a proposal by an evaluator who is none of the callers."""
    values = a_request(world)
    proposer = add_member(world.organisation, make_user(password=None), EVALUATOR)
    services.propose_decision(
        actor=proposer, request=values["request_object"], decision="refused", reasons="Thin."
    )
    return values


def two_tables(world: World) -> dict[str, Any]:
    owner = world.organisation.memberships.filter(role=Role.OWNER).first().user
    tables = [
        services.create_grading_table(
            actor=owner,
            organisation_slug=world.organisation.slug,
            field_of_study="0613",
            grading_system=system,
            grades=grades,
        )
        for system, grades in (("ECTS", [["A", 10], ["B", 90]]), ("Dutch", [["8", 40], ["7", 60]]))
    ]
    return {"source": tables[0].uuid, "target": tables[1].uuid}


APPLY = {
    "version": "{version}",
    "statement": "Two years of newsroom dashboards.",
    "learning_setting": "informal",
    "evidence": [{"text": "A portfolio of dashboards."}],
}
STUDIO = "/studio/orgs/{org}/recognition/"
API = "/api/v1/orgs/{org}/recognition/requests"

ROUTES = [
    Route("GET", "/me/recognition/", signed_in(is_api=False)),
    Route("GET", "/me/recognition/apply", signed_in(is_api=False), prepare=a_version),
    Route(
        "POST",
        "/me/recognition/apply",
        signed_in(302, is_api=False),
        prepare=a_version,
        body={**APPLY, "evidence": "A portfolio of dashboards."},
    ),
    Route("GET", "/me/recognition/worth", signed_in(is_api=False)),
    Route("GET", "/me/recognition/{request}", page(), role=EVALUATOR, prepare=a_request),
    # Only the learner attaches files: everyone else is told the request is not there.
    Route(
        "POST",
        "/me/recognition/{request}/files",
        {**public(404), "anonymous": 302},
        role=EVALUATOR,
        prepare=a_request,
    ),
    Route(
        "GET",
        "/recognition/{request}/files/{file}",
        page(),
        role=EVALUATOR,
        prepare=a_request_with_a_file,
    ),
    Route("GET", STUDIO, page(), role=EVALUATOR, prepare=a_request),
    Route("GET", STUDIO + "{request}", page(), role=EVALUATOR, prepare=a_request),
    Route(
        "POST",
        STUDIO + "{request}/propose",
        page(302),
        role=EVALUATOR,
        prepare=a_request,
        body={"decision": "refused", "reasons": "Outcome 2 is not shown."},
    ),
    Route(
        "POST",
        STUDIO + "{request}/decide",
        page(302),
        role=EVALUATOR,
        prepare=a_proposal,
        body={"confirm": "yes"},
    ),
    Route("GET", STUDIO + "transfer-values", page(), role=EVALUATOR),
    Route(
        "POST",
        STUDIO + "transfer-values",
        page(302),
        role=EVALUATOR,
        prepare=a_version,
        body={
            "target_version": "{version}",
            "source_achievement": "https://badges.example.org/achievements/7",
            "source_name": "Data Visualisation Basics",
            "credits": "2",
            "credit_system": "ECTS",
        },
    ),
    Route("POST", "/api/v1/recognition/requests", signed_in(201), prepare=a_version, body=APPLY),
    Route("GET", "/api/v1/recognition/requests", signed_in()),
    Route("GET", API, api(), role=EVALUATOR, prepare=a_request),
    Route(
        "POST",
        API + "/{request}/proposal",
        api(),
        role=EVALUATOR,
        prepare=a_request,
        body={
            "decision": "partial",
            "reasons": "One outcome.",
            "credit_value": 2,
            "credit_system": "ECTS",
        },
    ),
    Route(
        "POST",
        API + "/{request}/decision",
        api(),
        role=EVALUATOR,
        prepare=a_proposal,
        body={"confirm": True},
    ),
    Route(
        "POST",
        "/api/v1/orgs/{org}/transfer-values",
        api(201),
        role=EVALUATOR,
        prepare=a_version,
        body={
            "target_version": "{version}",
            "source_achievement": "https://badges.example.org/achievements/7",
            "source_name": "Data Visualisation Basics",
            "component": "visualisation",
        },
    ),
    Route("GET", "/api/v1/orgs/{org}/transfer-values", public()),
    Route("GET", STUDIO + "grading-tables", page(), role=EVALUATOR),
    Route(
        "POST",
        STUDIO + "grading-tables",
        page(302),
        role=EVALUATOR,
        body={"field_of_study": "0613", "grading_system": "Dutch", "grades": "8 40\n7 60"},
    ),
    Route(
        "POST",
        "/api/v1/orgs/{org}/grading-tables",
        api(201),
        role=EVALUATOR,
        body={
            "field_of_study": "0613",
            "grading_system": "Dutch",
            "grades": [["8", 40], ["7", 60]],
        },
    ),
    Route("GET", "/api/v1/grading-tables", public()),
    Route("GET", "/grades/convert", public()),
    Route("GET", "/orgs/{org}/transfer-values.json", public()),
    Route(
        "GET",
        "/api/v1/grades/convert?source={source}&target={target}&grade=A",
        public(),
        prepare=two_tables,
    ),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)
