"""API routes of the organisations app; handlers stay thin and call services.

Profiles are public, as on the public pages; members and keys need a member's
access, and changing them the owner's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from microcred.accounts import services as accounts
from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.organisations import services
from microcred.organisations.models import Organisation, SigningKey
from microcred.organisations.profile import PROFILE_FIELDS

router = Router(tags=["organisations"], auth=AUTH)


class MembershipOut(Schema):
    organisation: str
    name: str
    did: str
    roles: list[str]


class MeOut(Schema):
    username: str
    email: str
    display_name: str
    did: str
    platform_admin: bool
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, tags=["accounts"], summary="Who am I: my account and my roles")
def me(request: AuthenticatedHttpRequest) -> dict:
    user = request.auth
    return {
        "username": user.get_username(),
        "email": user.email,
        "display_name": user.display_name,
        "did": user.did,
        "platform_admin": accounts.is_platform_admin(user),
        "memberships": [
            {
                "organisation": entry.organisation.slug,
                "name": entry.organisation.name,
                "did": services.organisation_did(entry.organisation),
                "roles": list(entry.roles),
            }
            for entry in services.get_memberships(user)
        ],
    }


class Accreditation(Schema):
    name: str = Field(description="What the organisation is accredited as or for.")
    body: str | None = Field(None, description="The accrediting body.")
    url: str | None = Field(None, description="Where the accreditation is published.")


class Identifier(Schema):
    identifier: str
    identifierType: str = Field(
        description="An Open Badges identifier type (sourcedId, systemId, ...) or ext:<name>."
    )


class OrganisationOut(Schema):
    slug: str
    name: str
    legal_name: str
    type: str
    country: str
    region: str
    url: str
    email: str
    description: str
    accreditations: list[dict[str, str]]
    identifiers: list[dict[str, str]]
    did: str
    did_document_url: str
    profile_url: str
    created_at: datetime


class OrganisationPatch(Schema):
    name: str | None = None
    legal_name: str | None = None
    type: str | None = None
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-2 code (any case), such as NL, or the English name."
    )
    region: str | None = None
    url: str | None = None
    email: str | None = None
    description: str | None = None
    accreditations: list[Accreditation] | None = None
    identifiers: list[Identifier] | None = None


class OrganisationIn(Schema):
    slug: str | None = Field(
        None, description="Lowercase letters, digits and hyphens; made from the name if absent."
    )
    name: str
    type: str
    country: str = Field(
        description="ISO 3166-1 alpha-2 code (any case), such as NL, or the English name."
    )
    owner: str | None = Field(
        None, description="Username or email address of the first owner; you if absent."
    )
    legal_name: str = ""
    region: str = ""
    url: str = ""
    email: str = ""
    description: str = ""
    accreditations: list[Accreditation] = []
    identifiers: list[Identifier] = []


class MemberOut(Schema):
    username: str
    email: str
    display_name: str
    roles: list[str]


class MemberIn(Schema):
    user: str = Field(description="Username or email address of an existing account.")
    roles: list[str]


class RolesIn(Schema):
    roles: list[str]


class InvitationIn(Schema):
    email: str = Field(description="The address the invitation link is sent to.")
    roles: list[str]


class InvitationOut(Schema):
    id: int
    email: str
    roles: list[str]
    state: str = Field(description="pending, accepted, withdrawn or expired.")
    invited_by: str | None
    created_at: datetime
    expires_at: datetime


class KeyOut(Schema):
    key_id: str
    id: str = Field(description="The verification method id, in the DID document.")
    algorithm: str
    status: str
    public_key_multibase: str
    created_at: datetime
    retired_at: datetime | None
    compromised_at: datetime | None
    compromise_reason: str


class CompromiseIn(Schema):
    reason: str = Field(description="What happened; kept in the audit log.")


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {
        "slug": organisation.slug,
        **{name: getattr(organisation, name) for name in PROFILE_FIELDS},
        "created_at": organisation.created_at,
        "did": services.organisation_did(organisation),
        "did_document_url": services.get_did_document_url(organisation),
        "profile_url": services.get_profile_url(organisation),
    }


def _member(member: services.Member) -> dict[str, Any]:
    return {
        "username": member.user.get_username(),
        "email": member.user.email,
        "display_name": member.user.display_name,
        "roles": list(member.roles),
    }


def _key(key: SigningKey) -> dict[str, Any]:
    """Return a key's public facts; the encrypted secret is never read here."""
    return {
        "key_id": key.key_id,
        "id": services.verification_method_id(key),
        "algorithm": key.algorithm,
        "status": key.status,
        "public_key_multibase": key.public_key_multibase,
        "created_at": key.created_at,
        "retired_at": key.retired_at,
        "compromised_at": key.compromised_at,
        "compromise_reason": key.compromise_reason,
    }


@router.get("/orgs", response=list[OrganisationOut], auth=None, summary="All organisations")
def list_organisations(request: HttpRequest) -> list[dict[str, Any]]:
    return [_organisation(organisation) for organisation in services.get_organisations()]


