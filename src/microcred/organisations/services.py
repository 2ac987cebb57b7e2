"""Organisations, their members and roles, their signing keys and their public documents.

``create_*``, ``register_*``, ``update_*``, ``add_*``, ``change_*``, ``remove_*``,
``rotate_*`` and ``mark_*`` act (they validate, authorise, change state and
write an audit event in one transaction); ``access_*`` fetch and authorise;
``get_*`` only read.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from microcred.accounts.services import (
    User,
    UserOrAnonymous,
    check_platform_admin,
    create_user,
    find_user,
    get_verified_addresses,
    is_platform_admin,
)
from microcred.audit.services import record_event
from microcred.core import public_urls
from microcred.core.words import long_date
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations.fetcher import LocalResolver, PlatformFetcher
from microcred.organisations.keystore import decrypt_secret, encrypt_secret
from microcred.organisations.models import (
    Invitation,
    KeyStatus,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    SigningKey,
)
from microcred.organisations.profile import clean_profile, profile_document
from microcred.organisations.signals import counting_signed_credentials, signing_key_replaced
from microcred.vc.http import Fetcher, HttpFetcher, ResponseCache
from microcred.vc.keys import Ed25519Multikey, Ed25519PublicMultikey

__all__ = [
    "INVITATION_VALIDITY",
    "Invitation",
    "InvitationState",
    "Member",
    "Organisation",
    "OrganisationRoles",
    "OrganisationType",
    "ProfileEntry",
    "Role",
    "accept_invitation",
    "accept_invitation_with_new_account",
    "access_organisation",
    "add_member",
    "change_member_roles",
    "check_invitation_open",
    "check_invited_address",
    "create_organisation",
    "get_active_key",
    "get_did_document",
    "get_did_document_url",
    "get_invitation",
    "get_invitation_state",
    "get_jwt_signer",
    "get_keys",
    "get_members",
    "get_memberships",
    "get_organisation",
    "get_organisations",
    "get_pending_invitations",
    "get_platform_fetcher",
    "get_profile",
    "get_profile_sections",
    "get_profile_url",
    "get_public_jwk",
    "get_roles",
    "get_signer",
    "invite_member",
    "local_organisation_document",
    "mark_key_compromised",
    "organisation_did",
    "register_local_document",
    "register_organisation",
    "register_profile_section",
    "remove_member",
    "role_labels",
    "rotate_signing_key",
    "update_organisation",
    "verification_method_id",
    "withdraw_invitation",
]

# DID Core 1.0 and the Multikey context (Controlled Identifiers 1.0, section 2.2.2).
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
# A slug is one did:web path segment and one URL path segment: keep it plain.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 60
DID_DOCUMENT_PATH = re.compile(r"^/orgs/(?P<slug>[a-z0-9-]+)/did\.json$")
PUBLIC_KEY_PATH = re.compile(r"^/orgs/(?P<slug>[a-z0-9-]+)/keys/(?P<key_id>[A-Za-z0-9_-]+)\.jwk$")
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}
# How long an invitation link works: long enough for a holiday, short enough that a
# forgotten email in a shared mailbox does not keep a door open.
INVITATION_VALIDITY = timedelta(days=7)


# -- identifiers and addresses ---------------------------------------------------------------


def organisation_did(organisation: Organisation) -> str:
    """Return the organisation's did:web (:func:`microcred.core.public_urls.organisation_did`)."""
    return public_urls.organisation_did(organisation.slug)


def verification_method_id(key: SigningKey) -> str:
    return public_urls.verification_method_id(key.organisation.slug, key.key_id)


def get_profile_url(organisation: Organisation) -> str:
    """Return the address of the organisation's public page."""
    return public_urls.profile_url(organisation.slug)


def get_did_document_url(organisation: Organisation) -> str:
    """Return the address the platform serves the DID document at (where did:web looks)."""
    return public_urls.did_document_url(organisation.slug)


# -- organisations ---------------------------------------------------------------------------


