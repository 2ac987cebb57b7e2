"""Users and personal API tokens.

``create_*`` and ``revoke_*`` act (validate, authorise, change and audit in one
transaction); ``get_*`` and ``find_*`` only read.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q

from microcred.accounts.models import TOKEN_NAME_MAX_LENGTH, ApiToken, User
from microcred.audit.services import record_event
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound

__all__ = [
    "TOKEN_PREFIX",
    "User",
    "UserOrAnonymous",
    "check_platform_admin",
    "create_api_token",
    "create_user",
    "find_user",
    "get_api_tokens",
    "get_user_for_token",
    "get_verified_addresses",
    "get_verified_dids",
    "is_platform_admin",
    "revoke_api_token",
]

# Who a page open to everyone acts for: the signed-in user, or the anonymous visitor.
UserOrAnonymous = User | AnonymousUser

TOKEN_PREFIX = "mct_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_platform_admin(user: UserOrAnonymous) -> bool:
    """Return whether ``user`` runs the platform (an active staff user)."""
    return bool(getattr(user, "is_staff", False) and getattr(user, "is_active", False))


def check_platform_admin(actor: User, what: str) -> None:
    """Raise :class:`Forbidden` unless ``actor`` is a platform admin; ``what`` says what they
    tried, as in "register organisations"."""
    if not is_platform_admin(actor):
        raise Forbidden(
            f"Only platform admins may {what}; ask one of them.", code="platform_admin.required"
        )


def find_user(login: str) -> User | None:
    """Return the active user whose username or email address is ``login``, or None.

    Email addresses are compared without regard to case, as mail systems do.
    """
    login = login.strip()
    if not login:
        return None
    return User.objects.filter(Q(username=login) | Q(email__iexact=login), is_active=True).first()


def get_verified_addresses(user: User) -> list[str]:
    """Return the email addresses ``user`` has shown they receive mail at, lower-cased.

    Awards issued to any of them belong to the user. An address never verified does
    not: anyone can type someone else's address at sign-up.
    """
    return [user.email.lower()] if user.email else []


def get_verified_dids(user: User) -> list[str]:
    """Return the DIDs ``user`` has shown they control."""
    return [user.did] if user.did else []


def create_user(
    *, email: str, password: str | None, display_name: str = "", email_verified: bool
) -> User:
    """Create an active account for ``email``; its username is made from the address.

    ``email_verified`` says whether the caller has proof that the person receives mail
    there (an invitation link sent to it, say).
    """
    email = email.strip()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"An account for {email} exists already.", code="user.exists", field="email")
    base = email.split("@", 1)[0][:100] or "user"
    username, suffix = base, 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{base}{suffix}"
    user = User(username=username, email=email, display_name=display_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; return it with the secret, which is shown only this once."""
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name, so you can tell it apart later.", field="name")
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise InvalidInput(
            f"A token name has at most {TOKEN_NAME_MAX_LENGTH} characters.", field="name"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name, prefix=secret[:12], token_hash=_hash(secret)
        )
        record_event(actor=actor, action="token.create", target=token, data={"name": name})
    return token, secret


def get_api_tokens(user: User) -> list[ApiToken]:
    """Return the user's tokens, live and revoked, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def revoke_api_token(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of ``actor``'s own tokens (a platform admin: anyone's); it stops working at once.

    A token of someone else is reported as not found, so its existence is not revealed.
    """
    tokens = ApiToken.objects.filter(pk=token_id)
    if not is_platform_admin(actor):
        tokens = tokens.filter(user=actor)
    with transaction.atomic():
        token = tokens.select_for_update().first()
        if token is None:
            raise NotFound(f"You have no API token {token_id}.", field="token")
        if token.revoked_at is not None:
            raise Conflict(
                f"The token {token.name!r} was revoked already.", code="token.already_revoked"
            )
        token.revoked_at = datetime.now(UTC)
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="token.revoke", target=token, data={"name": token.name})
    return token


def get_user_for_token(secret: str) -> User | None:
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
