"""How API requests authenticate: a personal API token, or the signed-in session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import security
from ninja.utils import check_csrf

from microcred.accounts.services import User, get_user_for_token
from microcred.errors import Forbidden


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a signed-in user, for type checkers: a studio page (``login_required``)
    or an API route behind ``AUTH``, where ``user`` and ``auth`` are the :class:`User` acting.

    Handlers annotate ``request`` with it so that they pass ``request.user`` or
    ``request.auth`` as an ``actor: User`` without a cast; nothing creates one.
    """

    user: User
    auth: User


class TokenAuth(security.HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token; sessions work too."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = get_user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(security.SessionAuth):
    """The signed-in session; a change made through it must carry the CSRF token.

    The token is asked for only when there is a session user, so an anonymous request
    is told to authenticate (401) rather than refused for a token it could not have (403).
    """

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise Forbidden(
                "The CSRF token is missing or wrong: send the csrftoken cookie's value in "
                "the X-CSRFToken header, or authenticate with an API token instead.",
                code="csrf.failed",
                field="X-CSRFToken",
            )
        return request.user


# A token, or the signed-in session (which also checks the CSRF token on changes).
AUTH = [TokenAuth(), SessionAuth()]
