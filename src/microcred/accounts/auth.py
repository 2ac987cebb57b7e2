"""How API requests authenticate: a personal API token, or the signed-in session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from microcred.accounts.services import get_user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token; sessions work too."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = get_user_for_token(token)
        if user is not None:
            request.user = user
        return user


# A token, or the signed-in session (which also checks the CSRF token on changes).
AUTH = [TokenAuth(), SessionAuth()]