def create_organisation(
    *,
    actor: User,
    name: str,
    type: str,
    country: str,
    slug: str | None = None,
    owner: User | None = None,
    **profile: Any,
) -> Organisation:
    """Create an organisation with its first signing key; ``owner`` (default: actor) owns it.

    This does not check who may create organisations: demo data, tests and
    :func:`register_organisation` (which does check) call it.
    """
    fields = clean_profile({"name": name, "type": type, "country": country, **profile})
    slug = _clean_slug(slug or _slug_from(fields["name"]))
    with transaction.atomic():
        if Organisation.objects.filter(slug=slug).exists():
            raise Conflict(
                gettext("An organisation with the slug %(slug)s exists already.")
                % {"slug": repr(slug)},
                field="slug",
            )
        organisation = Organisation.objects.create(slug=slug, **fields)
        owner = owner or actor
        if owner is not None and getattr(owner, "pk", None):
            Membership.objects.create(organisation=organisation, user=owner, role=Role.OWNER)
        _new_key(organisation)
        record_event(
            actor=actor,
            action="organisation.create",
            organisation=organisation,
            target=organisation,
        )
    return organisation


def register_organisation(*, actor: User, owner: str | None = None, **fields: Any) -> Organisation:
    """Register an organisation for its first owner (username or email; default: the actor).

    Only platform admins register organisations: an issuer's DID and keys
    speak for it, so someone vets it first.
    """
    check_platform_admin(actor, "register organisations")
    first_owner: User | None = actor
    if owner:
        first_owner = find_user(owner)
        if first_owner is None:
            raise InvalidInput(
                gettext("No one has the username or email address %(user)s.")
                % {"user": repr(owner)},
                field="owner",
            )
    return create_organisation(actor=actor, owner=first_owner, **fields)


def _slug_from(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", slugify(name))[:SLUG_MAX_LENGTH].strip("-")


def _clean_slug(slug: Any) -> str:
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > SLUG_MAX_LENGTH:
        raise InvalidInput(
            gettext(
                "The organisation needs a slug of at most %(count)s lowercase letters, "
                "digits and single hyphens (it becomes part of its DID and web address)."
            )
            % {"count": SLUG_MAX_LENGTH},
            field="slug",
        )
    return slug


def update_organisation(*, actor: User, organisation: Organisation, **changes: Any) -> Organisation:
    """Change the organisation's public profile (owner).

    The slug never changes: the organisation's DID, and so every credential
    it issued, names it.
    """
    _authorise(actor, organisation, [Role.OWNER])
    if "slug" in changes:
        raise InvalidInput(
            gettext("The slug cannot change: the organisation's DID and its credentials name it."),
            field="slug",
        )
    cleaned = clean_profile(changes)
    with transaction.atomic():
        current = _lock(organisation)
        changed = sorted(name for name, value in cleaned.items() if getattr(current, name) != value)
        if changed:
            for name in changed:
                setattr(current, name, cleaned[name])
            current.save(update_fields=changed)
            record_event(
                actor=actor,
                action="organisation.update",
                organisation=current,
                target=current,
                data={"fields": changed},
            )
    return current


def get_organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("name", "slug"))


def get_organisation(slug: str) -> Organisation:
    """Return an organisation for its public pages; anyone may read a profile."""
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise NotFound(f"No organisation {slug!r}.", field="organisation") from None


def _lock(organisation: Organisation) -> Organisation:
    """Return the organisation's row locked until the transaction ends.

    Changes to members and keys take this lock first, so two owners acting at
    once cannot both remove the last other owner, or both rotate a key.
    """
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


# -- roles and access ------------------------------------------------------------------------


def get_roles(user: UserOrAnonymous | None, organisation: Organisation) -> set[str]:
    if not isinstance(user, User):  # the anonymous visitor holds no role
        return set()
    return set(
        Membership.objects.filter(organisation=organisation, user=user).values_list(
            "role", flat=True
        )
    )


def access_organisation(actor: User, slug: str, *, roles: Iterable[str] = ()) -> Organisation:
    """Return the organisation if ``actor`` holds one of ``roles`` in it (any role if empty).

    Owners may do everything. Platform admins (``is_staff``) pass too. A
    non-member gets :class:`NotFound`, so outsiders learn nothing; a member
    without the role gets :class:`Forbidden`.
    """
    organisation = get_organisation(slug)
    _authorise(actor, organisation, roles)
    return organisation


