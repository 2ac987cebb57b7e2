from django.urls import path

from microcred.wallets import views

app_name = "wallets"

urlpatterns = [
    path("workflows/<slug:workflow>/exchanges/<uuid:exchange_id>", views.exchange, name="exchange"),
    path(
        "workflows/<slug:workflow>/exchanges/<uuid:exchange_id>/protocols",
        views.protocols,
        name="protocols",
    ),
    path("interactions/<uuid:exchange_id>", views.protocols, name="interaction"),
    path(".well-known/openid-credential-issuer", views.issuer_metadata, name="issuer-metadata"),
    path(
        ".well-known/oauth-authorization-server",
        views.authorization_server_metadata,
        name="authorization-server-metadata",
    ),
    path("oid4vci/token", views.token, name="token"),
    path("oid4vci/nonce", views.nonce, name="nonce"),
    path("oid4vci/credential", views.credential, name="credential"),
    path("credentials/<uuid:award_uuid>/wallet", views.start, name="start"),
    path("credentials/<uuid:award_uuid>/wallet/offer", views.offer, name="offer"),
    path("me/wallet/exchanges/<uuid:exchange_id>", views.exchange_page, name="exchange-page"),
    path("me/wallet/exchanges/<uuid:exchange_id>/qr.svg", views.exchange_qr, name="exchange-qr"),
]