@router.post(
    "/orgs", response={201: OrganisationOut}, summary="Register an organisation (platform admin)"
)
def register_organisation(request: AuthenticatedHttpRequest, payload: OrganisationIn) -> Status:
    organisation = services.register_organisation(actor=request.auth, **payload.model_dump())
    return Status(201, _organisation(organisation))


@router.get("/orgs/{slug}", response=OrganisationOut, auth=None, summary="An organisation")
def get_organisation(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _organisation(services.get_organisation(slug))


@router.patch("/orgs/{slug}", response=OrganisationOut, summary="Change the profile (owner)")
def update_organisation(
    request: AuthenticatedHttpRequest, slug: str, payload: OrganisationPatch
) -> dict:
    organisation = services.update_organisation(
        actor=request.auth,
        organisation=services.access_organisation(request.auth, slug),
        **payload.model_dump(exclude_unset=True, exclude_none=False),
    )
    return _organisation(organisation)


@router.get("/orgs/{slug}/members", response=list[MemberOut], summary="Members and their roles")
def list_members(request: AuthenticatedHttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = services.access_organisation(request.auth, slug)
    return [_member(member) for member in services.get_members(organisation)]


@router.post("/orgs/{slug}/members", response={201: MemberOut}, summary="Add a member (owner)")
def add_member(request: AuthenticatedHttpRequest, slug: str, payload: MemberIn) -> Status:
    member = services.add_member(
        actor=request.auth,
        organisation=services.access_organisation(request.auth, slug),
        user=payload.user,
        roles=payload.roles,
    )
    return Status(201, _member(member))


@router.put(
    "/orgs/{slug}/members/{username}",
    response=MemberOut,
    summary="Give a member exactly these roles (owner)",
)
def change_member_roles(
    request: AuthenticatedHttpRequest, slug: str, username: str, payload: RolesIn
) -> dict:
    member = services.change_member_roles(
        actor=request.auth,
        organisation=services.access_organisation(request.auth, slug),
        user=username,
        roles=payload.roles,
    )
    return _member(member)


@router.delete(
    "/orgs/{slug}/members/{username}", response={204: None}, summary="Remove a member (owner)"
)
def remove_member(request: AuthenticatedHttpRequest, slug: str, username: str) -> Status:
    services.remove_member(
        actor=request.auth,
        organisation=services.access_organisation(request.auth, slug),
        user=username,
    )
    return Status(204, None)


def _invitation(invitation: services.Invitation) -> dict[str, Any]:
    """Return an invitation's facts; its link is only ever in the email to the invited address."""
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "roles": list(invitation.roles),
        "state": services.get_invitation_state(invitation),
        "invited_by": invitation.invited_by.get_username() if invitation.invited_by else None,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


@router.get(
    "/orgs/{slug}/invitations", response=list[InvitationOut], summary="Pending invitations (owner)"
)
def list_invitations(request: AuthenticatedHttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = services.access_organisation(request.auth, slug, roles=[services.Role.OWNER])
    return [_invitation(item) for item in services.get_pending_invitations(organisation)]


@router.post(
    "/orgs/{slug}/invitations",
    response={201: InvitationOut},
    summary="Invite an email address to roles; the link goes to that address only (owner)",
)
def invite_member(request: AuthenticatedHttpRequest, slug: str, payload: InvitationIn) -> Status:
    invitation = services.invite_member(
        actor=request.auth,
        organisation=services.get_organisation(slug),
        email=payload.email,
        roles=payload.roles,
    )
    return Status(201, _invitation(invitation))


@router.delete(
    "/orgs/{slug}/invitations/{invitation_id}",
    response={204: None},
    summary="Withdraw a pending invitation: its link stops working (owner)",
)
def withdraw_invitation(request: AuthenticatedHttpRequest, slug: str, invitation_id: int) -> Status:
    services.withdraw_invitation(
        actor=request.auth,
        organisation=services.get_organisation(slug),
        invitation_id=invitation_id,
    )
    return Status(204, None)


@router.get("/orgs/{slug}/keys", response=list[KeyOut], summary="Signing keys (public parts)")
def list_keys(request: AuthenticatedHttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = services.access_organisation(request.auth, slug)
    return [_key(key) for key in services.get_keys(organisation)]


@router.post(
    "/orgs/{slug}/keys/rotate",
    response={201: KeyOut},
    summary="Retire the active key and make a new one (owner)",
)
def rotate_key(request: AuthenticatedHttpRequest, slug: str) -> Status:
    key = services.rotate_signing_key(
        actor=request.auth, organisation=services.access_organisation(request.auth, slug)
    )
    return Status(201, _key(key))


@router.post(
    "/orgs/{slug}/keys/{key_id}/compromise",
    response=KeyOut,
    summary="Mark a key compromised: what it signed stops verifying (owner)",
)
def compromise_key(
    request: AuthenticatedHttpRequest, slug: str, key_id: str, payload: CompromiseIn
) -> dict:
    key = services.mark_key_compromised(
        actor=request.auth,
        organisation=services.access_organisation(request.auth, slug),
        key_id=key_id,
        reason=payload.reason,
    )
    return _key(key)