def _authorise(actor: User, organisation: Organisation, roles: Iterable[str]) -> None:
    if is_platform_admin(actor):
        return
    held = get_roles(actor, organisation)
    if not held:
        raise NotFound(f"No organisation {organisation.slug!r}.", field="organisation")
    wanted = set(roles)
    if wanted and not (held & (wanted | {Role.OWNER})):
        raise Forbidden(
            gettext("This needs the role %(roles)s in %(organisation)s.")
            % {
                "roles": gettext(" or ").join(_role_in_sentence(role) for role in sorted(wanted)),
                "organisation": organisation.name,
            },
            data={"roles": sorted(wanted)},
        )


# -- members ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A person and the roles they hold in one organisation."""

    user: User
    roles: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationRoles:
    """An organisation and the roles one person holds in it."""

    organisation: Organisation
    roles: tuple[str, ...]


def _role_in_sentence(role: str) -> str:
    """A role's name inside a sentence ("This needs the role owner in ..."): lower case in
    English, the label's own case in German."""
    names: dict[str, str] = {
        Role.OWNER: gettext("owner"),
        Role.DESIGNER: gettext("designer"),
        Role.QA_REVIEWER: gettext("QA reviewer"),
        Role.ASSESSOR: gettext("assessor"),
        Role.REGISTRAR: gettext("registrar"),
        Role.EVALUATOR: gettext("evaluator"),
    }
    return names.get(role, role)


def _state_name(state: str) -> str:
    names: dict[str, str] = {
        InvitationState.ACCEPTED: gettext("accepted"),
        InvitationState.WITHDRAWN: gettext("withdrawn"),
        InvitationState.EXPIRED: gettext("expired"),
    }
    return names.get(state, state)


def role_labels(roles: Iterable[str]) -> list[str]:
    """Return the names people read for ``roles`` ("QA reviewer"), in the usual order."""
    return [str(Role(role).label) for role in _ordered(roles)]


def _ordered(roles: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(roles), key=ROLE_ORDER.__getitem__))


def get_members(organisation: Organisation) -> list[Member]:
    """Return the organisation's members by username, each with their roles."""
    roles: dict[Any, list[str]] = {}
    for membership in (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username")
    ):
        roles.setdefault(membership.user, []).append(membership.role)
    return [Member(user, _ordered(held)) for user, held in roles.items()]


def get_memberships(user: UserOrAnonymous | None) -> list[OrganisationRoles]:
    """Return the organisations ``user`` belongs to, by name, with the roles held in each."""
    if not isinstance(user, User):  # the anonymous visitor holds no role
        return []
    roles: dict[Organisation, list[str]] = {}
    for membership in (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation__slug")
    ):
        roles.setdefault(membership.organisation, []).append(membership.role)
    return [OrganisationRoles(organisation, _ordered(held)) for organisation, held in roles.items()]


def add_member(
    *, actor: User, organisation: Organisation, user: str, roles: Iterable[str]
) -> Member:
    """Make someone (by username or email address) a member with ``roles`` (owner)."""
    _authorise(actor, organisation, [Role.OWNER])
    wanted = _clean_roles(roles)
    person = find_user(user)
    if person is None:
        raise InvalidInput(
            gettext("No one has the username or email address %(user)s.") % {"user": repr(user)},
            field="user",
        )
    with transaction.atomic():
        _lock(organisation)
        before = _roles_of(organisation, person)
        if before:
            raise Conflict(
                gettext("%(user)s is a member already; change their roles instead.")
                % {"user": person.get_username()},
                code="membership.exists",
                field="user",
            )
        return _replace_roles(actor, organisation, person, before, wanted)


def change_member_roles(
    *, actor: User, organisation: Organisation, user: str, roles: Iterable[str]
) -> Member:
    """Give a member exactly ``roles`` (owner); the organisation keeps at least one owner."""
    _authorise(actor, organisation, [Role.OWNER])
    wanted = _clean_roles(roles)
    with transaction.atomic():
        _lock(organisation)
        person, before = _member(organisation, user)
        return _replace_roles(actor, organisation, person, before, wanted)


