"""Calling the JSON API in tests as one user, with a personal API token of theirs."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.test import Client

from microcred.accounts.models import User
from tests.platform.accounts.factories import bearer


class Api:
    """The test client, authenticated as ``user`` by an API token made for this object."""

    def __init__(self, client: Client, user: User) -> None:
        self.client = client
        self.headers = bearer(user)

    def __call__(self, method: str, path: str, body: Any = None) -> HttpResponse:
        """Send ``body`` (if any) as JSON to ``/api/v1{path}``."""
        return self.client.generic(
            method,
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self.headers,
        )

    def upload(self, path: str, data: dict[str, Any]) -> HttpResponse:
        """Post ``data`` (files included) as a multipart form to ``/api/v1{path}``."""
        return self.client.post(f"/api/v1{path}", data, headers=self.headers)
