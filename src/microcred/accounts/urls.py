from django.urls import path

from microcred.accounts import views

app_name = "accounts"

# Sign-in, sign-up, password reset and email change are allauth's (accounts.allauth_urls).
urlpatterns = [
    path("account/", views.settings_page, name="settings"),
    path("account/delete", views.delete_account, name="delete"),
    path("studio/tokens", views.tokens, name="tokens"),
    path("studio/tokens/<int:token_id>/revoke", views.revoke_token, name="revoke-token"),
]
