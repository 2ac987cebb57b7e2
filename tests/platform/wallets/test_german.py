"""The learner's "Add to wallet" pages in German."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from microcred.awards import services as awards
from microcred.errors import Conflict
from microcred.wallets import services
from tests.platform.wallets.factories import learner_award


def _german(learner) -> Client:
    browser = Client()
    browser.cookies["django_language"] = "de"
    browser.force_login(learner)
    return browser


def test_the_exchange_page_speaks_german() -> None:
    learner, _, award = learner_award()
    browser = _german(learner)
    page_url = browser.post(f"/credentials/{award.uuid}/wallet")["Location"]
    page = browser.get(page_url).content.decode()
    assert "Zur Wallet hinzufügen" in page and "Ausstehend" in page
    assert 'alt="QR-Code des Wallet-Links"' in page
    assert "Add to wallet" not in page and "Pending" not in page
    assert award.version.title in page


def test_the_offer_page_speaks_german() -> None:
    learner, _, award = learner_award()
    page = _german(learner).post(f"/credentials/{award.uuid}/wallet/offer", {"tx_code": "1"})
    html = page.content.decode()
    assert "Zu einer OpenID-Wallet hinzufügen" in html and "Transaktionscode" in html
    assert "Add to an OpenID wallet" not in html


def test_why_a_credential_cannot_go_into_a_wallet_is_said_in_the_visitors_language() -> None:
    learner, registrar, award = learner_award()
    awards.suspend_award(actor=registrar, award=award, reason="Appeal.")
    with translation.override("de"), pytest.raises(Conflict) as refused:
        services.start_exchange(actor=learner, award_uuid=award.uuid)
    assert refused.value.message.startswith("Der Nachweis ist ausgesetzt")
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.start_exchange(actor=learner, award_uuid=award.uuid)
    assert refused.value.message == "The credential is suspended; it cannot go into a wallet."
