"""API routes of wallets: start a delivery of an award, for its learner or a registrar.

The wallets themselves speak the VC API and OID4VCI endpoints of :mod:`microcred.wallets.views`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.wallets import services

router = Router(tags=["wallets"], auth=AUTH)


class ExchangeOut(Schema):
    exchange: str = Field(description="The VC API exchange URL a wallet POSTs {} to.")
    interaction: str = Field(description="The interaction URL (iuv=1) listing the protocols.")
    deep_link: str = Field(description="The Learner Credential Wallet link (also the QR code).")
    expires: datetime


class OfferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    tx_code: bool = Field(False, description="Protect the offer with a 6-digit transaction code.")


class OfferOut(Schema):
    credential_offer: dict[str, Any]
    credential_offer_uri: str = Field(description="openid-credential-offer://?credential_offer=...")
    tx_code: str = Field(description="The transaction code to tell the learner, or empty.")
    expires: datetime


@router.post(
    "/awards/{award}/wallet-exchanges",
    response={201: ExchangeOut},
    summary="Start a VC API exchange",
)
def start_exchange(request: AuthenticatedHttpRequest, award: UUID) -> Status[ExchangeOut]:
    exchange = services.start_exchange(actor=request.auth, award_uuid=award)
    links = services.exchange_links(exchange)
    return Status(
        201,
        ExchangeOut(
            exchange=links.exchange,
            interaction=links.interaction,
            deep_link=links.deep_link,
            expires=exchange.expires_at,
        ),
    )


@router.post(
    "/awards/{award}/credential-offers", response={201: OfferOut}, summary="Offer through OID4VCI"
)
def create_offer(
    request: AuthenticatedHttpRequest, award: UUID, payload: OfferIn | None = None
) -> Status[OfferOut]:
    issued = services.create_offer(
        actor=request.auth, award_uuid=award, with_tx_code=bool(payload and payload.tx_code)
    )
    return Status(
        201,
        OfferOut(
            credential_offer=issued.credential_offer,
            credential_offer_uri=issued.uri,
            tx_code=issued.tx_code,
            expires=issued.offer.expires_at,
        ),
    )