def remove_member(*, actor: User, organisation: Organisation, user: str) -> None:
    """Take every role from a member (owner); the organisation keeps at least one owner."""
    _authorise(actor, organisation, [Role.OWNER])
    with transaction.atomic():
        _lock(organisation)
        person, before = _member(organisation, user)
        _replace_roles(actor, organisation, person, before, frozenset())


def _clean_roles(roles: Iterable[str]) -> frozenset[str]:
    if isinstance(roles, str):
        roles = [roles]
    wanted = frozenset(roles)
    unknown = sorted(wanted - set(Role.values), key=str)
    if unknown:
        raise InvalidInput(
            gettext("Unknown role %(role)s; choose from %(roles)s.")
            % {"role": repr(unknown[0]), "roles": ", ".join(Role.values)},
            field="roles",
        )
    if not wanted:
        raise InvalidInput(gettext("Choose at least one role."), field="roles")
    return wanted


def _roles_of(organisation: Organisation, person: Any) -> frozenset[str]:
    return frozenset(
        Membership.objects.filter(organisation=organisation, user=person).values_list(
            "role", flat=True
        )
    )


def _member(organisation: Organisation, user: str) -> tuple[User, frozenset[str]]:
    person = find_user(user)
    before = _roles_of(organisation, person) if person is not None else frozenset()
    if person is None or not before:
        raise NotFound(
            gettext("%(user)s is not a member of %(organisation)s.")
            % {"user": repr(user), "organisation": organisation.name},
            field="user",
        )
    return person, before


def _replace_roles(
    actor: User,
    organisation: Organisation,
    person: Any,
    before: frozenset[str],
    after: frozenset[str],
) -> Member:
    """Set ``person``'s roles and audit the change; the caller holds the organisation's lock."""
    if before == after:
        return Member(person, _ordered(after))
    if (
        Role.OWNER in before
        and Role.OWNER not in after
        and not Membership.objects.filter(organisation=organisation, role=Role.OWNER)
        .exclude(user=person)
        .exists()
    ):
        raise Conflict(
            gettext(
                "%(organisation)s must keep at least one owner: make someone else an owner first."
            )
            % {"organisation": organisation.name},
            code="membership.last_owner",
            field="roles",
        )
    Membership.objects.filter(organisation=organisation, user=person).exclude(
        role__in=after
    ).delete()
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=person, role=role) for role in after - before
    )
    record_event(
        actor=actor,
        action="membership.change",
        organisation=organisation,
        target=person,
        data={
            "user": person.get_username(),
            "before": list(_ordered(before)),
            "after": list(_ordered(after)),
        },
    )
    return Member(person, _ordered(after))


# -- invitations -----------------------------------------------------------------------------


