"""Factories for account tests: platform admins, and API tokens as request headers."""

from __future__ import annotations

from typing import Any

from microcred.accounts.models import User
from microcred.accounts.services import create_api_token
from tests.platform.factories import make_user


def make_admin(**fields: Any) -> User:
    return make_user(is_staff=True, password=None, **fields)


def bearer(user: User) -> dict[str, str]:
    """Return request headers that authenticate as ``user`` with a new API token."""
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='tests')[1]}"}
