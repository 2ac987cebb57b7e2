from django.urls import path
from oauth2_provider import views as oauth

from microcred.obapi import views

app_name = "obapi"

urlpatterns = [
    path("oauth/register", views.register, name="register"),
    path("me/connections/", views.connections, name="connections"),
    path("me/connections/<int:application>/revoke", views.revoke, name="revoke"),
]

# The toolkit's endpoints, in its own namespace (``oauth2_provider``), which it reverses.
oauth_urls = (
    [
        path("authorize/", views.ConsentView.as_view(), name="authorize"),
        path("token/", oauth.TokenView.as_view(), name="token"),
        path("revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke-token"),
    ],
    "oauth2_provider",
)