class InvitationState:
    """What an invitation link can still do; the page says each plainly."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def get_invitation_state(invitation: Invitation, *, now: datetime | None = None) -> str:
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.withdrawn_at is not None:
        return InvitationState.WITHDRAWN
    if invitation.expires_at <= (now or timezone.now()):
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def _clean_email(email: Any) -> str:
    email = email.strip() if isinstance(email, str) else ""
    if not email:
        raise InvalidInput(
            gettext("Give the email address of the person to invite."), field="email"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            gettext("%(email)s is not an email address.") % {"email": repr(email)}, field="email"
        ) from None
    return email


def invite_member(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    roles: Iterable[str],
    now: datetime | None = None,
) -> Invitation:
    """Invite ``email`` to ``roles`` (owner) and email them a link that works once, for
    :data:`INVITATION_VALIDITY`.

    Whether or not the address has an account, the link is how the person joins: it
    proves they read mail there. Only the token's hash is stored; the link is sent once
    the transaction commits, and is shown to no one else.
    """
    _authorise(actor, organisation, [Role.OWNER])
    email = _clean_email(email)
    wanted = _clean_roles(roles)
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        _lock(organisation)
        person = find_user(email)
        if person is not None and _roles_of(organisation, person):
            raise Conflict(
                gettext("%(user)s is a member already; change their roles instead.")
                % {"user": email},
                code="membership.exists",
                field="email",
            )
        pending = Invitation.objects.filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now,
        ).first()
        if pending is not None:
            raise Conflict(
                gettext(
                    "%(email)s is invited already (until %(date)s); "
                    "withdraw that invitation to send a new one."
                )
                % {"email": email, "date": long_date(pending.expires_at)},
                code="invitation.pending",
                field="email",
            )
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            roles=list(_ordered(wanted)),
            token_hash=_token_hash(token),
            invited_by=actor,
            created_at=now,
            expires_at=now + INVITATION_VALIDITY,
        )
        record_event(
            actor=actor,
            action="invitation.create",
            organisation=organisation,
            target=invitation,
            data={"email": email, "roles": invitation.roles},
            now=now,
        )
        _send_invitation(invitation, token, inviter=actor)
    return invitation


def _send_invitation(invitation: Invitation, token: str, *, inviter: User) -> None:
    """Email the link once the invitation is committed (a rolled-back one is never announced)."""
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter": inviter,
        "roles": role_labels(invitation.roles),
        "url": f"{settings.PUBLIC_URL}{reverse('organisations:invitation', args=[token])}",
    }
    message = render_to_string("organisations/email/invitation.txt", context)
    subject = gettext("You are invited to join %(organisation)s on microcred") % {
        "organisation": invitation.organisation.name
    }

    def send() -> None:
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )

    transaction.on_commit(send)


def get_pending_invitations(organisation: Organisation) -> list[Invitation]:
    """Return the invitations that can still be accepted, newest first."""
    return list(
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("invited_by")
    )


def withdraw_invitation(
    *, actor: User, organisation: Organisation, invitation_id: int
) -> Invitation:
    """Withdraw a pending invitation (owner): its link stops working at once."""
    _authorise(actor, organisation, [Role.OWNER])
    with transaction.atomic():
        _lock(organisation)
        invitation = Invitation.objects.filter(organisation=organisation, pk=invitation_id).first()
        if invitation is None:
            raise NotFound(
                gettext("%(organisation)s has no invitation %(invitation)s.")
                % {"organisation": organisation.name, "invitation": invitation_id},
                field="invitation",
            )
        state = get_invitation_state(invitation)
        if state != InvitationState.PENDING:
            raise Conflict(
                gettext(
                    "The invitation of %(email)s is %(state)s already; "
                    "only a pending invitation can be withdrawn."
                )
                % {"email": invitation.email, "state": _state_name(state)},
                code=f"invitation.{state}",
            )
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        record_event(
            actor=actor,
            action="invitation.withdraw",
            organisation=organisation,
            target=invitation,
            data={"email": invitation.email},
        )
    return invitation


def get_invitation(token: str) -> Invitation:
    """Return the invitation a link's token opens, in whatever state; anyone holding the link
    may read it."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise NotFound(
            gettext("This invitation link is not valid: check that it was copied whole."),
            field="invitation",
        )
    return invitation


def check_invitation_open(invitation: Invitation, *, now: datetime | None = None) -> None:
    """Raise :class:`Conflict` saying plainly why the invitation's link no longer works: used,
    withdrawn or expired."""
    state = get_invitation_state(invitation, now=now)
    reasons = {
        InvitationState.ACCEPTED: gettext(
            "This invitation was accepted already; each link works once."
        ),
        InvitationState.WITHDRAWN: gettext("This invitation was withdrawn by %(organisation)s.")
        % {"organisation": invitation.organisation},
        InvitationState.EXPIRED: gettext(
            "This invitation expired on %(date)s; "
            "ask an owner of %(organisation)s to invite you again."
        )
        % {"date": long_date(invitation.expires_at), "organisation": invitation.organisation},
    }
    if state != InvitationState.PENDING:
        raise Conflict(reasons[state], code=f"invitation.{state}", field="invitation")


def check_invited_address(user: User, invitation: Invitation) -> None:
    """Raise :class:`Forbidden` unless ``user``'s account is the one of the invited address."""
    email = invitation.email.lower()
    if email != user.email.lower() and email not in get_verified_addresses(user):
        raise Forbidden(
            gettext(
                "This invitation is for %(email)s; you are signed in as %(user)s. "
                "Sign out, then open the link again."
            )
            % {"email": invitation.email, "user": user.email or user.get_username()},
            code="invitation.other_address",
        )


