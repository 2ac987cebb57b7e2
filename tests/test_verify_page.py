"""The public /verify page: paste or upload, read the report; bad input is explained."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.vc import Ed25519Multikey
from microcred.vc.baking import bake
from microcred.verification.samples import badge_png
from tests.factories import signed_credential


@pytest.fixture
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


@pytest.fixture
def client() -> Client:
    return Client()


def test_the_page_offers_paste_and_upload(client: Client) -> None:
    response = client.get("/verify")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="credential"' in page and 'type="file"' in page


def test_a_pasted_credential_is_verified(client: Client, key: Ed25519Multikey) -> None:
    signed = signed_credential(key)
    response = client.post("/verify", {"credential": json.dumps(signed)})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verified="true"' in page
    assert "Assessment Literacy for Educators" in page
    assert "proof.signature" in page


def test_a_tampered_credential_says_what_failed(client: Client, key: Ed25519Multikey) -> None:
    signed = signed_credential(key)
    signed["name"] = "Changed after signing"
    page = client.post("/verify", {"credential": json.dumps(signed)}).content.decode()
    assert 'data-verified="false"' in page
    assert "Not verified" in page
    assert 'class="status failed"' in page


def test_an_uploaded_baked_badge_is_verified(client: Client, key: Ed25519Multikey) -> None:
    image = bake(badge_png(), json.dumps(signed_credential(key)))
    upload = SimpleUploadedFile("badge.png", image, content_type="image/png")
    page = client.post("/verify", {"file": upload}).content.decode()
    assert 'data-verified="true"' in page
    assert "baked in PNG" in page


def test_a_jwt_is_verified(client: Client, key: Ed25519Multikey) -> None:
    token = signed_credential(key, suite="vc-jwt")
    page = client.post("/verify", {"credential": token}).content.decode()
    assert 'data-verified="true"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste a credential or choose a file"),
        ({"credential": "   "}, "Paste a credential or choose a file"),
        ({"credential": "hello world"}, "not JSON"),
        ({"credential": "[]"}, "empty JSON array"),
        ({"credential": "42"}, "Expected a JSON object"),
    ],
)
def test_bad_input_is_explained_with_status_400(client: Client, data: dict, message: str) -> None:
    response = client.post("/verify", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_or_unreadable_upload_is_explained(client: Client) -> None:
    empty = SimpleUploadedFile("empty.json", b"", content_type="application/json")
    response = client.post("/verify", {"file": empty})
    assert response.status_code == 400
    assert "empty" in response.content.decode()
    garbage = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nbroken", content_type="image/png")
    response = client.post("/verify", {"file": garbage})
    assert response.status_code == 400


def test_an_upload_over_the_limit_is_refused(client: Client, settings) -> None:
    settings.VERIFY_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile(
        "big.json", b"{" + b" " * 2000 + b"}", content_type="application/json"
    )
    response = client.post("/verify", {"file": upload})
    assert response.status_code == 400
    assert "files up to 1,000 bytes" in response.content.decode()


def test_pasting_and_uploading_at_once_is_refused(client: Client, key: Ed25519Multikey) -> None:
    text = json.dumps(signed_credential(key))
    upload = SimpleUploadedFile("c.json", text.encode(), content_type="application/json")
    response = client.post("/verify", {"credential": text, "file": upload})
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_samples_are_served_by_exact_name_only(client: Client, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    from microcred.verification.samples import load_samples

    list(load_samples())
    page = client.get("/verify").content.decode()
    assert "Try a sample" in page
    prefilled = client.get("/verify?sample=assessment-literacy.json").content.decode()
    assert "OpenBadgeCredential" in prefilled
    assert client.get("/verify/samples/assessment-literacy-badge.png").status_code == 200
    assert client.get("/verify/samples/issuer-key.json").status_code == 404
    assert client.get("/verify/samples/..%2Fsecret_key").status_code == 404


def test_demo_samples_verify_as_described(client: Client, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    from microcred.verification.samples import load_samples

    list(load_samples())
    folder = tmp_path / "demo"
    for name, verified in [
        ("assessment-literacy.json", True),
        ("assessment-literacy-jcs.json", True),
        ("assessment-literacy.jwt", True),
        ("tampered.json", False),
        ("expired.json", False),
    ]:
        page = client.post("/verify", {"credential": (folder / name).read_text()}).content.decode()
        assert f'data-verified="{str(verified).lower()}"' in page, name
    for name in ("assessment-literacy-badge.png", "assessment-literacy-badge.svg"):
        upload = SimpleUploadedFile(name, (folder / name).read_bytes())
        page = client.post("/verify", {"file": upload}).content.decode()
        assert 'data-verified="true"' in page, name


def test_the_stylesheet_is_served(client: Client) -> None:
    page = client.get("/verify").content.decode()
    assert "/static/microcred/microcred.css" in page
    response = client.get("/static/microcred/microcred.css")
    assert response.status_code == 200
    assert b".verdict" in b"".join(response.streaming_content)
