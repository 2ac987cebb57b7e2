"""Users and personal API tokens.

``create_*`` and ``revoke_*`` act (validate, authorise, change and audit in one
transaction); ``get_*`` and ``find_*`` only read.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

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
    "delete_account",
    "find_user",
    "get_api_tokens",
    "get_email_addresses",
    "get_user_for_token",
    "get_verified_addresses",
    "get_verified_dids",
    "has_staff_pages",
    "is_platform_admin",
    "mark_email_verified",
    "revoke_api_token",
    "username_for",
]

# Who a page open to everyone acts for: the signed-in user, or the anonymous visitor.
UserOrAnonymous = User | AnonymousUser

TOKEN_PREFIX = "mct_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_platform_admin(user: UserOrAnonymous) -> bool:
    """Return whether ``user`` runs the platform (an active staff user)."""
    return bool(getattr(user, "is_staff", False) and getattr(user, "is_active", False))


def check_platform_admin(actor: User, what: str | Promise) -> None:
    """Raise :class:`Forbidden` unless ``actor`` is a platform admin; ``what`` says what they
    tried, as in "register organisations".

    The message is for a person, so it is in the active language: ``what`` is looked up in
    the catalogues too (the caller marks it with ``gettext_lazy`` or ``gettext_noop``).
    """
    if not is_platform_admin(actor):
        raise Forbidden(
            gettext("Only platform admins may %(what)s; ask one of them.")
            % {"what": gettext(str(what))},
            code="platform_admin.required",
        )


def find_user(login: str) -> User | None:
    """Return the active user whose username or email address is ``login``, or None.

    Email addresses are compared without regard to case, as mail systems do.
    """
    login = login.strip()
    if not login:
        return None
    return User.objects.filter(Q(username=login) | Q(email__iexact=login), is_active=True).first()


def has_staff_pages(user: UserOrAnonymous) -> bool:
    """Return whether ``user`` works in the studio: a member of an organisation, or a
    platform admin. Learners have neither."""
    if not user.is_authenticated:
        return False
    # The memberships are the organisations app's (a layer above), read through the relation.
    return is_platform_admin(user) or user.memberships.exists()


def get_verified_addresses(user: User) -> list[str]:
    """Return the email addresses ``user`` has shown they receive mail at, lower-cased.

    Awards issued to any of them belong to the user. An address never verified does
    not: anyone can type someone else's address at sign-up.
    """
    addresses = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    return list(dict.fromkeys(address.email.lower() for address in addresses))


def get_email_addresses(user: User) -> list[EmailAddress]:
    """Return the user's email addresses, verified or not, the primary one first."""
    return list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))


def get_verified_dids(user: User) -> list[str]:
    """Return the DIDs ``user`` has shown they control."""
    return [user.did] if user.did else []


def username_for(email: str) -> str:
    """Return a free username made from ``email``'s local part (``ana``, then ``ana2`` ...)."""
    base = email.strip().split("@", 1)[0][:100] or "user"
    username, suffix = base, 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{base}{suffix}"
    return username


def create_user(
    *, email: str, password: str | None, display_name: str = "", email_verified: bool
) -> User:
    """Create an active account for ``email``; its username is made from the address.

    ``email_verified`` says whether the caller has proof that the person receives mail
    there (an invitation link sent to it, say); an unverified address is recorded to be
    verified when its owner signs in.
    """
    email = email.strip()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
    ):
        raise Conflict(
            gettext("An account for %(email)s exists already.") % {"email": email},
            code="user.exists",
            field="email",
        )
    with transaction.atomic():
        user = User(username=username_for(email), email=email, display_name=display_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(
            user=user, email=email.lower(), verified=email_verified, primary=True
        )
    return user


def mark_email_verified(user: User) -> None:
    """Record the account's email address as verified and primary: for accounts made by the
    platform's operators (the demo's), whose addresses they vouch for."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )


def delete_account(*, actor: User) -> None:
    """Delete ``actor``'s account: what is personal goes, what others rely on stays.

    Gone: the email addresses, name, display name and DID, the password, the personal API
    tokens, the sign-ins through an institution, the applications' access (Open Badges API
    tokens), and every session (the password's change ends them). Kept: the credentials
    issued to the person, which stay valid and verifiable (they are signed and held by the
    learner), and the audit log. The account's row stays, inactive and nameless, because
    enrolments, reviews and audit events point at it.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        record_event(actor=user, action="account.delete", target=user)
        ApiToken.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        for model in (
            get_refresh_token_model(),
            get_access_token_model(),
            get_id_token_model(),
            get_grant_model(),
        ):
            model.objects.filter(user=user).delete()
        user.username = f"deleted-{user.pk}"
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.first_name = user.last_name = user.display_name = user.did = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()


def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; return it with the secret, which is shown only this once."""
    name = name.strip()
    if not name:
        raise InvalidInput(
            gettext("Give the token a name, so you can tell it apart later."), field="name"
        )
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise InvalidInput(
            gettext("A token name has at most %(count)d characters.")
            % {"count": TOKEN_NAME_MAX_LENGTH},
            field="name",
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
            raise NotFound(
                gettext("You have no API token %(id)s.") % {"id": token_id}, field="token"
            )
        if token.revoked_at is not None:
            raise Conflict(
                gettext("The token “%(name)s” was revoked already.") % {"name": token.name},
                code="token.already_revoked",
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
