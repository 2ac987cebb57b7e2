"""API routes of the accounts app: personal API tokens.

``/me`` (the account with its memberships) is the organisations app's: it lists memberships.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema, Status

from microcred.accounts import services
from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest

router = Router(tags=["accounts"], auth=AUTH)


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


@router.get("/tokens", response=list[TokenOut], summary="My API tokens (never their secrets)")
def list_tokens(request: AuthenticatedHttpRequest) -> list:
    return services.get_api_tokens(request.auth)


@router.post(
    "/tokens",
    response={201: NewTokenOut},
    summary="Create an API token; its secret is in this answer only",
)
def create_token(request: AuthenticatedHttpRequest, payload: TokenIn) -> Status:
    token, secret = services.create_api_token(actor=request.auth, name=payload.name)
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> Status:
    services.revoke_api_token(actor=request.auth, token_id=token_id)
    return Status(204, None)
