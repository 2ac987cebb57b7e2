"""The pages of django-allauth at the platform's addresses (``/login``, ``/signup``,
``/password-reset`` ...), under the URL names allauth reverses, so without a namespace."""

from allauth.account import views as account
from allauth.socialaccount import views as social
from django.urls import include, path, re_path

urlpatterns = [
    path("login", account.login, name="account_login"),
    path("logout", account.logout, name="account_logout"),
    path("signup", account.signup, name="account_signup"),
    path("confirm-email", account.email_verification_sent, name="account_email_verification_sent"),
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)$", account.confirm_email, name="account_confirm_email"
    ),
    path("password-reset", account.password_reset, name="account_reset_password"),
    path("password-reset/done", account.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password-reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)$",
        account.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password-reset/key/done",
        account.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path("account/email", account.email, name="account_email"),
    path("account/password", account.password_change, name="account_change_password"),
    path("account/password/set", account.password_set, name="account_set_password"),
    path("account/inactive", account.account_inactive, name="account_inactive"),
    path("account/reauthenticate", account.reauthenticate, name="account_reauthenticate"),
    # Sign-in with an institution's OpenID Connect provider:
    # /account/oidc/<provider>/login/ and its callback.
    path("account/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("account/social/signup", social.signup, name="socialaccount_signup"),
    path("account/social/cancelled", social.login_cancelled, name="socialaccount_login_cancelled"),
    path("account/social/error", social.login_error, name="socialaccount_login_error"),
    path("account/social/connections", social.connections, name="socialaccount_connections"),
]
