"""Add to wallet in a real browser (Debian's Chromium), and a wallet that joins over real HTTP."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from microcred.wallets.models import Exchange
from tests.browser import image_width
from tests.platform.browser import sign_in
from tests.platform.wallets.factories import learner_award
from tests.platform.wallets.wallet import Wallet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class HttpWallet(Wallet):
    """The simulated wallet, speaking HTTP to the live server instead of the test client."""

    def __init__(self, base: str) -> None:
        super().__init__(client=None)  # type: ignore[arg-type]
        self.base = base

    def post(self, url: str, body: object) -> httpx.Response:
        return httpx.post(f"{self.base}{urlsplit(url).path}", json=body, timeout=60)


def test_the_learner_adds_the_credential_to_a_wallet(browser, live_server, tmp_path) -> None:
    learner, _, award = learner_award()
    context, page = sign_in(browser, live_server, learner, "/me/")
    page.goto(f"{live_server.url}/credentials/{award.uuid}")

    page.click("button.add-to-wallet-vcapi")
    page.wait_for_url("**/me/wallet/exchanges/*")
    assert image_width(page.locator("img.wallet-qr")) > 0
    link = page.locator("a.wallet-deep-link").get_attribute("href")
    assert link is not None and link.startswith("https://lcw.app/request.html?request=")
    exchange_url = json.loads(parse_qs(urlsplit(link).query)["request"][0])["protocols"]["vcapi"]

    wallet = HttpWallet(live_server.url)
    request = wallet.post(exchange_url, {}).json()["verifiablePresentationRequest"]
    response = wallet.post(exchange_url, {"verifiablePresentation": wallet.did_auth(request)})
    assert response.status_code == 200, response.text
    [credential] = response.json()["verifiablePresentation"]["verifiableCredential"]
    assert credential["credentialSubject"]["id"] == wallet.did

    page.reload()
    assert page.locator(".wallet-state").inner_text() == "Complete"
    assert Exchange.objects.get().holder == wallet.did
    page.screenshot(path=str(tmp_path / "wallet.png"), full_page=True)
    context.close()
