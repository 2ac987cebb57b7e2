"""Who may call each bulk issuing route and page: the table of tests/platform/authz.py."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.bulk import services
from microcred.organisations.models import Role
from tests.platform.authz import Route, World, api, cases, check, page
from tests.platform.awards.factories import make_version
from tests.platform.bulk.factories import rows

REGISTRAR = Role.REGISTRAR
API = "/api/v1/orgs/{org}/bulk-jobs"
STUDIO = "/studio/orgs/{org}/bulk/"


def a_version(world: World) -> dict[str, Any]:
    return {"version": str(make_version(world.organisation).achievement_uuid)}


def a_job(world: World) -> dict[str, Any]:
    version = make_version(world.organisation)
    started = services.start_job(
        actor=world.users["owner"],
        organisation_slug=world.organisation.slug,
        rows=services.read_rows(rows(version, 1)),
        name="cohort",
    )
    return {"job": str(started.job.uuid)}


START = {"rows": [{"version": "{version}", "learner_email": "grace@example.org"}]}

ROUTES = [
    Route("GET", API, api(), role=REGISTRAR, prepare=a_job),
    Route("POST", API, api(201), role=REGISTRAR, prepare=a_version, body=START),
    Route("GET", API + "/{job}", api(), role=REGISTRAR, prepare=a_job),
    Route("POST", API + "/{job}/cancel", api(), role=REGISTRAR, prepare=a_job),
    Route("POST", API + "/{job}/resume", api(), role=REGISTRAR, prepare=a_job),
    Route("GET", API + "/{job}/report", api(), role=REGISTRAR, prepare=a_job),
    Route("GET", STUDIO, page(), role=REGISTRAR, prepare=a_job),
    # Posted without a file: refused as a form (400) once the caller is authorised.
    Route("POST", STUDIO, page(400), role=REGISTRAR),
    Route("GET", STUDIO + "{job}", page(), role=REGISTRAR, prepare=a_job),
    Route("GET", STUDIO + "{job}/report", page(), role=REGISTRAR, prepare=a_job),
    Route("POST", STUDIO + "{job}/cancel", page(302), role=REGISTRAR, prepare=a_job),
    Route("POST", STUDIO + "{job}/resume", page(302), role=REGISTRAR, prepare=a_job),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route: Route, actor: str) -> None:
    check(client, route, actor)
