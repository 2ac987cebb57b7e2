"""The wallets part of the demo: a learner's credential already delivered into a wallet.

A demo wallet (a fresh Ed25519 key and its did:key) joins a VC API exchange that the
learner started, answers the presentation request with a DID Authentication presentation
and receives the credential bound to its DID, exactly as a phone wallet would over HTTP.
Signed in as the learner, each credential page offers "Add to wallet" with a QR code.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from microcred.awards import services as awards
from microcred.vc import Ed25519Multikey
from microcred.vc.dataintegrity import sign
from microcred.wallets import services


def load_wallets_demo(*, now: datetime, learner: Any) -> Iterator[str]:
    """Deliver the learner's first active award into a demo wallet; yield what was done."""
    held = [award for award in awards.get_learner_awards(learner) if award.status == "active"]
    if not held:
        return
    award = held[-1]
    exchange = services.start_exchange(actor=learner, award_uuid=award.uuid, now=now)
    request = services.participate(
        exchange_id=exchange.uuid, workflow=services.WORKFLOW, message={}, now=now
    )["verifiablePresentationRequest"]
    key = Ed25519Multikey.generate()
    presentation = sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": key.public.did_key,
        },
        key=key,
        verification_method=key.public.did_key_verification_method,
        proof_purpose="authentication",
        challenge=request["challenge"],
        domain=request["domain"],
        created=now,
    )
    services.participate(
        exchange_id=exchange.uuid,
        workflow=services.WORKFLOW,
        message={"verifiablePresentation": presentation},
        now=now,
    )
    yield (
        f"Wallets: {learner}'s credential {award.version.title!r} was delivered into a demo "
        f"wallet ({key.public.did_key[:24]}...); signed in as {learner.username}, every credential "
        "page offers Add to wallet (VC API QR code and Learner Credential Wallet link, or an "
        "OID4VCI offer)."
    )
