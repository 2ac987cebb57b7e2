"""API routes of the accounts app: who am I, and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from microcred.accounts import services
from microcred.organisations import services as organisations
from microcred.site.api import AUTH

router = Router(tags=["accounts"], auth=AUTH)


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


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: str


@router.get("/me", response=MeOut, summary="Who am I: my account and my roles")
def me(request: HttpRequest) -> dict:
    user = request.auth
    return {
        "username": user.get_username(),
        "email": user.email,
        "display_name": user.display_name,
        "did": user.did,
        "platform_admin": services.is_platform_admin(user),
        "memberships": [
            {
                "organisation": entry.organisation.slug,
                "name": entry.organisation.name,
                "did": organisations.organisation_did(entry.organisation),
                "roles": list(entry.roles),
            }
            for entry in organisations.get_memberships(user)
        ],
    }


@router.get("/tokens", response=list[TokenOut], summary="My API tokens (never their secrets)")
def list_tokens(request: HttpRequest) -> list:
    return services.get_api_tokens(request.auth)


@router.post(
    "/tokens",
    response={201: NewTokenOut},
    summary="Create an API token; its secret is in this answer only",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    token, secret = services.create_api_token(actor=request.auth, name=payload.name)
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    services.revoke_api_token(actor=request.auth, token_id=token_id)
    return Status(204, None)