def accept_invitation(*, actor: User, token: str, now: datetime | None = None) -> Member:
    """Join the organisation with the invitation's roles; the invitation is the authority.

    ``actor`` must be signed in with the invited address: the link proves that its holder
    reads mail there, not that the account is theirs. Roles held already are kept.
    """
    now = now or timezone.now()
    invitation = get_invitation(token)
    with transaction.atomic():
        _lock(invitation.organisation)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        check_invitation_open(invitation, now=now)
        check_invited_address(actor, invitation)
        return _accept(invitation, actor, now)


def accept_invitation_with_new_account(
    *, token: str, display_name: str, password: str, now: datetime | None = None
) -> tuple[User, Member]:
    """Create the account of the invited address and join with the invitation's roles.

    The link proves the address, so the account starts with it verified. The password is
    checked by the platform's password validators (``AUTH_PASSWORD_VALIDATORS``).
    """
    now = now or timezone.now()
    invitation = get_invitation(token)
    display_name = display_name.strip() if isinstance(display_name, str) else ""
    if not display_name:
        raise InvalidInput(
            gettext("Give your name, as colleagues should see it."), field="display_name"
        )
    if len(display_name) > 200:
        raise InvalidInput(gettext("A name has at most 200 characters."), field="display_name")
    with transaction.atomic():
        _lock(invitation.organisation)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        check_invitation_open(invitation, now=now)
        if find_user(invitation.email) is not None:
            raise Conflict(
                gettext("An account for %(email)s exists already: sign in to accept.")
                % {"email": invitation.email},
                code="user.exists",
                field="email",
            )
        candidate = User(email=invitation.email, display_name=display_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages), field="password") from None
        person = create_user(
            email=invitation.email,
            password=password,
            display_name=display_name,
            email_verified=True,
        )
        return person, _accept(invitation, person, now)


def _accept(invitation: Invitation, person: User, now: datetime) -> Member:
    """Give ``person`` the invitation's roles and close it; the caller holds both locks."""
    organisation = invitation.organisation
    before = _roles_of(organisation, person)
    member = _replace_roles(
        person, organisation, person, before, before | frozenset(invitation.roles)
    )
    invitation.accepted_at = now
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        actor=person,
        action="invitation.accept",
        organisation=organisation,
        target=invitation,
        data={"email": invitation.email, "roles": invitation.roles},
        now=now,
    )
    return member


# -- signing keys ----------------------------------------------------------------------------


def _new_key(organisation: Organisation) -> SigningKey:
    """Create a new active key; the caller has retired or compromised the previous one."""
    pair = Ed25519Multikey.generate()
    number = organisation.keys.count() + 1
    return SigningKey.objects.create(
        organisation=organisation,
        key_id=f"key-{number}",
        public_key_multibase=pair.public.public_key_multibase,
        encrypted_secret=encrypt_secret(pair.seed),
    )


def get_keys(organisation: Organisation) -> list[SigningKey]:
    """Return every key the organisation ever had, newest first (public parts only matter)."""
    return list(organisation.keys.order_by("-pk"))


def get_active_key(organisation: Organisation) -> SigningKey:
    try:
        return organisation.keys.get(status=KeyStatus.ACTIVE)
    except SigningKey.DoesNotExist:
        raise Conflict(f"{organisation.name} has no active signing key.") from None


def get_signer(organisation: Organisation) -> tuple[Ed25519Multikey, str]:
    """Return the active key pair and its verification method id, for signing only."""
    key = get_active_key(organisation)
    return Ed25519Multikey.from_seed(decrypt_secret(key.encrypted_secret)), verification_method_id(
        key
    )


def get_jwt_signer(organisation: Organisation) -> tuple[Ed25519Multikey, str]:
    """Return the active key pair and the ``kid`` of the VC-JWTs it signs, for signing only.

    The ``kid`` is the URL that serves the key as a JWK (Open Badges 3.0
    section 8.2.3); the DID document lists the same key for assertionMethod,
    which binds it to the organisation's DID.
    """
    key = get_active_key(organisation)
    seed = decrypt_secret(key.encrypted_secret)
    return Ed25519Multikey.from_seed(seed), public_urls.public_key_url(
        organisation.slug, key.key_id
    )


def jwt_kid(key: SigningKey) -> str:
    """Return the ``kid`` by which the VC-JWTs ``key`` signed name it."""
    return public_urls.public_key_url(key.organisation.slug, key.key_id)


