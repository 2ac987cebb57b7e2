"""Revocation and suspension: the signed status lists change at once, and verifiers see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.audit.models import AuditEvent
from microcred.awards import services
from microcred.awards.models import StatusList
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations.models import Role
from microcred.vc import statuslist
from tests.platform.awards.factories import issue, issue_with_two_status_entries, make_issuer
from tests.platform.awards.verifying import verify_offline, verify_with_cli
from tests.platform.factories import add_member, make_user


def failed_checks(award) -> set[str]:
    return {check.id for check in verify_offline(award).failures}


def list_bits(award, purpose: str) -> set[int]:
    """Return the indexes set in the award's published ``purpose`` list credential."""
    [entry] = [e for e in services.get_status_entries(award) if e["purpose"] == purpose]
    slug = entry["url"].rsplit("/", 1)[1]
    document = json.loads(services.get_status_list_credential(award.organisation.slug, slug))
    encoded = document["credentialSubject"]["encodedList"]
    return set(statuslist.StatusList.decode(encoded, purpose=purpose).set_indexes())


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_a_revoked_credential_stops_verifying(format: str, tmp_path: Path) -> None:
    _, registrar, version = make_issuer()
    keep = issue(registrar, version, format=format)
    award = issue(registrar, version, format=format)
    revoked = services.revoke_award(actor=registrar, award=award, reason="Plagiarism found.")

    assert revoked.status == "revoked"
    assert revoked.status_reason == "Plagiarism found."
    assert revoked.status_changed_at is not None
    # Its one status entry is in the suspension list: set, for good (see the ADR).
    assert failed_checks(award) == {"status.suspension"}
    exit_code, [report] = verify_with_cli(award, tmp_path / "revoked")
    assert exit_code == 1 and not report["verified"]
    assert list_bits(award, "suspension") == {1}
    assert verify_offline(keep).verified
    exit_code, _ = verify_with_cli(keep, tmp_path / "kept")
    assert exit_code == 0


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_a_suspended_credential_fails_until_it_is_unsuspended(format: str, tmp_path: Path) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, format=format)
    services.suspend_award(actor=registrar, award=award, reason="Appeal under review.")
    award.refresh_from_db()
    assert award.status == "suspended" and award.status_reason == "Appeal under review."
    assert failed_checks(award) == {"status.suspension"}
    assert verify_with_cli(award, tmp_path / "suspended")[0] == 1

    services.unsuspend_award(actor=registrar, award=award, reason="Appeal upheld.")
    award.refresh_from_db()
    assert award.status == "active" and award.status_reason == ""
    assert verify_offline(award).verified
    assert verify_with_cli(award, tmp_path / "unsuspended")[0] == 0
    assert list_bits(award, "suspension") == set()


def test_a_credential_has_one_status_entry_in_the_suspension_list() -> None:
    """Open Badges 3.0 allows one credentialStatus; independent verifiers refuse a credential
    whose suspension bit is set, whether it is suspended or revoked."""
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    entry = services.get_credential_document(award)["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "suspension"
    assert [e["purpose"] for e in services.get_status_entries(award)] == ["suspension"]


def test_revoking_a_suspended_credential_keeps_its_bit_set_for_good() -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    services.suspend_award(actor=registrar, award=award, reason="Investigating.")
    services.revoke_award(actor=registrar, award=award, reason="Confirmed: cheating.")
    assert list_bits(award, "suspension") == {0}
    assert failed_checks(award) == {"status.suspension"}
    with pytest.raises(Conflict):
        services.unsuspend_award(actor=registrar, award=award, reason="Try to lift it.")
    assert list_bits(award, "suspension") == {0}


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_credentials_issued_with_two_status_entries_still_verify_and_change_status(
    format: str, tmp_path: Path
) -> None:
    """Awards issued before one entry per credential keep their revocation entry: each list
    still says one thing, as it did."""
    _, registrar, version = make_issuer()
    award = issue_with_two_status_entries(registrar, version, format=format)
    assert [
        e["statusPurpose"] for e in services.get_credential_document(award)["credentialStatus"]
    ] == [
        "revocation",
        "suspension",
    ]
    assert verify_offline(award).verified
    assert verify_with_cli(award, tmp_path / "active")[0] == 0

    services.suspend_award(actor=registrar, award=award, reason="Investigating.")
    assert failed_checks(award) == {"status.suspension"}
    services.unsuspend_award(actor=registrar, award=award, reason="Cleared.")
    assert verify_offline(award).verified

    services.suspend_award(actor=registrar, award=award, reason="Investigating again.")
    services.revoke_award(actor=registrar, award=award, reason="Confirmed: cheating.")
    assert list_bits(award, "revocation") == {0}
    assert list_bits(award, "suspension") == set()
    assert failed_checks(award) == {"status.revocation"}
    assert verify_with_cli(award, tmp_path / "revoked")[0] == 1


def test_each_change_is_audited_with_its_reason() -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    services.suspend_award(actor=registrar, award=award, reason="one")
    services.unsuspend_award(actor=registrar, award=award, reason="two")
    services.revoke_award(actor=registrar, award=award, reason="three")
    events = AuditEvent.objects.filter(target_id=str(award.uuid)).order_by("sequence")
    assert [(event.action, event.data.get("reason")) for event in events] == [
        ("award.issue", None),
        ("award.suspend", "one"),
        ("award.unsuspend", "two"),
        ("award.revoke", "three"),
    ]


def test_the_status_list_credential_is_re_signed_and_verifies() -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version)
    before = services.get_status_list_credential(organisation.slug, "suspension-1")
    services.revoke_award(actor=registrar, award=award, reason="Withdrawn by the board.")
    after = services.get_status_list_credential(organisation.slug, "suspension-1")
    assert after != before
    document = json.loads(after)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == "did:web:microcred.test:orgs:" + organisation.slug
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    from microcred.organisations import services as organisations
    from microcred.vc import LocalFetcher, verify

    fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
    [report] = verify(after, fetcher=fetcher)
    assert report.verified, [check.as_dict() for check in report.failures]


