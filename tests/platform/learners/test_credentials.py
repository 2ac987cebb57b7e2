"""The learner's credentials: the list, one credential's page and sharing, export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from microcred.awards import services as awards
from microcred.learners import services
from microcred.pathways import services as pathways
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import make_user


def test_the_list_holds_every_award_made_to_the_learner_newest_first_marked_by_status(
    client,
) -> None:
    organisation, registrar, version = make_issuer()
    learner = make_user(did="did:example:ada")
    by_email = issue(registrar, version, learner_email=learner.email.upper())
    by_did = issue(registrar, make_version(organisation), learner_did=learner.did)
    linked = issue(registrar, make_version(organisation), learner_email="old@example.org")
    linked.learner = learner
    linked.save()
    revoked = issue(registrar, make_version(organisation), learner_email=learner.email)
    awards.revoke_award(actor=registrar, award=revoked, reason="Plagiarism.")
    suspended = issue(registrar, make_version(organisation), learner_email=learner.email)
    awards.suspend_award(actor=registrar, award=suspended, reason="Appeal.")
    issue(registrar, version, learner_email="someone.else@example.org")

    held = services.get_credentials(learner)

    assert [item.award for item in held.awards] == [suspended, revoked, linked, by_did, by_email]
    states = {item.award.pk: item.state for item in held.awards}
    assert states[revoked.pk] == "revoked" and states[suspended.pk] == "suspended"
    client.force_login(learner)
    page = client.get("/me/credentials/").content.decode()
    assert page.count('class="held-award"') == 5
    assert "Revoked" in page and "Suspended" in page


def test_an_award_to_an_address_the_learner_never_verified_is_not_listed(
    client, monkeypatch
) -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    issue(registrar, version, learner_email=learner.email)
    # As an account whose address was typed at sign-up but never confirmed.
    monkeypatch.setattr(awards, "get_verified_addresses", lambda user: [])
    assert services.get_credentials(learner).awards == []


def test_an_expired_award_is_marked_expired() -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    award.valid_until = award.issued_at + timedelta(days=365)
    award.save()
    [item] = services.get_credentials(learner, now=award.issued_at + timedelta(days=366)).awards
    assert item.state == "expired"


def test_the_empty_list_says_how_credentials_arrive(client) -> None:
    client.force_login(make_user())
    page = client.get("/me/credentials/").content.decode()
    assert "No credentials yet" in page and "claim link" in page


def test_the_list_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries) -> None:
    organisation, registrar, version = make_issuer()
    learner = make_user()
    client.force_login(learner)
    issue(registrar, version, learner_email=learner.email)
    with django_assert_max_num_queries(12) as one:
        assert client.get("/me/credentials/").status_code == 200
    for _ in range(6):
        issue(registrar, make_version(organisation), learner_email=learner.email)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/me/credentials/").content.decode().count('class="held-award"') == 7


def test_imported_credentials_are_listed_apart_with_their_verification(client) -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    own = issue(registrar, version, learner_email=learner.email)
    genuine = issue(registrar, version, learner_email="x@example.org").signed_credential
    tampered = issue(registrar, version, learner_email="y@example.org").signed_credential
    pathways.add_external_credential(actor=learner, document=genuine)
    pathways.add_external_credential(actor=learner, document=tampered.replace("Data", "Date"))

    held = services.get_credentials(learner)

    assert [item.award for item in held.awards] == [own]
    assert sorted(item.verified for item in held.imported) == [False, True]
    client.force_login(learner)
    page = client.get("/me/credentials/").content.decode()
    imported = page.split('id="imported-heading"', 1)[1]
    assert imported.count('class="imported-credential"') == 2
    assert "Not verified" in imported and "Verified" in imported


def test_the_credential_page_offers_every_way_to_share_it(client) -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    client.force_login(learner)

    page = client.get(f"/me/credentials/{award.uuid}").content.decode()

    sharing = services.get_sharing_options(award)
    url = awards.credential_url(award)
    linkedin = parse_qs(urlsplit(sharing.linkedin).query)
    assert linkedin["name"] == [version.title]
    assert linkedin["organizationName"] == [award.organisation.name]
    assert linkedin["certUrl"] == [url] and linkedin["certId"] == [str(award.uuid)]
    assert linkedin["issueYear"] == [str(award.issued_at.year)]
    email = parse_qs(urlsplit(sharing.email).query)
    assert version.title in email["subject"][0] and url in email["body"][0]
    assert f'src="{url}/embed"' in sharing.embed_code
    assert [address for address, _ in sharing.downloads] == [
        f"{url}.{suffix}" for suffix in ("json", "png", "svg", "pdf")
    ]
    for address in (sharing.email, url, f"{url}.pdf"):
        assert address.replace("&", "&amp;") in page


def test_a_private_award_is_shared_through_its_newest_share_link() -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    award = awards.set_visibility(actor=learner, award=award, visibility="private")
    assert services.get_sharing_options(award).address is None

    link = awards.create_share_link(actor=learner, award=award, label="Employer")

    sharing = services.get_sharing_options(award)
    assert sharing.address == awards.share_url(link)
    assert parse_qs(urlsplit(sharing.linkedin).query)["certUrl"] == [sharing.address]
    assert f"embed?share={link.token}" in sharing.embed_code


def test_export_holds_every_credential_as_signed_and_a_manifest(client) -> None:
    organisation, registrar, version = make_issuer()
    learner = make_user()
    first = issue(registrar, version, learner_email=learner.email)
    second = issue(registrar, make_version(organisation), learner_email=learner.email)
    awards.revoke_award(actor=registrar, award=second, reason="Error.")
    second.refresh_from_db()
    elsewhere = issue(registrar, version, learner_email="x@example.org")
    pathways.add_external_credential(actor=learner, document=elsewhere.signed_credential)
    client.force_login(learner)

    response = client.get("/me/credentials/export")

    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    files = {entry["id"]: entry for entry in manifest["credentials"]}
    for award in (first, second):
        entry = files[awards.credential_url(award)]
        assert archive.read(entry["file"]).decode() == award.signed_credential
    assert files[awards.credential_url(second)]["status"] == "revoked"
    [imported] = manifest["imported"]
    assert imported["verifiedWhenAdded"] is True
    assert archive.read(imported["file"]).decode() == elsewhere.signed_credential


def test_the_learning_dashboard_counts_and_links_the_credentials(client) -> None:
    organisation, registrar, version = make_issuer()
    learner = make_user()
    issue(registrar, version, learner_email=learner.email)
    issue(registrar, make_version(organisation), learner_email=learner.email)
    client.force_login(learner)
    page = client.get("/me/").content.decode()
    assert "You hold 2 credentials." in page and 'href="/me/credentials/"' in page
