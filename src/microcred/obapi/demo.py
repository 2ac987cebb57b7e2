"""The Open Badges API in the demo: a backpack that registered itself and that hugo let in.

The site's demo creates the learner first. The backpack's token is made here as the consent
page would have made it, so that ``/me/connections/`` has something to show and disconnect.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

from oauth2_provider.models import get_access_token_model, set_token_value

from microcred.accounts.services import User
from microcred.obapi import services
from microcred.obapi.oauth import CREDENTIAL_READONLY, PROFILE_READONLY

BACKPACK = {
    "client_name": "Demo Backpack",
    "client_uri": "https://backpack.example.org/",
    "policy_uri": "https://backpack.example.org/privacy",
    "software_id": "7d3c3ab0-8a1a-4f55-9b0e-2f6f1f0f6d11",
    "software_version": "1.0",
    "redirect_uris": ["https://backpack.example.org/callback"],
    "scope": f"{CREDENTIAL_READONLY} {PROFILE_READONLY}",
}


def load_obapi_demo(*, learner: User, now: datetime) -> Iterator[str]:
    """Register the demo backpack and connect it to ``learner``, reading only."""
    registration, _ = services.register_client(metadata=BACKPACK, now=now)
    token = get_access_token_model()(
        user=learner,
        application=registration.application,
        expires=now + timedelta(days=3650),
        scope=registration.scope,
    )
    # Its value is thrown away: the demo shows the connection, nobody uses the token.
    set_token_value(token, secrets.token_urlsafe(32))
    token.save()
    yield (
        f"Open Badges API: {BACKPACK['client_name']} is connected to {learner.username} "
        f"(/me/connections/); the API's description is at /ims/ob/v3p0/discovery."
    )
