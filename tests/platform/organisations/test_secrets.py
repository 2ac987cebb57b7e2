"""Private key material never appears in an API answer, a page, the audit log or a log line."""

from __future__ import annotations

import base64
import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.organisations import services
from microcred.organisations.keystore import decrypt_secret
from microcred.organisations.models import SigningKey
from microcred.vc import Ed25519Multikey
from tests.platform.accounts.factories import bearer
from tests.platform.factories import make_organisation, make_user

API = [
    "/api/v1/me",
    "/api/v1/orgs",
    "/api/v1/orgs/uu",
    "/api/v1/orgs/uu/members",
    "/api/v1/orgs/uu/keys",
]
PAGES = [
    "/orgs/",
    "/orgs/uu/",
    "/orgs/uu/did.json",
    "/orgs/uu/profile.json",
    "/studio/",
    "/studio/orgs/uu/",
    "/studio/orgs/uu/keys",
    "/studio/orgs/uu/members",
    "/studio/orgs/uu/profile",
]
ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/accounts/apitoken/"]


def secret_forms() -> set[str]:
    """Return every spelling of every private key (and its encrypted form) worth looking for."""
    forms = set()
    for key in SigningKey.objects.all():
        seed = decrypt_secret(key.encrypted_secret)
        pair = Ed25519Multikey.from_seed(seed)
        forms |= {
            seed.hex(),
            base64.b64encode(seed).decode(),
            base64.urlsafe_b64encode(seed).decode().rstrip("="),
            pair.secret_key_multibase,
            pair.private_jwk()["d"],
            bytes(key.encrypted_secret).decode(),
        }
    encryption_key = settings.DATA_DIR / "key_encryption_key"
    if encryption_key.exists():
        forms.add(encryption_key.read_text().strip())
    return forms


def test_no_answer_page_event_or_log_line_holds_a_private_key(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    owner = make_user(password=None, is_staff=True, is_superuser=True)
    organisation = make_organisation(owner, name="Utrecht University", slug="uu")
    headers = bearer(owner)
    answers = [
        client.post("/api/v1/orgs/uu/keys/rotate", headers=headers),
        client.post(
            "/api/v1/orgs/uu/keys/key-1/compromise",
            {"reason": "Leaked."},
            content_type="application/json",
            headers=headers,
        ),
    ]
    services.rotate_signing_key(actor=owner, organisation=organisation)
    answers += [client.get(path, headers=headers) for path in API]
    client.force_login(owner)
    answers += [client.get(path) for path in PAGES + ADMIN_PAGES]
    assert all(answer.status_code in (200, 201) for answer in answers)

    secrets = secret_forms()
    assert len(secrets) >= 3 * 5
    texts = {answer.request["PATH_INFO"]: answer.content.decode() for answer in answers}
    texts["audit log"] = json.dumps([event.data for event in AuditEvent.objects.all()])
    texts["log"] = caplog.text
    leaks = [
        (where, secret) for where, text in texts.items() for secret in secrets if secret in text
    ]
    assert leaks == []
