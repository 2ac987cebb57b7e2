"""Issuing again after a revocation or a key compromise, private and public reasons, and the
learner's emails when a credential's status changes."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.audit.models import AuditEvent
from microcred.awards import services
from microcred.awards.models import Award
from microcred.errors import Conflict, Forbidden, InvalidInput
from microcred.organisations import services as organisations
from microcred.organisations.models import Role
from tests.ob3_schema import issued_document, schema_errors
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.awards.test_api import Api
from tests.platform.awards.verifying import verify_offline
from tests.platform.factories import add_member, make_user

PRIVATE = "Under investigation: possible plagiarism"


def issue_form(version, **changes: str) -> dict[str, Any]:
    return {
        "version": version.pk,
        "learner_email": "ada@example.org",
        "learner_name": "Ada Lovelace",
        "grade": "Distinction",
        "format": "ldp",
        **changes,
    }


def compromise_signing_key(organisation) -> None:
    owner = add_member(organisation, make_user(password=None), Role.OWNER)
    key = organisations.get_active_key(organisation)
    organisations.mark_key_compromised(
        actor=owner, organisation=organisation, key_id=key.key_id, reason="Laptop stolen."
    )


# -- re-issue ----------------------------------------------------------------------------------


@pytest.mark.parametrize("grade", ["Distinction", "Merit"])
def test_the_issue_form_issues_a_revoked_award_again_as_a_new_award(client, grade: str) -> None:
    """Same data or other data: before, the form returned the revoked award ("issued") or
    refused with an idempotency-key conflict."""
    _, registrar, version = make_issuer(slug="uu")
    client.force_login(registrar)
    client.post("/studio/orgs/uu/awards/issue", issue_form(version))
    old = Award.objects.get()
    services.revoke_award(actor=registrar, award=old, reason=PRIVATE)

    response = client.post("/studio/orgs/uu/awards/issue", issue_form(version, grade=grade))

    assert response.status_code == 302
    new = Award.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"/studio/orgs/uu/awards/{new.uuid}"
    assert new.status == "active" and new.replaces == old
    assert new.result == {"grade": grade}
    assert verify_offline(new).verified
    # A retry of the form returns the new award and issues nothing more.
    again = client.post("/studio/orgs/uu/awards/issue", issue_form(version, grade=grade))
    assert again["Location"] == response["Location"]
    assert Award.objects.count() == 2


def test_an_active_award_is_not_issued_twice_and_the_refusal_says_why(client) -> None:
    _, registrar, version = make_issuer(slug="uu")
    client.force_login(registrar)
    client.post("/studio/orgs/uu/awards/issue", issue_form(version))
    response = client.post("/studio/orgs/uu/awards/issue", issue_form(version, grade="Merit"))
    assert response.status_code == 400
    [error] = response.context["form"].non_field_errors()
    assert "holds this micro-credential already" in error and "Revoke it first" in error
    assert Award.objects.count() == 1


def test_the_api_without_a_key_issues_a_revoked_award_again(client) -> None:
    _, registrar, version = make_issuer(slug="uu")
    api = Api(client, registrar)
    body = {"version": str(version.achievement_uuid), "learner_email": "ada@example.org"}
    first = api.post("/orgs/uu/awards", body).json()
    revoked = api.post(f"/awards/{first['uuid']}/revoke", {"reason": PRIVATE})
    assert revoked.json()["status_reason"] == PRIVATE
    assert revoked.json()["public_reason"] == "Revoked by the issuer."

    second = api.post("/orgs/uu/awards", body)

    assert second.status_code == 201
    assert second.json()["uuid"] != first["uuid"]
    assert second.json()["replaces"] == first["uuid"]
    assert api.get(f"/awards/{first['uuid']}").json()["replaced_by"] == second.json()["uuid"]


def test_an_award_signed_with_a_compromised_key_is_issued_again(client) -> None:
    organisation, registrar, version = make_issuer(slug="uu")
    client.force_login(registrar)
    client.post("/studio/orgs/uu/awards/issue", issue_form(version))
    old = Award.objects.get()
    assert not services.is_invalidated(old)
    compromise_signing_key(organisation)
    assert services.is_invalidated(old) and not verify_offline(old).verified
    assert old.status == "active"

    response = client.post("/studio/orgs/uu/awards/issue", issue_form(version))

    assert response.status_code == 302
    new = Award.objects.exclude(pk=old.pk).get()
    assert new.replaces == old and verify_offline(new).verified
    assert not services.is_invalidated(new)


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_reissue_copies_the_award_and_names_the_old_credential(format: str) -> None:
    _, registrar, version = make_issuer()
    old = issue(
        registrar,
        version,
        format=format,
        learner_name="Ada Lovelace",
        result={"grade": "Merit", "score": "87"},
        narrative="Wrote a plan for a cohort study.",
        evidence=[{"id": "https://example.org/plan", "name": "The plan"}],
    )
    services.revoke_award(actor=registrar, award=old, reason=PRIVATE)

    new = services.reissue_award(actor=registrar, award=old)

    assert new.replaces == old and new.version == old.version
    assert (new.learner_email, new.learner_name) == (old.learner_email, old.learner_name)
    assert new.result == old.result and new.format == format
    assert verify_offline(new).verified
    credential = services.get_credential_document(new)
    assert schema_errors(issued_document(new.signed_credential)) == []
    before = services.get_credential_document(old)
    assert credential["credentialSubject"]["result"] == before["credentialSubject"]["result"]
    assert credential["credentialSubject"]["narrative"] == "Wrote a plan for a cohort study."
    evidence = credential["evidence"]
    assert evidence[0] == before["evidence"][0]
    assert evidence[-1]["id"] == services.credential_url(old)
    assert evidence[-1]["genre"] == "Replaced credential"
    event = AuditEvent.objects.filter(action="award.issue").latest("pk")
    assert event.data["replaces"] == str(old.uuid)
    # A retry returns the same award; once replaced, the old one is not issued again.
    assert services.reissue_award(actor=registrar, award=old) == new
    assert Award.objects.filter(replaces=old).count() == 1
    # The replacement, revoked in turn, is issued again with one Evidence of what it replaces.
    services.revoke_award(actor=registrar, award=new, reason=PRIVATE)
    third = services.reissue_award(actor=registrar, award=new)
    replaced = [
        item
        for item in services.get_credential_document(third)["evidence"]
        if item.get("genre") == "Replaced credential"
    ]
    assert [item["id"] for item in replaced] == [services.credential_url(new)]


def test_a_valid_award_is_not_issued_again_nor_by_someone_else() -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    with pytest.raises(Conflict) as raised:
        services.reissue_award(actor=registrar, award=award)
    assert raised.value.code == "award.not_reissuable"
    services.suspend_award(actor=registrar, award=award, reason=PRIVATE)
    with pytest.raises(Conflict):
        services.reissue_award(actor=registrar, award=award)
    award = services.revoke_award(actor=registrar, award=award, reason=PRIVATE)
    assessor = add_member(award.organisation, make_user(password=None), Role.ASSESSOR)
    with pytest.raises(Forbidden):
        services.reissue_award(actor=assessor, award=award)
    assert not services.can_reissue(assessor, award)
    assert services.can_reissue(registrar, award)


def test_the_detail_pages_offer_reissue_and_link_old_and_new(client) -> None:
    _, registrar, version = make_issuer(slug="uu")
    old = issue(registrar, version, learner_name="Ada Lovelace")
    client.force_login(registrar)
    assert "Re-issue this credential" not in client.get(f"/studio/orgs/uu/awards/{old.uuid}")
    services.revoke_award(actor=registrar, award=old, reason=PRIVATE)
    page = client.get(f"/studio/orgs/uu/awards/{old.uuid}").content.decode()
    assert "Re-issue this credential" in page
    assert PRIVATE in page and "Revoked by the issuer." in page

    response = client.post(f"/studio/orgs/uu/awards/{old.uuid}/reissue")

    new = Award.objects.get(replaces=old)
    assert response["Location"] == f"/studio/orgs/uu/awards/{new.uuid}"
    new_page = client.get(response["Location"]).content.decode()
    assert f'href="/studio/orgs/uu/awards/{old.uuid}"' in new_page and "Replaces" in new_page
    old_page = client.get(f"/studio/orgs/uu/awards/{old.uuid}").content.decode()
    assert f'href="/studio/orgs/uu/awards/{new.uuid}"' in old_page and "Replaced by" in old_page
    assert "Re-issue this credential" not in old_page
    refused = client.post(f"/studio/orgs/uu/awards/{new.uuid}/reissue", follow=True)
    assert "only a revoked award" in refused.content.decode()
    assert Award.objects.count() == 2


# -- private and public reasons ----------------------------------------------------------------


def test_the_private_reason_never_reaches_the_public(client) -> None:
    _, registrar, version = make_issuer(slug="uu")
    award = issue(registrar, version, learner_name="Ada Lovelace")
    client.force_login(registrar)
    client.post(
        f"/studio/orgs/uu/awards/{award.uuid}/suspend",
        {"reason": PRIVATE, "public_reason": "Suspended while an appeal is heard."},
    )
    award.refresh_from_db()
    assert award.status_reason == PRIVATE
    assert award.public_reason == "Suspended while an appeal is heard."
    client.logout()
    page = client.get(f"/credentials/{award.uuid}").content.decode()
    assert "Suspended while an appeal is heard." in page
    for path in ("", ".json", ".pdf"):
        response = client.get(f"/credentials/{award.uuid}{path}")
        assert response.status_code == 200
        assert b"investigation" not in response.content


def test_a_reason_too_long_is_refused_naming_the_field() -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    with pytest.raises(InvalidInput) as raised:
        services.revoke_award(actor=registrar, award=award, reason="x", public_reason="y" * 2001)
    assert raised.value.field == "public_reason"
    award.refresh_from_db()
    assert award.status == "active"


# -- the learner's emails --------------------------------------------------------------------


def test_the_learner_is_emailed_each_status_change_once(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner_email="ada@example.org")
    url = services.credential_url(award)
    changes = [
        (services.suspend_award, "Appeal under review.", "suspended"),
        (services.unsuspend_award, "", "valid again"),
        (services.revoke_award, "Work copied from a classmate.", "revoked"),
    ]
    for change, public_reason, word in changes:
        with django_capture_on_commit_callbacks(execute=True):
            change(actor=registrar, award=award, reason=PRIVATE, public_reason=public_reason)
        [message] = mailoutbox
        mailoutbox.clear()
        assert message.to == ["ada@example.org"]
        assert word in message.subject and version.title in message.subject
        assert url in message.body
        assert (public_reason or "The issuer lifted the suspension.") in message.body
        assert "investigation" not in message.body


def test_no_email_when_the_change_is_refused_or_the_learner_has_no_address(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner_email=None, learner_did="did:example:ada")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_award(actor=registrar, award=award, reason=PRIVATE)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        services.revoke_award(actor=registrar, award=award, reason=PRIVATE)
    assert mailoutbox == []


def test_an_api_change_takes_both_reasons(client) -> None:
    _, registrar, version = make_issuer(slug="uu")
    award = issue(registrar, version)
    api = Api(client, registrar)
    body = {"reason": PRIVATE, "public_reason": "Under review."}
    response = api.post(f"/awards/{award.uuid}/suspend", body).json()
    assert (response["status_reason"], response["public_reason"]) == (PRIVATE, "Under review.")
    listed = api.get("/orgs/uu/awards").json()
    assert listed[0]["public_reason"] == "Under review."
