"""Who may start a delivery into a wallet (the award's learner, or a registrar), and who may
call the wallet endpoints (anyone holding the exchange's or the offer's secret)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.awards import services as awards
from microcred.organisations.models import Role
from microcred.wallets import services
from tests.platform.api import Api
from tests.platform.authz import Route, World, api, cases, check, expect, page, public
from tests.platform.awards.factories import make_version
from tests.platform.factories import make_user
from tests.platform.wallets.factories import learner_award

REGISTRAR = Role.REGISTRAR


def an_award(world: World) -> dict[str, Any]:
    award = awards.issue_award(
        actor=world.users["owner"],
        version=make_version(world.organisation),
        learner_email="ada@example.org",
    )
    return {"award": str(award.uuid)}


def an_exchange(world: World) -> dict[str, Any]:
    values = an_award(world)
    exchange = services.start_exchange(actor=world.users["owner"], award_uuid=values["award"])
    return {**values, "exchange": str(exchange.uuid)}


# Only the one who started an exchange sees its page and QR code.
STARTER_ONLY = expect(anonymous=302, outsider=404, member=404, holder=404, owner=200, admin=404)

ROUTES = [
    Route(
        "POST",
        "/api/v1/awards/{award}/wallet-exchanges",
        api(201),
        role=REGISTRAR,
        prepare=an_award,
    ),
    Route(
        "POST",
        "/api/v1/awards/{award}/credential-offers",
        api(201),
        role=REGISTRAR,
        prepare=an_award,
        body={"tx_code": True},
    ),
    Route("POST", "/credentials/{award}/wallet", page(302), role=REGISTRAR, prepare=an_award),
    Route("POST", "/credentials/{award}/wallet/offer", page(), role=REGISTRAR, prepare=an_award),
    Route("GET", "/me/wallet/exchanges/{exchange}", STARTER_ONLY, prepare=an_exchange),
    Route("GET", "/me/wallet/exchanges/{exchange}/qr.svg", STARTER_ONLY, prepare=an_exchange),
    Route("GET", "/interactions/{exchange}?iuv=1", public(), prepare=an_exchange),
    Route(
        "GET",
        "/workflows/credential-delivery/exchanges/{exchange}/protocols",
        public(),
        prepare=an_exchange,
    ),
    Route(
        "POST", "/workflows/credential-delivery/exchanges/{exchange}", public(), prepare=an_exchange
    ),
    Route(
        "GET",
        "/workflows/credential-delivery/exchanges/{exchange}",
        {**STARTER_ONLY, "anonymous": 404},
        prepare=an_exchange,
    ),
    Route("GET", "/.well-known/openid-credential-issuer", public()),
    Route("GET", "/.well-known/oauth-authorization-server", public()),
    Route("POST", "/oid4vci/nonce", public()),
    Route("POST", "/oid4vci/token", public(400)),
    Route("POST", "/oid4vci/credential", public(401)),
]


@pytest.mark.parametrize(("route", "actor"), cases(ROUTES))
def test_authorization(client: Client, route: Route, actor: str) -> None:
    check(client, route, actor)


def test_the_learner_starts_deliveries_of_their_own_award(client: Client) -> None:
    learner, _, award = learner_award()
    api_as_learner = Api(client, learner)
    response = api_as_learner("POST", f"/awards/{award.uuid}/wallet-exchanges")
    assert response.status_code == 201, response.content
    assert response.json()["deep_link"].startswith("https://lcw.app/request.html?request=")
    response = api_as_learner("POST", f"/awards/{award.uuid}/credential-offers", {})
    assert response.status_code == 201, response.content
    assert response.json()["tx_code"] == ""
    client.force_login(learner)
    response = client.post(f"/credentials/{award.uuid}/wallet")
    assert response.status_code == 302
    assert response["Location"].startswith("/me/wallet/exchanges/")


def test_another_learner_starts_nothing(client: Client) -> None:
    _, _, award = learner_award()
    stranger = make_user()
    response = Api(client, stranger)("POST", f"/awards/{award.uuid}/wallet-exchanges")
    assert response.status_code == 404
    response = Api(client, stranger)("POST", f"/awards/{award.uuid}/credential-offers", {})
    assert response.status_code == 404
    client.force_login(stranger)
    assert client.post(f"/credentials/{award.uuid}/wallet").status_code == 404
    assert client.post(f"/credentials/{award.uuid}/wallet/offer").status_code == 404


def test_the_offer_takes_only_known_fields(client: Client) -> None:
    learner, _, award = learner_award()
    response = Api(client, learner)(
        "POST", f"/awards/{award.uuid}/credential-offers", {"tx_code": True, "pin": "1"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "pin"
