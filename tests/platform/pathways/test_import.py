"""Importing credentials from other issuers on /me/credentials/import: OB 2.0 (hosted, signed,
baked), OB 3.0 JSON, VC-JWT and baked images, verified on import and kept with the report;
what is no credential is refused with the reason; hostile input changes nothing.

The other issuers' web servers are answered from the conformance corpus (read in place):
the platform's verifier fetches through them as it would over the network.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import png
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.awards.models import Award
from microcred.errors import InvalidInput, NotFound, TooLarge
from microcred.organisations import services as organisations
from microcred.pathways import services
from microcred.pathways.models import ExternalCredential
from microcred.vc import Ed25519Multikey, sign
from microcred.vc.baking import unbake
from microcred.vc.http import LocalFetcher
from microcred.vc.inputs import read_presented
from microcred.verification import services as verification
from microcred.verification.samples import sample_credential
from tests import conformance
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import make_user

IMPORT = "/me/credentials/import"


def corpus(name: str) -> bytes:
    return conformance.path("1edtech-validator", name).read_bytes()


@pytest.fixture(autouse=True)
def other_issuers(monkeypatch) -> dict[str, Any]:
    """Answer the corpus's issuers' URLs; a test adds what else an issuer hosts."""
    documents: dict[str, Any] = conformance.onedtech_documents() if conformance.available() else {}
    monkeypatch.setattr(
        verification,
        "get_fetcher",
        lambda: organisations.get_platform_fetcher(fallback=LocalFetcher(documents)),
    )
    return documents


def host_assertion(documents: dict[str, Any], data: bytes) -> None:
    """Serve an OB 2.0 hosted assertion at its own id, as its issuer does (the corpus keeps no
    copy at that address)."""
    [presented] = read_presented(data)
    if presented.kind == "ob2" and isinstance(presented.value, dict):
        documents[presented.value["id"]] = presented.value


@pytest.fixture
def learner():
    return make_user()


def signed_here(key: Ed25519Multikey, *, suite: str = "eddsa-rdfc-2022", name: str = "") -> str:
    credential = sample_credential(
        issuer=key.public.did_key, valid_from=datetime.now(UTC) - timedelta(days=1)
    )
    if name:
        credential["name"] = name
        credential["credentialSubject"]["achievement"]["name"] = name
    signed = sign(credential, key=key, suite=suite)
    return signed if isinstance(signed, str) else json.dumps(signed)


@pytest.mark.parametrize(
    ("name", "verified", "format"),
    [
        ("ob20/basic-assertion.json", True, "Open Badges 2.0 assertion"),
        ("ob20/simple.jwt", True, "Open Badges 2.0 assertion"),
        ("ob20/simple-badge.png", True, "Open Badges 2.0 assertion, baked in PNG"),
        ("ob20/simple-revoked.jwt", False, "Open Badges 2.0 assertion"),
        ("ob30/simple.json", True, "OpenBadgeCredential (JSON)"),
        ("ob30/simple-json.svg", True, "OpenBadgeCredential (JSON, baked in SVG)"),
        ("ob30/simple-jwt.png", False, "OpenBadgeCredential (VC-JWT, baked in PNG)"),
        ("ob30/simple-err-proof-value.json", False, "OpenBadgeCredential (JSON)"),
    ],
)
def test_a_corpus_credential_is_imported_with_its_verification(
    learner, other_issuers: dict[str, Any], name: str, verified: bool, format: str
) -> None:
    data = corpus(name)
    host_assertion(other_issuers, data)
    external = services.add_external_credential(
        actor=learner, document=data, source=name.split("/")[-1]
    )
    assert external.verified is verified, external.report["checks"]
    assert external.format == format and external.source == name.split("/")[-1]
    assert external.name and external.issuer and not external.names_this_platform
    assert external.report["verified"] is verified and external.report["summary"]
    # Kept as signed: the text given, or the credential baked into the image.
    if name.endswith((".png", ".svg")):
        assert external.document == unbake(data).payload
    else:
        assert external.document == data.decode().strip()
    assert services.get_external_credentials(learner) == [external]
    event = AuditEvent.objects.filter(action="pathway.external_credential").get()
    assert event.data["verified"] is verified


def test_a_vc_jwt_is_imported_and_verified(learner) -> None:
    token = signed_here(Ed25519Multikey.generate(), suite="vc-jwt")
    external = services.add_external_credential(actor=learner, document=token)
    assert external.verified and "VC-JWT" in external.format
    assert external.document == token and external.source == "pasted text"


def test_the_page_imports_an_upload_and_a_pasted_credential(client: Client, learner) -> None:
    client.force_login(learner)
    page = client.get(IMPORT)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    upload = SimpleUploadedFile("teamwork.svg", corpus("ob30/simple-json.svg"), "image/svg+xml")
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302 and response["Location"] == IMPORT
    response = client.post(IMPORT, {"credential": corpus("ob20/simple.jwt").decode()})
    assert response.status_code == 302
    page = client.get(IMPORT).content.decode()
    assert page.count('class="card report imported-credential"') == 2
    assert "Imported</strong> · verified when imported" in page
    assert "Teamwork" in page and "Awesome Robotics Badge" in page and "teamwork.svg" in page


def test_the_old_address_leads_to_the_import_page(client: Client) -> None:
    response = client.get("/pathways/credentials/")
    assert response.status_code == 301 and response["Location"] == IMPORT


def plain_png() -> bytes:
    out = io.BytesIO()
    png.Writer(2, 2, greyscale=True).write(out, [[0, 255], [255, 0]])
    return out.getvalue()


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"credential": "this is not a credential"}, "is not JSON, JSON Lines or a compact JWT"),
        ({"credential": '{"hello": "world"}'}, "This is not a credential: its type is none"),
        (
            {
                "credential": json.dumps(
                    {
                        "@context": "https://w3id.org/openbadges/v2",
                        "type": "BadgeClass",
                        "id": "https://b.example/1",
                    }
                )
            },
            "This is not a credential: A BadgeClass must have name.",
        ),
        ({"credential": "[1, 2]"}, "Expected a JSON object (a credential) in item 1"),
        ({"credential": nested(500)}, "nests objects and arrays more than 100 levels deep"),
        ({"credential": "x" * (services.MAX_DOCUMENT + 1)}, "at most 524288 characters"),
        ({"file": ("badge.png", plain_png())}, "carries no"),
        ({"file": ("badge.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40)}, "The PNG image is damaged"),
        (
            {"file": ("huge.json", b" " * (services.MAX_IMPORT_BYTES + 1))},
            "files up to 2,097,152 bytes are imported",
        ),
        ({}, "Paste a credential or choose a file."),
        (
            {"credential": "eyJ.x.y", "file": ("a.json", b"{}")},
            "Paste a credential or upload a file, not both.",
        ),
    ],
    ids=[
        "not-json",
        "not-a-credential",
        "badgeclass",
        "array-of-numbers",
        "nested",
        "huge-paste",
        "image-without-credential",
        "damaged-image",
        "huge-file",
        "nothing",
        "both",
    ],
)
def test_what_is_no_credential_is_refused_with_the_reason(
    client: Client, learner, data: dict[str, Any], message: str
) -> None:
    client.force_login(learner)
    body = {
        field: SimpleUploadedFile(value[0], value[1]) if isinstance(value, tuple) else value
        for field, value in data.items()
    }
    response = client.post(IMPORT, body)
    assert response.status_code == 400
    errors = " ".join(str(error) for error in response.context["form"].errors.values())
    assert message in errors, errors
    assert not ExternalCredential.objects.exists()
    assert not AuditEvent.objects.filter(action="pathway.external_credential").exists()


def test_two_credentials_at_once_and_oversized_bytes_are_refused_by_the_service(learner) -> None:
    key = Ed25519Multikey.generate()
    two = signed_here(key) + "\n" + signed_here(key)
    with pytest.raises(InvalidInput, match="holds 2 credentials; add them one at a time"):
        services.add_external_credential(actor=learner, document=two)
    with pytest.raises(TooLarge):
        services.add_external_credential(
            actor=learner, document=b"{" * (services.MAX_IMPORT_BYTES + 1)
        )
    with pytest.raises(InvalidInput, match="empty"):
        services.add_external_credential(actor=learner, document=b"  ")


def test_script_in_a_name_is_shown_as_text(client: Client, learner) -> None:
    script = '<script>alert("owned")</script>'
    services.add_external_credential(
        actor=learner, document=signed_here(Ed25519Multikey.generate(), name=script)
    )
    client.force_login(learner)
    page = client.get(IMPORT).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in page


def test_a_credential_of_this_platform_imported_stays_an_import(client: Client) -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    awards = Award.objects.count()
    external = services.add_external_credential(actor=learner, document=award.signed_credential)
    assert external.verified and external.names_this_platform
    assert Award.objects.count() == awards
    client.force_login(learner)
    page = client.get(IMPORT).content.decode()
    assert "It names an issuer or address of this platform, but it was imported by you" in page
    assert "Imported</strong>" in page


def test_a_learner_removes_an_import_of_their_own_only(client: Client, learner) -> None:
    external = services.add_external_credential(
        actor=learner, document=signed_here(Ed25519Multikey.generate())
    )
    other = make_user()
    with pytest.raises(NotFound):
        services.remove_external_credential(actor=other, external_id=external.pk)
    client.force_login(other)
    assert client.post(f"/me/credentials/imported/{external.pk}/remove").status_code == 404
    client.force_login(learner)
    response = client.post(f"/me/credentials/imported/{external.pk}/remove")
    assert response.status_code == 302
    assert services.get_external_credentials(learner) == []
    assert AuditEvent.objects.filter(action="pathway.external_credential_remove").exists()