def get_public_jwk(organisation: Organisation, key_id: str) -> dict[str, Any]:
    """Return one of the organisation's keys as a public JWK (RFC 7517), with its ``kid``.

    Active and retired keys are served, as the DID document lists them;
    a compromised key is not, so what it signed no longer verifies.
    """
    key = organisation.keys.filter(
        key_id=key_id, status__in=[KeyStatus.ACTIVE, KeyStatus.RETIRED]
    ).first()
    if key is None:
        raise NotFound(f"{organisation.name} publishes no key {key_id!r}.", field="key_id")
    jwk = Ed25519PublicMultikey.from_multibase(key.public_key_multibase).jwk
    return {
        **jwk,
        "kid": public_urls.public_key_url(organisation.slug, key.key_id),
        "alg": "EdDSA",
        "use": "sig",
    }


def rotate_signing_key(*, actor: User, organisation: Organisation) -> SigningKey:
    """Retire the active key and make a new one active (owner); return the new key.

    The retired key stays in the DID document, so what it signed still verifies.
    """
    _authorise(actor, organisation, [Role.OWNER])
    with transaction.atomic():
        _lock(organisation)
        retired = organisation.keys.filter(status=KeyStatus.ACTIVE).first()
        if retired is not None:
            retired.status = KeyStatus.RETIRED
            retired.retired_at = timezone.now()
            retired.save(update_fields=["status", "retired_at"])
        key = _new_key(organisation)
        record_event(
            actor=actor,
            action="key.rotate",
            organisation=organisation,
            target=key,
            data={"retired": retired.key_id if retired else None, "active": key.key_id},
        )
    return key


def count_signed_credentials(key: SigningKey) -> int:
    """Return how many credentials ``key`` signed: all of them stop verifying when it is marked
    compromised. The apps that keep credentials count them (:data:`counting_signed_credentials`),
    as organisations know none."""
    replies = counting_signed_credentials.send(
        sender=SigningKey, organisation=key.organisation, key=key
    )
    # Django's stubs type a receiver's reply as text; these receivers answer numbers.
    counts: list[Any] = [count for _, count in replies]
    return sum(count for count in counts if isinstance(count, int))


def mark_key_compromised(
    *, actor: User, organisation: Organisation, key_id: str, reason: str
) -> SigningKey:
    """Mark a key compromised (owner); return it. An active key is replaced by a new one.

    The key leaves the DID document, so credentials it signed stop verifying:
    whoever holds the key could have signed them too.
    """
    _authorise(actor, organisation, [Role.OWNER])
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput(
            gettext("Say why the key is compromised; the reason is kept in the audit log."),
            field="reason",
        )
    with transaction.atomic():
        _lock(organisation)
        key = organisation.keys.filter(key_id=key_id).first()
        if key is None:
            raise NotFound(
                gettext("%(organisation)s has no key %(key)s.")
                % {"organisation": organisation.name, "key": repr(key_id)},
                field="key_id",
            )
        if key.status == KeyStatus.COMPROMISED:
            raise Conflict(
                gettext("The key %(key)s is marked compromised already.") % {"key": key_id},
                code="key.already_compromised",
            )
        was_active = key.status == KeyStatus.ACTIVE
        key.status = KeyStatus.COMPROMISED
        key.compromised_at = timezone.now()
        key.compromise_reason = reason
        key.save(update_fields=["status", "compromised_at", "compromise_reason"])
        replacement = _new_key(organisation) if was_active else None
        if replacement is not None:
            signing_key_replaced.send(
                sender=SigningKey, organisation=organisation, now=key.compromised_at
            )
        record_event(
            actor=actor,
            action="key.compromise",
            organisation=organisation,
            target=key,
            data={
                "key_id": key.key_id,
                "reason": reason,
                "replaced_by": replacement.key_id if replacement else None,
            },
        )
    return key


# -- public documents ------------------------------------------------------------------------


