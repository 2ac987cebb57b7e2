"""The /verify page shows who a credential was issued to, its badge and its page, and checks an
email address against a hashed identity; a hostile credential can inject nothing."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile

from microcred.vc import Ed25519Multikey, sign
from microcred.verification.samples import badge_png
from tests.factories import FIXED_NOW, unsigned_credential
from tests.platform.awards.factories import issue, make_issuer

PNG_DATA = "data:image/png;base64," + base64.b64encode(badge_png(16)).decode()


@pytest.fixture
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def verify(client, credential: Any, **fields: str) -> str:
    text = credential if isinstance(credential, str) else json.dumps(credential)
    response = client.post("/verify", {"credential": text, **fields})
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def card(page: str) -> str:
    """Return the credential card the page shows above the report."""
    start = page.index('<div class="card credential-card">')
    return page[start : page.index('<article class="card report"', start)]


def signed(key: Ed25519Multikey, change) -> dict[str, Any]:
    """Return a credential signed by ``key`` after ``change`` edited it (hostile, but signed)."""
    return sign(hostile(key, change), key=key, created=FIXED_NOW)


def hostile(key: Ed25519Multikey, change) -> dict[str, Any]:
    """Return a credential ``change`` edited, unsigned: what no signer would sign can be pasted."""
    credential = unsigned_credential(key)
    change(credential)
    return credential


def named(name: str):
    def change(credential: dict[str, Any]) -> None:
        credential["credentialSubject"]["identifier"].append(
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": name,
            }
        )

    return change


def with_image(image: Any):
    def change(credential: dict[str, Any]) -> None:
        credential["credentialSubject"]["achievement"]["image"] = image

    return change


def with_id(value: str):
    def change(credential: dict[str, Any]) -> None:
        credential["id"] = value

    return change


# -- a credential of this platform -----------------------------------------------------------


@pytest.fixture
def award():
    _, registrar, version = make_issuer(name="Universiteit Utrecht")
    return issue(
        registrar, version, learner_email="Ada.Lovelace@example.org", learner_name="Ada Lovelace"
    )


def test_the_holder_the_badge_and_the_page_of_a_platform_credential(client, award) -> None:
    shown = card(verify(client, award.signed_credential))
    assert "Issued to <strong>Ada Lovelace</strong>" in shown
    assert f'<a class="credential-card-page" href="/credentials/{award.uuid}">' in shown
    assert f'src="/credentials/{award.uuid}.svg"' in shown
    assert "names its holder by a hashed email address" in shown


def test_the_versions_own_image_is_shown_from_this_site(client, settings, tmp_path, award) -> None:
    settings.MEDIA_ROOT = tmp_path
    award.version.image.save("badge.png", ContentFile(badge_png(32)))
    other = issue(award.issued_by, award.version, learner_name="Grace Hopper")
    achievement = json.loads(other.signed_credential)["credentialSubject"]["achievement"]
    path = achievement["image"]["id"].removeprefix(settings.PUBLIC_URL)
    assert re.fullmatch(r"/achievements/[0-9a-f-]{36}/image", path)
    assert f'src="{path}"' in card(verify(client, other.signed_credential))


@pytest.mark.parametrize(
    ("email", "answer"),
    [
        ("Ada.Lovelace@example.org", "This credential was issued to that email address."),
        ("  ada.lovelace@EXAMPLE.org ", "This credential was issued to that email address."),
        ("grace@example.org", "This credential was not issued to that address."),
    ],
)
def test_an_email_address_is_checked_against_the_hashed_identity(
    client, award, email: str, answer: str
) -> None:
    shown = card(verify(client, award.signed_credential, email=email))
    assert answer in shown
    assert email.strip() not in shown  # the address is not repeated back


def test_a_vc_jwt_is_checked_the_same_way(client) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, format="jwt", learner_email="eva@example.org")
    shown = card(verify(client, award.signed_credential, email="eva@example.org"))
    assert "This credential was issued to that email address." in shown


def test_a_credential_without_an_email_identity_says_it_cannot_be_checked(client) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner_email="", learner_did="did:web:example.org:grace")
    shown = card(verify(client, award.signed_credential, email="grace@example.org"))
    assert "does not name its holder by an email address" in shown


def test_an_email_that_is_not_an_address_is_refused_by_its_field(client, award) -> None:
    response = client.post(
        "/verify", {"credential": award.signed_credential, "email": "not an address"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "credential-card" not in page


def test_another_hash_algorithm_is_said_to_be_unsupported(client, key) -> None:
    def md5_identity(credential: dict[str, Any]) -> None:
        credential["credentialSubject"]["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": "md5$" + "0" * 32,
                "salt": "x",
            }
        ]

    shown = card(verify(client, signed(key, md5_identity), email="a@example.org"))
    assert "a hash other than SHA-256" in shown


# -- credentials from elsewhere, hostile ones included ---------------------------------------


def test_an_https_id_links_to_the_issuers_page(client, key) -> None:
    credential = signed(key, with_id("https://issuer.example.org/badges/42"))
    shown = card(verify(client, credential))
    assert (
        '<a class="credential-card-page" href="https://issuer.example.org/badges/42" '
        'rel="nofollow noopener noreferrer">' in shown
    )
    assert "page at issuer.example.org" in shown


def test_a_data_image_is_shown_and_an_https_one_linked_not_loaded(client, key) -> None:
    shown = card(verify(client, signed(key, with_image({"id": PNG_DATA, "type": "Image"}))))
    assert f'src="{PNG_DATA}"' in shown
    elsewhere = "https://images.example.org/badge.png"
    shown = card(verify(client, signed(key, with_image(elsewhere))))
    assert "src=" not in shown
    assert f'href="{elsewhere}"' in shown


@pytest.mark.parametrize(
    "image",
    [
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        'data:image/png;base64,AAAA" onerror="alert(1)',
        "http://images.example.org/badge.png",
        "//images.example.org/badge.png",
        "https://microcred.test/../evil",
        "https://microcred.test/achievements/x/image\\..\\evil",
        {"id": ["javascript:alert(1)"]},
    ],
)
def test_a_hostile_image_is_never_loaded(client, key, image) -> None:
    page = verify(client, hostile(key, with_image(image)))
    assert "<img" not in page[page.index("<main") :]
    assert not re.search(r'(src|href)="\s*javascript', page)
    assert 'onerror="' not in page


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", 'https://evil.example.org/" onclick="alert(1)', "urn:x"]
)
def test_a_hostile_id_makes_no_link(client, key, value: str) -> None:
    page = verify(client, hostile(key, with_id(value)))
    assert "credential-card-page" not in page
    assert not re.search(r'href="\s*javascript', page)
    assert 'onclick="' not in page


def test_a_hostile_holder_name_is_escaped(client, key) -> None:
    shown = card(verify(client, hostile(key, named('<script>alert("x")</script>'))))
    assert (
        "Claims to be issued to <strong>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</strong>"
        in shown
    )
    assert "<script>" not in shown


def test_a_hashed_name_is_not_shown_as_a_name(client, key) -> None:
    def hashed_name(credential: dict[str, Any]) -> None:
        named("sha256$" + "a" * 64)(credential)
        credential["credentialSubject"]["identifier"][-1]["hashed"] = True

    page = verify(client, signed(key, hashed_name))
    assert "issued to <strong>" not in page.lower()


def test_a_tampered_platform_credential_only_claims_its_holder(client, award) -> None:
    credential = json.loads(award.signed_credential)
    credential["name"] = "Doctorate in Everything"
    shown = card(verify(client, credential))
    assert "Claims to be issued to <strong>Ada Lovelace</strong>" in shown
    # The link leads to the platform's own page, which shows what was really issued.
    assert f'href="/credentials/{award.uuid}"' in shown
