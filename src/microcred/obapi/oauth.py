"""The OAuth 2.0 scopes of the Open Badges 3.0 API (section 6.3) and who may ask for which.

django-oauth-toolkit asks its scopes backend (``OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"]``)
which scopes exist and which a client may ask for: a client gets no more than the scopes it
registered, so a client registered to read credentials cannot turn into one that writes them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop
from oauth2_provider.scopes import BaseScopes

SCOPE_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READONLY = SCOPE_BASE + "credential.readonly"
CREDENTIAL_UPSERT = SCOPE_BASE + "credential.upsert"
PROFILE_READONLY = SCOPE_BASE + "profile.readonly"
PROFILE_UPDATE = SCOPE_BASE + "profile.update"

# The descriptions are what the learner reads on the consent page, in the page's language
# (``describe``); the API's service description gives them in English, as written here.
SCOPES = {
    CREDENTIAL_READONLY: gettext_noop("Read the credentials in your backpack here"),
    CREDENTIAL_UPSERT: gettext_noop("Add credentials to your backpack here, or replace them"),
    PROFILE_READONLY: gettext_noop("Read your profile"),
    PROFILE_UPDATE: gettext_noop("Change your profile"),
}


def describe(scope: str) -> str:
    """What ``scope`` lets a client do, in the active language (the scope itself if unknown)."""
    return gettext(SCOPES[scope]) if scope in SCOPES else scope


class RegisteredScopes(BaseScopes):
    """The four scopes of the API; a client may ask only for those it registered."""

    def get_all_scopes(self) -> dict[str, str]:
        return {scope: describe(scope) for scope in SCOPES}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        registration = getattr(application, "registration", None) if application else None
        if registration is None:
            return []
        return [scope for scope in registration.scope.split() if scope in SCOPES]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)
