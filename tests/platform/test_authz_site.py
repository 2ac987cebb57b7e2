"""Who may open the site's own routes: the table of tests/platform/authz.py."""

from __future__ import annotations

import pytest

from tests.platform.authz import Route, cases, check, public

ROUTES = [
    Route("GET", "/", public()),
    Route("GET", "/favicon.ico", public(301)),
    Route("GET", "/api/docs", public(302), anonymous_redirect="/api/v1/docs"),
    Route("GET", "/api/openapi.json", public()),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client, route, actor) -> None:
    check(client, route, actor)
