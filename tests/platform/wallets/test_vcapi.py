"""A VC API (VCALM) exchange, end to end, with a wallet simulated by the test."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.errors import Conflict
from microcred.wallets import services
from microcred.wallets.models import Exchange
from tests.platform.wallets.factories import learner_award, verify_delivered
from tests.platform.wallets.wallet import Wallet

SECURITY = "https://w3id.org/security#"


def started(client: Client):
    learner, _, award = learner_award()
    exchange = services.start_exchange(actor=learner, award_uuid=award.uuid)
    return award, exchange, services.exchange_links(exchange), Wallet(client)


def test_a_wallet_receives_the_award_bound_to_its_did(client: Client) -> None:
    award, exchange, links, wallet = started(client)

    # The wallet reads the protocols from the interaction URL, then starts the exchange.
    protocols = client.get(links.interaction.removeprefix("https://microcred.test"))
    assert protocols.status_code == 200
    assert protocols.json() == {"protocols": {"vcapi": links.exchange}}
    response = wallet.post(links.exchange, {})
    assert response.status_code == 200, response.content
    request = response.json()["verifiablePresentationRequest"]
    assert request["query"][0]["type"] == "DIDAuthentication"
    assert request["challenge"] == exchange.challenge
    assert request["domain"] == "https://microcred.test"

    response = wallet.post(links.exchange, {"verifiablePresentation": wallet.did_auth(request)})
    assert response.status_code == 200, response.content
    presentation = response.json()["verifiablePresentation"]
    [credential] = presentation["verifiableCredential"]
    assert credential["credentialSubject"]["id"] == wallet.did
    assert credential["id"] == awards.credential_url(award)
    assert (
        credential["credentialStatus"] == awards.get_credential_document(award)["credentialStatus"]
    )
    report = verify_delivered(award, credential)
    assert report.verified, [check.as_dict() for check in report.failures]

    exchange.refresh_from_db()
    assert (exchange.state, exchange.holder) == ("complete", wallet.did)
    event = AuditEvent.objects.get(action="wallet.deliver")
    assert event.data["holder"] == wallet.did


def test_revoking_the_award_reaches_the_wallet_copy(client: Client) -> None:
    award, _, links, wallet = started(client)
    request = wallet.post(links.exchange, {}).json()["verifiablePresentationRequest"]
    response = wallet.post(links.exchange, {"verifiablePresentation": wallet.did_auth(request)})
    [credential] = response.json()["verifiablePresentation"]["verifiableCredential"]
    registrar = award.issued_by
    awards.revoke_award(actor=registrar, award=award, reason="Issued in error.")
    assert not verify_delivered(award, credential).verified


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"challenge": "not-the-challenge"}, "INVALID_CHALLENGE_ERROR"),
        ({"domain": "https://elsewhere.example"}, "INVALID_DOMAIN_ERROR"),
        ({"purpose": "assertionMethod"}, "MISMATCHED_PROOF_PURPOSE_ERROR"),
        (
            {"holder": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
            "MALFORMED_PROOF_ERROR",
        ),
    ],
)
def test_a_presentation_that_does_not_authenticate_is_refused(
    client: Client, change: dict[str, str], problem: str
) -> None:
    _, exchange, links, wallet = started(client)
    request = wallet.post(links.exchange, {}).json()["verifiablePresentationRequest"]
    response = wallet.post(
        links.exchange, {"verifiablePresentation": wallet.did_auth(request, **change)}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == f"{SECURITY}{problem}"
    exchange.refresh_from_db()
    assert exchange.state == "active"
    assert exchange.last_error["type"] == f"{SECURITY}{problem}"
    # The learner who started it reads the state and the last error (getExchangeConfiguration).
    client.force_login(exchange.started_by)
    state = client.get(links.exchange.removeprefix("https://microcred.test")).json()
    assert (state["id"], state["state"], state["sequence"]) == (str(exchange.uuid), "active", 0)
    assert state["lastError"]["type"] == f"{SECURITY}{problem}"
    client.logout()
    assert not AuditEvent.objects.filter(action="wallet.deliver").exists()
    # The exchange stays open: the right presentation still gets the credential.
    response = wallet.post(links.exchange, {"verifiablePresentation": wallet.did_auth(request)})
    assert response.status_code == 200


def test_a_tampered_presentation_is_refused(client: Client) -> None:
    _, _, links, wallet = started(client)
    request = wallet.post(links.exchange, {}).json()["verifiablePresentationRequest"]
    presentation = wallet.did_auth(request)
    presentation["id"] = "urn:uuid:3c1c4b5e-52c5-4e05-bc7a-6b4f1c2d0a11"
    response = wallet.post(links.exchange, {"verifiablePresentation": presentation})
    assert response.status_code == 400
    assert response.json()["type"] == f"{SECURITY}PROOF_VERIFICATION_ERROR"


def test_an_exchange_delivers_once(client: Client) -> None:
    _, _, links, wallet = started(client)
    request = wallet.post(links.exchange, {}).json()["verifiablePresentationRequest"]
    presentation = wallet.did_auth(request)
    assert wallet.post(links.exchange, {"verifiablePresentation": presentation}).status_code == 200
    replayed = wallet.post(links.exchange, {"verifiablePresentation": presentation})
    assert replayed.status_code == 400
    assert replayed.json()["title"] == "Exchange complete"
    assert wallet.post(links.exchange, {}).status_code == 400


def test_an_expired_exchange_answers_nothing(client: Client) -> None:
    _, exchange, links, wallet = started(client)
    Exchange.objects.filter(pk=exchange.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = wallet.post(links.exchange, {})
    assert response.status_code == 400
    assert response.json()["title"] == "Exchange expired"


@pytest.mark.parametrize(
    "body", ['"text"', "[]", '{"redirectUrl": "https://example.org"}', "not json"]
)
def test_bad_messages_are_refused(client: Client, body: str) -> None:
    _, _, links, _ = started(client)
    response = client.post(
        links.exchange.removeprefix("https://microcred.test"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["type"] == f"{SECURITY}PARSING_ERROR"


def test_unknown_exchanges_and_workflows_are_not_found(client: Client) -> None:
    _, exchange, _, wallet = started(client)
    other = f"/workflows/credential-delivery/exchanges/{uuid.uuid4()}"
    assert wallet.post(other, {}).status_code == 404
    assert wallet.post(f"/workflows/other/exchanges/{exchange.uuid}", {}).status_code == 404


def test_a_revoked_award_starts_no_exchange(client: Client) -> None:
    learner, registrar, award = learner_award()
    awards.revoke_award(actor=registrar, award=award, reason="Issued in error.")
    with pytest.raises(Conflict) as raised:
        services.start_exchange(actor=learner, award_uuid=award.uuid)
    assert raised.value.code == "wallet.award_not_active"


def test_an_award_revoked_during_the_exchange_is_not_delivered(client: Client) -> None:
    award, exchange, links, wallet = started(client)
    request = wallet.post(links.exchange, {}).json()["verifiablePresentationRequest"]
    awards.revoke_award(actor=award.issued_by, award=award, reason="Issued in error.")
    response = wallet.post(links.exchange, {"verifiablePresentation": wallet.did_auth(request)})
    assert response.status_code == 409
    assert response.json()["type"] == "https://microcred.test/workflows#credential-not-deliverable"
    exchange.refresh_from_db()
    assert (exchange.state, exchange.delivered_credential) == ("active", "")


def test_a_presentation_with_an_unknown_context_or_too_large_is_refused(client: Client) -> None:
    _, _, links, wallet = started(client)
    request = wallet.post(links.exchange, {}).json()["verifiablePresentationRequest"]
    presentation = wallet.did_auth(request)
    presentation["@context"].append("https://contexts.example/unknown.jsonld")
    response = wallet.post(links.exchange, {"verifiablePresentation": presentation})
    assert response.status_code == 400
    assert response.json()["type"] == f"{SECURITY}MALFORMED_PROOF_ERROR"
    padded = {**wallet.did_auth(request), "description": "x" * 70_000}
    response = wallet.post(links.exchange, {"verifiablePresentation": padded})
    assert response.status_code == 413
    assert response.json()["type"] == f"{SECURITY}PARSING_ERROR"
