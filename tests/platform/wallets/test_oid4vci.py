"""OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow, end to end, with a
wallet simulated by the test."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.vc.jwt import decode_jwt
from microcred.wallets import services
from microcred.wallets.models import CredentialOffer, Nonce
from tests.platform.wallets.factories import learner_award, verify_delivered
from tests.platform.wallets.wallet import Wallet

ISSUER = "https://microcred.test"
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def offered(client: Client, *, tx_code: bool = False):
    learner, _, award = learner_award()
    issued = services.create_offer(actor=learner, award_uuid=award.uuid, with_tx_code=tx_code)
    wallet = Wallet(client)
    return award, issued, wallet, wallet.read_offer(issued.uri)


def token(client: Client, offer: dict[str, Any], **form: str):
    grant = offer["grants"][GRANT]
    return client.post(
        "/oid4vci/token",
        {"grant_type": GRANT, "pre-authorized_code": grant["pre-authorized_code"], **form},
    )


def nonce(client: Client) -> str:
    response = client.post("/oid4vci/nonce")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()["c_nonce"]


def ask(client: Client, access_token: str, body: dict[str, Any]):
    return client.post(
        "/oid4vci/credential",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {access_token}"},
    )


def request_body(wallet: Wallet, c_nonce: str | None, configuration: str) -> dict[str, Any]:
    proof = wallet.proof_jwt(audience=ISSUER, nonce=c_nonce)
    return {"credential_configuration_id": configuration, "proofs": {"jwt": [proof]}}


def test_metadata_describes_the_issuer(client: Client) -> None:
    metadata = client.get("/.well-known/openid-credential-issuer").json()
    assert metadata["credential_issuer"] == ISSUER
    assert metadata["credential_endpoint"] == f"{ISSUER}/oid4vci/credential"
    assert metadata["nonce_endpoint"] == f"{ISSUER}/oid4vci/nonce"
    assert set(metadata["credential_configurations_supported"]) == set(services.CONFIGURATIONS)
    server = client.get("/.well-known/oauth-authorization-server").json()
    assert server["issuer"] == ISSUER
    assert server["token_endpoint"] == f"{ISSUER}/oid4vci/token"
    assert server["pre-authorized_grant_anonymous_access_supported"] is True


@pytest.mark.parametrize(
    "configuration", ["OpenBadgeCredential_ldp_vc", "OpenBadgeCredential_jwt_vc_json"]
)
def test_a_wallet_receives_the_award_bound_to_its_did(client: Client, configuration: str) -> None:
    award, _, wallet, offer = offered(client)
    assert offer["credential_issuer"] == ISSUER
    assert configuration in offer["credential_configuration_ids"]

    response = token(client, offer)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    answer = response.json()
    assert answer["token_type"] == "Bearer"

    response = ask(
        client, answer["access_token"], request_body(wallet, nonce(client), configuration)
    )
    assert response.status_code == 200, response.content
    [delivered] = response.json()["credentials"]
    credential = delivered["credential"]
    if configuration.endswith("jwt_vc_json"):
        _, payload, document = decode_jwt(credential)
        assert payload["sub"] == wallet.did
    else:
        document = credential
    assert document["credentialSubject"]["id"] == wallet.did
    report = verify_delivered(award, credential)
    assert report.verified, [check.as_dict() for check in report.failures]
    assert AuditEvent.objects.get(action="wallet.deliver").data["protocol"] == "oid4vci"


def test_a_replayed_code_is_refused(client: Client) -> None:
    _, _, _, offer = offered(client)
    assert token(client, offer).status_code == 200
    replayed = token(client, offer)
    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"


def test_an_expired_code_is_refused(client: Client) -> None:
    _, issued, _, offer = offered(client)
    CredentialOffer.objects.filter(pk=issued.offer.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert token(client, offer).json()["error"] == "invalid_grant"


def test_the_transaction_code_is_needed_and_guessing_spends_the_offer(client: Client) -> None:
    _, issued, _, offer = offered(client, tx_code=True)
    assert offer["grants"][GRANT]["tx_code"] == {
        "input_mode": "numeric",
        "length": 6,
        "description": "The code shown beside the QR code on the credential's page.",
    }
    missing = token(client, offer)
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    wrong = str((int(issued.tx_code) + 1) % 1_000_000).zfill(6)
    for _ in range(3):
        assert token(client, offer, tx_code=wrong).json()["error"] == "invalid_grant"
    # Three wrong codes spent the offer: the right one comes too late.
    assert token(client, offer, tx_code=issued.tx_code).json()["error"] == "invalid_grant"


def test_the_right_transaction_code_gets_a_token(client: Client) -> None:
    _, issued, _, offer = offered(client, tx_code=True)
    assert token(client, offer, tx_code=issued.tx_code).status_code == 200


def test_a_stale_nonce_is_refused(client: Client) -> None:
    _, _, wallet, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    c_nonce = services.issue_nonce(now=timezone.now() - timedelta(minutes=5, seconds=1))["c_nonce"]
    response = ask(
        client, access_token, request_body(wallet, c_nonce, "OpenBadgeCredential_ldp_vc")
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_nonce")
    # Nor is a nonce of the wallet's own making, a tampered one, nor none at all.
    tampered = nonce(client)[:-2] + "xx"
    for made_up in ("made-up", tampered, None):
        response = ask(
            client, access_token, request_body(wallet, made_up, "OpenBadgeCredential_ldp_vc")
        )
        assert response.json()["error"] == "invalid_nonce"
    # The token is still good for a request with a fresh nonce.
    response = ask(
        client, access_token, request_body(wallet, nonce(client), "OpenBadgeCredential_ldp_vc")
    )
    assert response.status_code == 200
    assert Nonce.objects.count() == 1


def test_a_used_nonce_and_a_used_token_are_refused(client: Client) -> None:
    _, _, wallet, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    c_nonce = nonce(client)
    body = request_body(wallet, c_nonce, "OpenBadgeCredential_ldp_vc")
    assert ask(client, access_token, body).status_code == 200
    replayed = ask(client, access_token, body)
    assert (replayed.status_code, replayed.json()["error"]) == (401, "invalid_token")
    assert replayed["WWW-Authenticate"] == 'Bearer error="invalid_token"'

    # The nonce spent by that request is stale for another offer's token too.
    _, _, _, other = offered(client)
    other_token = token(client, other).json()["access_token"]
    response = ask(client, other_token, request_body(wallet, c_nonce, "OpenBadgeCredential_ldp_vc"))
    assert response.json()["error"] == "invalid_nonce"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"audience": "https://elsewhere.example"}, "aud"),
        ({"iat": 1_000_000_000}, "iat"),
    ],
)
def test_a_proof_for_another_issuer_or_time_is_refused(
    client: Client, change: dict[str, Any], field: str
) -> None:
    _, _, wallet, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    audience = change.pop("audience", ISSUER)
    proof = wallet.proof_jwt(audience=audience, nonce=nonce(client), **change)
    response = ask(
        client,
        access_token,
        {"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [proof]}},
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_proof")
    assert field in response.json()["error_description"]


def test_a_forged_proof_is_refused(client: Client) -> None:
    _, _, wallet, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    proof = wallet.proof_jwt(audience=ISSUER, nonce=nonce(client))
    # Signed by another wallet's key, but naming this wallet's.
    forged = (
        proof.rsplit(".", 1)[0]
        + "."
        + Wallet(client).proof_jwt(audience=ISSUER, nonce="x").rsplit(".", 1)[1]
    )
    response = ask(
        client,
        access_token,
        {"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [forged]}},
    )
    assert response.json()["error"] == "invalid_proof"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"credential_configuration_id": "Diploma"}, "unknown_credential_configuration"),
        ({"credential_configuration_id": "OpenBadgeCredential_ldp_vc"}, "invalid_proof"),
        (
            {"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": "x"}},
            "invalid_credential_request",
        ),
        ([], "invalid_credential_request"),
    ],
)
def test_malformed_credential_requests_are_refused(client: Client, body: Any, error: str) -> None:
    _, _, _, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    response = ask(client, access_token, body)
    assert (response.status_code, response.json()["error"]) == (400, error)


def test_the_credential_endpoint_needs_a_token(client: Client) -> None:
    response = client.post("/oid4vci/credential", "{}", content_type="application/json")
    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")
    response = ask(
        client, "not-a-token", {"credential_configuration_id": "OpenBadgeCredential_ldp_vc"}
    )
    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
        ({"grant_type": GRANT}, "invalid_request"),
        ({"grant_type": GRANT, "pre-authorized_code": "unknown"}, "invalid_grant"),
    ],
)
def test_bad_token_requests_are_refused(client: Client, form: dict[str, str], error: str) -> None:
    response = client.post("/oid4vci/token", form)
    assert (response.status_code, response.json()["error"]) == (400, error)


def test_an_award_revoked_after_the_offer_is_not_delivered(client: Client) -> None:
    award, _, wallet, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    awards.revoke_award(actor=award.issued_by, award=award, reason="Issued in error.")
    response = ask(
        client, access_token, request_body(wallet, nonce(client), "OpenBadgeCredential_ldp_vc")
    )
    assert (response.status_code, response.json()["error"]) == (400, "credential_request_denied")
    assert not AuditEvent.objects.filter(action="wallet.deliver").exists()


def test_an_oversized_credential_request_is_refused(client: Client) -> None:
    _, _, wallet, offer = offered(client)
    access_token = token(client, offer).json()["access_token"]
    body = {**request_body(wallet, nonce(client), "OpenBadgeCredential_ldp_vc"), "x": "x" * 70_000}
    response = ask(client, access_token, body)
    assert (response.status_code, response.json()["error"]) == (413, "invalid_credential_request")