def get_did_document(organisation: Organisation) -> dict[str, Any]:
    """Return the organisation's DID document (DID Core 1.0, section 5; did:web).

    The active key and every retired key are listed as Multikey verification
    methods (Controlled Identifiers 1.0, section 2.2.2) and as assertion
    methods, so credentials signed before a rotation still verify.
    Compromised keys are left out, so what they signed no longer verifies.
    """
    did = organisation_did(organisation)
    keys = sorted(
        organisation.keys.filter(status__in=[KeyStatus.ACTIVE, KeyStatus.RETIRED]),
        key=lambda key: (key.status != KeyStatus.ACTIVE, -key.pk),
    )
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def get_profile(organisation: Organisation, *, embedded: bool = False) -> dict[str, Any]:
    """Return the organisation as an Open Badges 3.0 ``Profile`` whose ``id`` is its DID.

    ``embedded=True`` leaves out ``@context``, for the ``issuer`` of a credential.
    """
    return profile_document(
        organisation,
        did=organisation_did(organisation),
        page_url=get_profile_url(organisation),
        embedded=embedded,
    )


# -- what other apps list on the public page --------------------------------------------------


@dataclass(frozen=True)
class ProfileEntry:
    """One line of a section of an organisation's public page: a link and a few details."""

    title: str
    url: str
    details: str = ""


ProfileLister = Callable[[Organisation], list[ProfileEntry]]
_PROFILE_SECTIONS: dict[str, ProfileLister] = {}


def register_profile_section(heading: str, lister: ProfileLister) -> None:
    """Show a section ``heading`` on every organisation's public page, listing what
    ``lister`` returns for the organisation (public things only: the page is public).

    For the apps above this one, which know what an organisation offers (the catalogue its
    micro-credentials); call it from the app's ``AppConfig.ready()``. Registering a heading
    again replaces its lister.
    """
    _PROFILE_SECTIONS[heading] = lister


def get_profile_sections(organisation: Organisation) -> list[tuple[str, list[ProfileEntry]]]:
    """Return each registered section of the organisation's public page with its entries."""
    return [(heading, lister(organisation)) for heading, lister in _PROFILE_SECTIONS.items()]


# -- documents the platform answers itself ---------------------------------------------------

_LOCAL_DOCUMENTS: dict[str, LocalResolver] = {}


def register_local_document(prefix: str, resolver: LocalResolver) -> None:
    """Answer URLs under ``<PUBLIC_URL><prefix>`` with ``resolver`` in the platform fetcher.

    ``resolver`` gets the path below the public address (``/status/acme/1``)
    and returns the document exactly as the page at that URL serves it (a
    JSON object, or stored bytes or text), or None. Call this from the app's
    ``AppConfig.ready()``; registering a prefix again replaces its resolver.
    """
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"A local document prefix starts and ends with '/': {prefix!r}")
    _LOCAL_DOCUMENTS[prefix] = resolver


# Other sites' DID documents and status lists, kept as long as their cache headers allow
# (at most a few minutes), shared by every verification this process makes.
_FETCH_CACHE = ResponseCache()


def get_platform_fetcher(*, fallback: Fetcher | None = None) -> PlatformFetcher:
    """Return a fetcher that answers the platform's own URLs from the database.

    Other URLs go to ``fallback``, by default an :class:`HttpFetcher` set up
    like the verification page's (timeout, private addresses).
    """
    return PlatformFetcher(
        public_url=settings.PUBLIC_URL,
        resolvers=dict(_LOCAL_DOCUMENTS),
        fallback=fallback
        or HttpFetcher(
            timeout=settings.VERIFY_FETCH_TIMEOUT,
            allow_private=settings.VERIFY_ALLOW_PRIVATE_ADDRESSES,
            cache=_FETCH_CACHE,
        ),
    )


def local_organisation_document(path: str) -> dict[str, Any] | None:
    """Resolve ``/orgs/<slug>/did.json`` and ``/orgs/<slug>/keys/<key>.jwk`` as their pages do."""
    match = DID_DOCUMENT_PATH.match(path) or PUBLIC_KEY_PATH.match(path)
    if match is None:
        return None
    organisation = Organisation.objects.filter(slug=match["slug"]).first()
    if organisation is None:
        return None
    if "key_id" not in match.groupdict():
        return get_did_document(organisation)
    try:
        return get_public_jwk(organisation, match["key_id"])
    except NotFound:
        return None
