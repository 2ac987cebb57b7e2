"""A private award: its page and downloads answer only to its learner, its issuer's staff and
holders of a live share link; the signed credential still verifies for whoever holds it."""

from __future__ import annotations

import pytest
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.errors import InvalidInput, NotFound
from microcred.verification import services as verification
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import add_member, make_user

SUFFIXES = ("", ".json", ".png", ".svg", ".pdf")


@pytest.fixture
def private():
    organisation, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    award = awards.set_visibility(actor=learner, award=award, visibility="private")
    return organisation, registrar, learner, award


def _statuses(client: Client, award, query: str = "") -> list[int]:
    return [
        client.get(f"/credentials/{award.uuid}{suffix}{query}").status_code for suffix in SUFFIXES
    ]


def test_a_private_award_is_not_found_by_others(client, private) -> None:
    _organisation, _, _, award = private
    assert _statuses(client, award) == [404] * 5
    client.force_login(make_user())
    assert _statuses(client, award) == [404] * 5
    client.force_login(make_user(is_staff=True))
    assert _statuses(client, award) == [404] * 5


def test_a_private_award_opens_for_its_learner_and_its_issuers_staff(client, private) -> None:
    organisation, registrar, learner, award = private
    for person in (learner, registrar, add_member(organisation, make_user(), "designer")):
        client.force_login(person)
        assert _statuses(client, award) == [200] * 5


def test_a_public_award_opens_for_anyone(client) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    assert _statuses(client, award) == [200] * 5


def test_a_share_link_opens_the_award_until_it_is_revoked(client, private) -> None:
    _, _, learner, award = private
    link = awards.create_share_link(actor=learner, award=award, label="Employer")
    other = awards.create_share_link(actor=learner, award=award)

    response = client.get(f"/s/{link.token}")
    assert response.status_code == 302
    assert response["Location"] == f"/credentials/{award.uuid}?share={link.token}"
    assert _statuses(client, award, f"?share={link.token}") == [200] * 5
    # The page's download links carry no token: the session keeps the one that opened it.
    assert _statuses(client, award) == [200] * 5

    awards.revoke_share_link(actor=learner, award=award, link_id=link.pk)

    assert client.get(f"/s/{link.token}").status_code == 404
    assert _statuses(client, award, f"?share={link.token}") == [404] * 5
    assert _statuses(Client(), award, f"?share={other.token}") == [200] * 5


def test_a_share_link_of_another_award_opens_nothing(client, private) -> None:
    organisation, registrar, learner, award = private
    elsewhere = issue(registrar, make_version(organisation), learner_email=learner.email)
    link = awards.create_share_link(actor=learner, award=elsewhere)
    assert _statuses(client, award, f"?share={link.token}") == [404] * 5


def test_the_signed_credential_of_a_private_award_still_verifies(client, private) -> None:
    _, _, _, award = private
    assert client.get(f"/credentials/{award.uuid}.json").status_code == 404
    [report] = verification.verify_payload(data=award.signed_credential.encode(), source="test")
    assert report.verified, report.failures


def test_only_the_learner_changes_visibility_and_share_links(private) -> None:
    _organisation, registrar, learner, award = private
    with pytest.raises(NotFound):
        awards.set_visibility(actor=registrar, award=award, visibility="public")
    with pytest.raises(NotFound):
        awards.create_share_link(actor=make_user(), award=award)
    link = awards.create_share_link(actor=learner, award=award)
    with pytest.raises(NotFound):
        awards.revoke_share_link(actor=registrar, award=award, link_id=link.pk)


def test_bad_visibility_and_labels_are_refused_naming_the_field(private) -> None:
    _, _, learner, award = private
    with pytest.raises(InvalidInput) as error:
        awards.set_visibility(actor=learner, award=award, visibility="friends")
    assert error.value.field == "visibility" and "'friends'" in error.value.message
    with pytest.raises(InvalidInput) as error:
        awards.create_share_link(actor=learner, award=award, label="x" * 101)
    assert error.value.field == "label"


def test_the_learner_makes_it_private_and_manages_links_on_the_page(client) -> None:
    _, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    client.force_login(learner)
    page = f"/me/credentials/{award.uuid}"

    assert client.post(f"{page}/visibility", {"visibility": "private"}).status_code == 302
    assert _statuses(Client(), award) == [404] * 5
    client.post(f"{page}/share-links", {"label": "My employer"})
    [link] = awards.get_share_links(awards.get_award(award.uuid))
    assert link.label == "My employer"
    assert awards.share_url(link) in client.get(page).content.decode()
    client.post(f"{page}/share-links/{link.pk}/revoke")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.post(f"{page}/visibility", {"visibility": "sideways"}).status_code == 302
    assert "not &#x27;sideways&#x27;" in client.get(page).content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"award.visibility", "award.share_link.create", "award.share_link.revoke"} <= actions


def test_only_the_embed_card_may_be_framed(client) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner_name="Ada Lovelace")

    card = client.get(f"/credentials/{award.uuid}/embed")
    page = client.get(f"/credentials/{award.uuid}")

    assert card.status_code == 200 and "Ada Lovelace" in card.content.decode()
    assert "X-Frame-Options" not in card
    assert "frame-ancestors *" in card["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_embed_card_of_a_private_award_needs_a_share_link(client, private) -> None:
    _, _, learner, award = private
    assert client.get(f"/credentials/{award.uuid}/embed").status_code == 404
    link = awards.create_share_link(actor=learner, award=award)
    card = client.get(f"/credentials/{award.uuid}/embed?share={link.token}")
    assert card.status_code == 200
    assert f".svg?share={link.token}" in card.content.decode()
