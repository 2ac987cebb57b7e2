"""The learner's "Add to wallet" on the credential page, the exchange page and its QR code."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from microcred.awards import services as awards
from microcred.wallets.views import qr_svg
from tests.platform.factories import make_user
from tests.platform.wallets.factories import learner_award
from tests.platform.wallets.wallet import Wallet


def test_the_credential_page_offers_the_learner_a_wallet(client: Client) -> None:
    learner, registrar, award = learner_award()
    assert b"Add to wallet" not in client.get(f"/credentials/{award.uuid}").content
    client.force_login(make_user())
    assert b"Add to wallet" not in client.get(f"/credentials/{award.uuid}").content
    client.force_login(learner)
    page = client.get(f"/credentials/{award.uuid}").content.decode()
    assert f'action="/credentials/{award.uuid}/wallet"' in page
    assert f'action="/credentials/{award.uuid}/wallet/offer"' in page
    awards.suspend_award(actor=registrar, award=award, reason="Appeal.")
    assert b"Add to wallet" not in client.get(f"/credentials/{award.uuid}").content


def test_the_exchange_page_shows_the_qr_code_and_the_wallet_link(client: Client) -> None:
    learner, _, award = learner_award()
    client.force_login(learner)
    page_url = client.post(f"/credentials/{award.uuid}/wallet")["Location"]
    page = client.get(page_url)
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert 'class="wallet-qr"' in html
    deep_link = html.split('class="wallet-deep-link" href="', 1)[1].split('"', 1)[0]
    deep_link = deep_link.replace("&amp;", "&")
    request = json.loads(parse_qs(urlsplit(deep_link).query)["request"][0])
    assert request["credentialRequestOrigin"] == "https://microcred.test"
    exchange_url = request["protocols"]["vcapi"]
    assert exchange_url.startswith(
        "https://microcred.test/workflows/credential-delivery/exchanges/"
    )

    qr = client.get(f"{page_url}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr["Content-Security-Policy"].startswith("default-src 'none'")
    assert qr["X-Content-Type-Options"] == "nosniff"
    assert qr.content == qr_svg(deep_link)
    assert qr.content.startswith(b"<?xml") and b"<svg" in qr.content

    # The wallet that follows the link gets the credential, and the page says so.
    wallet = Wallet(Client())
    vpr = wallet.post(exchange_url, {}).json()["verifiablePresentationRequest"]
    response = wallet.post(exchange_url, {"verifiablePresentation": wallet.did_auth(vpr)})
    assert response.status_code == 200
    assert wallet.did in client.get(page_url).content.decode()


def test_the_offer_page_shows_the_offer_and_its_code_once(client: Client) -> None:
    learner, _, award = learner_award()
    client.force_login(learner)
    page = client.post(f"/credentials/{award.uuid}/wallet/offer", {"tx_code": "1"})
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    tx_code = html.split('class="wallet-tx-code">', 1)[1].split("<", 1)[0]
    assert tx_code.isdigit() and len(tx_code) == 6
    uri = (
        html.split('class="wallet-offer-link" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    )
    offer = Wallet.read_offer(uri)
    assert offer["credential_issuer"] == "https://microcred.test"
    qr = html.split('class="wallet-qr" src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    assert base64.b64decode(qr) == qr_svg(uri)


def test_the_demo_learner_sees_add_to_wallet_and_a_delivered_credential(client: Client) -> None:
    from microcred.site.demo_platform import DEMO_PASSWORD, load_platform_demo
    from microcred.wallets.models import Exchange

    lines = list(load_platform_demo())
    assert any(line.startswith("Wallets: ") for line in lines)
    [exchange] = Exchange.objects.all()
    assert exchange.state == "complete" and exchange.holder.startswith("did:key:")
    assert client.post("/login", {"login": "aoife", "password": DEMO_PASSWORD}).status_code == 302
    page = client.get(f"/credentials/{exchange.award.uuid}").content.decode()
    assert "Add to wallet" in page


def test_operators_see_deliveries_read_only_without_their_secrets(client: Client) -> None:
    from microcred.wallets import services

    learner, _, award = learner_award()
    exchange = services.start_exchange(actor=learner, award_uuid=award.uuid)
    offer = services.create_offer(actor=learner, award_uuid=award.uuid, with_tx_code=True).offer
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get("/admin/wallets/exchange/").status_code == 200
    assert client.get("/admin/wallets/exchange/add/").status_code == 403
    page = client.get(f"/admin/wallets/exchange/{exchange.pk}/change/").content.decode()
    assert exchange.challenge not in page
    page = client.get(f"/admin/wallets/credentialoffer/{offer.pk}/change/").content.decode()
    assert offer.code_digest not in page and offer.tx_code_digest not in page
