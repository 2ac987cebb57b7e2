"""Users and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from microcred.accounts.models import ApiToken, User
from microcred.errors import InvalidInput

TOKEN_PREFIX = "mct_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; return it with the secret, which is shown only this once."""
    if not name.strip():
        raise InvalidInput("Give the token a name, so you can tell it apart later.", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name.strip(), prefix=secret[:12], token_hash=_hash(secret)
        )
    return token, secret


def get_user_for_token(secret: str) -> Any:
    """Return the active user a live token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=datetime.now(UTC))
    return token.user