@pytest.mark.parametrize(
    ("steps", "change", "code"),
    [
        (["revoke"], "revoke", "award.already_revoked"),
        (["revoke"], "suspend", "award.revoked"),
        (["revoke"], "unsuspend", "award.revoked"),
        (["suspend"], "suspend", "award.already_suspended"),
        ([], "unsuspend", "award.not_suspended"),
        (["suspend", "unsuspend"], "unsuspend", "award.not_suspended"),
    ],
)
def test_changes_that_do_not_fit_the_status_are_conflicts(
    steps: list[str], change: str, code: str
) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    for step in steps:
        getattr(services, f"{step}_award")(actor=registrar, award=award, reason=step)
    award.refresh_from_db()
    lists_before = list(StatusList.objects.values_list("signed_credential", flat=True))
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as raised:
        getattr(services, f"{change}_award")(actor=registrar, award=award, reason="again")
    assert raised.value.code == code
    assert list(StatusList.objects.values_list("signed_credential", flat=True)) == lists_before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(reason) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    lists_before = list(StatusList.objects.values_list("signed_credential", flat=True))
    for change in (services.revoke_award, services.suspend_award):
        with pytest.raises(InvalidInput) as raised:
            change(actor=registrar, award=award, reason=reason)
        assert raised.value.field == "reason"
    award.refresh_from_db()
    assert award.status == "active"
    assert list(StatusList.objects.values_list("signed_credential", flat=True)) == lists_before


def test_only_registrars_and_owners_change_the_status() -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version)
    assessor = add_member(organisation, make_user(), Role.ASSESSOR)
    with pytest.raises(Forbidden):
        services.revoke_award(actor=assessor, award=award, reason="no")
    with pytest.raises(NotFound):
        services.suspend_award(actor=make_issuer()[1], award=award, reason="no")
    award.refresh_from_db()
    assert award.status == "active"
    assert verify_offline(award).verified


def test_after_a_key_compromise_the_status_lists_are_signed_again() -> None:
    """Lists signed with the compromised key would fail every credential's status check."""
    from microcred.awards import services
    from microcred.organisations import services as organisations
    from tests.platform.awards.factories import issue, make_issuer

    organisation, registrar, version = make_issuer()
    old = issue(registrar, version, learner_email="old@example.org")
    owner = organisations.get_members(organisation)[0].user
    key_id = organisations.get_active_key(organisation).key_id
    organisations.mark_key_compromised(
        actor=owner, organisation=organisation, key_id=key_id, reason="Laptop stolen"
    )
    new = issue(registrar, version, learner_email="new@example.org")
    assert services.verify_award(new).verified
    old_report = services.verify_award(old)
    assert not old_report.verified
    assert {check.id for check in old_report.failures} == {"proof.signature"}


def test_a_list_another_transaction_committed_meanwhile_is_taken_not_numbered_past(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two first awards at once: one reads no list while the other commits one. The reader
    must ask for that same list (and take it) rather than count it and open a second one."""
    from django.utils import timezone

    from microcred.awards import status

    organisation, _, _ = make_issuer()
    now = timezone.now()
    committed = status.current_list(organisation, status.ISSUING_PURPOSE, now=now)
    real = status.locked_lists
    reads = []

    def not_seen_yet(organisation):  # the first read's snapshot predates the other's commit
        reads.append(organisation)
        return real(organisation).none() if len(reads) == 1 else real(organisation)

    monkeypatch.setattr(status, "locked_lists", not_seen_yet)
    taken = status.current_list(organisation, status.ISSUING_PURPOSE, now=now)
    assert taken.pk == committed.pk
    assert StatusList.objects.filter(organisation=organisation).count() == 1
