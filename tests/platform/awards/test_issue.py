"""Issuing: signed OB 3.0 credentials that verify anywhere, idempotently, atomically, authorised."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from microcred.audit.models import AuditEvent
from microcred.audit.services import check_chain
from microcred.awards import services
from microcred.awards.models import Award, StatusEntry, StatusList
from microcred.errors import Conflict, Forbidden, InvalidInput, MicrocredError, NotFound
from microcred.organisations import services as organisations
from microcred.organisations.models import Role
from microcred.vc.jwt import decode_jwt
from tests.ob3_schema import issued_document, schema_errors
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.awards.verifying import verify_offline, verify_with_cli
from tests.platform.factories import add_member, make_user


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_an_issued_credential_verifies_with_the_engine_and_the_command_line(
    format: str, tmp_path: Path
) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, format=format, learner_name="Ada Lovelace")

    assert services.verify_award(award).verified
    report = verify_offline(award)
    assert report.verified, [check.as_dict() for check in report.failures]
    assert {check.id for check in report.checks} >= {
        "proof.signature",
        "issuer.key",
        "status.suspension",
    }
    exit_code, [cli_report] = verify_with_cli(award, tmp_path)
    assert exit_code == 0 and cli_report["verified"], cli_report


def test_without_the_issuers_documents_the_command_line_does_not_verify(tmp_path: Path) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    credential = tmp_path / "credential.json"
    credential.write_text(award.signed_credential)
    from typer.testing import CliRunner

    from microcred.cli import app

    result = CliRunner().invoke(app, ["verify", str(credential), "--offline", "--json"])
    assert result.exit_code == 1


def test_the_credential_is_open_badges_3_with_the_issuer_profile_and_a_hashed_email() -> None:
    _, registrar, version = make_issuer(name="University of Utrecht", slug="uu")
    award = issue(registrar, version, learner_email=" Ada@Example.ORG ", learner_name="Ada")
    credential = json.loads(award.signed_credential)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"https://microcred.test/credentials/{award.uuid}"
    assert credential["issuer"]["id"] == "did:web:microcred.test:orgs:uu"
    assert credential["issuer"]["name"] == "University of Utrecht"
    assert credential["name"] == version.title
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"] == "did:web:microcred.test:orgs:uu#key-1"
    subject = credential["credentialSubject"]
    assert "id" not in subject
    email, name = subject["identifier"]
    assert award.learner_email == "ada@example.org"
    salt = award.identity_salt
    assert email == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": "sha256$" + hashlib.sha256(f"ada@example.org{salt}".encode()).hexdigest(),
        "salt": salt,
    }
    assert name["identityType"] == "name" and name["identityHash"] == "Ada"
    assert "ada@example.org" not in award.signed_credential
    achievement = subject["achievement"]
    assert achievement["id"] == f"https://microcred.test/achievements/{version.achievement_uuid}"
    assert achievement["name"] == version.title
    assert credential["credentialStatus"] == {
        "id": "https://microcred.test/status/uu/suspension-1#0",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "0",
        "statusListCredential": "https://microcred.test/status/uu/suspension-1",
    }


@pytest.mark.parametrize("format", ["ldp", "jwt"])
@pytest.mark.parametrize(
    ("achievement_type", "term"),
    [("MicroCredential", "MicroCredential"), ("Module", "ext:Module")],
)
def test_the_credential_passes_the_open_badges_3_json_schema(
    format: str, achievement_type: str, term: str
) -> None:
    """One status entry, and an achievement type outside OB 3.0's vocabulary marked ext:."""
    organisation, registrar, _ = make_issuer()
    version = make_version(organisation, achievement_type=achievement_type)
    award = issue(
        registrar,
        version,
        format=format,
        result={"grade": "B"},
        evidence=["https://example.org/portfolio"],
    )
    document = issued_document(award.signed_credential)
    assert schema_errors(document) == []
    assert document["credentialSubject"]["achievement"]["achievementType"] == term
    assert isinstance(document["credentialStatus"], dict)


def test_a_learner_with_a_did_is_the_subject() -> None:
    _, registrar, version = make_issuer()
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    award = services.issue_award(actor=registrar, version=version, learner_did=did)
    subject = json.loads(award.signed_credential)["credentialSubject"]
    assert subject["id"] == did
    assert "identifier" not in subject
    assert award.identity_salt == ""


def test_results_narrative_and_evidence_are_in_the_credential() -> None:
    _, registrar, version = make_issuer()
    award = issue(
        registrar,
        version,
        result={"grade": "B+", "score": 87},
        narrative="Planned the data of a clinical study.",
        evidence=["https://portfolio.example.org/ada", {"narrative": "Oral exam, passed."}],
    )
    credential = json.loads(award.signed_credential)
    subject = credential["credentialSubject"]
    assert [result["value"] for result in subject["result"]] == ["B+", "87"]
    assert subject["narrative"] == "Planned the data of a clinical study."
    # The learner's evidence, then the version's QA report (tests/platform/quality).
    assert credential["evidence"][:2] == [
        {"type": ["Evidence"], "id": "https://portfolio.example.org/ada"},
        {"type": ["Evidence"], "narrative": "Oral exam, passed."},
    ]
    assert award.result == {"grade": "B+", "score": "87"}
    assert services.verify_award(award).verified


def test_a_vc_jwt_award_stores_the_compact_jws() -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version, format="jwt")
    header, payload, credential = decode_jwt(award.signed_credential)
    assert header["alg"] == "EdDSA"
    assert header["kid"] == f"https://microcred.test/orgs/{organisation.slug}/keys/key-1.jwk"
    assert payload["jti"] == credential["id"] == services.credential_url(award)
    assert payload["iss"] == credential["issuer"]["id"]
    assert payload["nbf"] == int(datetime.fromisoformat(credential["validFrom"]).timestamp())
    assert services.get_credential_document(award) == credential


def test_a_vc_jwt_kid_dereferences_to_the_jwk_of_the_signing_key(client) -> None:
    """OB 3.0 section 8.2.3: kid is a URI that dereferences to the JWK of the key."""
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version, format="jwt")
    header, _, _ = decode_jwt(award.signed_credential)
    response = client.get(header["kid"].removeprefix("https://microcred.test"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk+json"
    jwk = response.json()
    key, _ = organisations.get_signer(organisation)
    assert {name: jwk[name] for name in ("kty", "crv", "x")} == key.public.jwk
    assert jwk["kid"] == header["kid"] and "d" not in jwk


def test_a_compromised_keys_jwk_is_no_longer_served(client) -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version, format="jwt")
    owner = organisation.memberships.get(role=Role.OWNER).user
    organisations.mark_key_compromised(
        actor=owner, organisation=organisation, key_id="key-1", reason="Leaked in a test."
    )
    kid = decode_jwt(award.signed_credential)[0]["kid"]
    assert client.get(kid.removeprefix("https://microcred.test")).status_code == 404
    assert not services.verify_award(award).verified


def test_validity_months_set_valid_until_to_the_same_day_or_the_months_last() -> None:
    _, registrar, version = make_issuer()
    version.validity_months = 13
    version.save()
    now = datetime(2027, 1, 31, 9, 30, tzinfo=UTC)
    award = issue(registrar, version, now=now)
    credential = json.loads(award.signed_credential)
    assert credential["validFrom"] == "2027-01-31T09:30:00Z"
    assert credential["validUntil"] == "2028-02-29T09:30:00Z"
    assert award.valid_until == datetime(2028, 2, 29, 9, 30, tzinfo=UTC)
    assert services.verify_award(award, now=now).verified
    assert not services.verify_award(award, now=datetime(2028, 3, 1, tzinfo=UTC)).verified


def test_issuing_is_audited_and_the_learner_is_emailed_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    organisation, registrar, version = make_issuer()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        award = issue(registrar, version, learner_email="grace@example.org")
    assert len(callbacks) == 1
    [message] = mailoutbox
    assert message.to == ["grace@example.org"]
    assert version.title in message.subject
    assert services.credential_url(award) in message.body
    event = AuditEvent.objects.get(action="award.issue")
    assert event.target_id == str(award.uuid)
    assert event.organisation == organisation
    assert event.data["statusListIndexes"] == {"suspension": "0"}
    assert check_chain().intact


def test_a_learner_known_only_by_did_gets_no_email(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _, registrar, version = make_issuer()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_award(actor=registrar, version=version, learner_did="did:web:example.org")
    assert mailoutbox == []


# -- idempotency -----------------------------------------------------------------------------


def test_issuing_twice_returns_the_same_award_and_issues_nothing(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _, registrar, version = make_issuer()
    with django_capture_on_commit_callbacks(execute=True):
        first = issue(registrar, version, learner_email="ada@example.org", result={"grade": "A"})
        again = issue(registrar, version, learner_email="ADA@example.org", result={"grade": "A"})
    assert again.pk == first.pk
    assert again.signed_credential == first.signed_credential
    assert Award.objects.count() == 1
    assert StatusEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="award.issue").count() == 1
    assert len(mailoutbox) == 1


def test_the_same_learner_and_version_with_other_data_is_a_conflict() -> None:
    _, registrar, version = make_issuer()
    first = issue(registrar, version, learner_email="ada@example.org", result={"grade": "A"})
    with pytest.raises(Conflict) as raised:
        issue(registrar, version, learner_email="ada@example.org", result={"grade": "B"})
    assert raised.value.code == "award.idempotency_conflict"
    assert raised.value.data == {"award": str(first.uuid)}
    assert Award.objects.count() == 1


def test_an_idempotency_key_given_by_the_caller() -> None:
    _, registrar, version = make_issuer()
    first = issue(registrar, version, learner_email="ada@example.org", idempotency_key="run-7")
    again = issue(registrar, version, learner_email="ada@example.org", idempotency_key="run-7")
    assert again.pk == first.pk
    with pytest.raises(Conflict) as raised:
        issue(registrar, version, learner_email="bob@example.org", idempotency_key="run-7")
    assert raised.value.field == "idempotency_key"
    second_attempt = issue(
        registrar, version, learner_email="ada@example.org", idempotency_key="run-8"
    )
    assert second_attempt.pk != first.pk
    assert Award.objects.count() == 2


def test_a_retry_returns_the_award_even_after_the_version_is_withdrawn() -> None:
    _, registrar, version = make_issuer()
    first = issue(registrar, version, learner_email="ada@example.org")
    version.status = "withdrawn"
    version.save()
    assert issue(registrar, version, learner_email="ada@example.org").pk == first.pk


def test_a_concurrent_issue_with_the_same_key_is_found_under_the_lock(monkeypatch) -> None:
    """Another process issues with the same key while this call waits for the status lists."""
    from microcred.awards import status

    _, registrar, version = make_issuer()
    issue(registrar, make_version(version.microcredential.organisation))  # the lists exist
    original = status.current_list
    concurrent: list[Award] = []

    def current_list_after_a_concurrent_issue(organisation, purpose, *, now):
        if not concurrent:
            with monkeypatch.context() as patch:
                patch.setattr(status, "current_list", original)
                concurrent.append(issue(registrar, version, learner_email="ada@example.org"))
        return original(organisation, purpose, now=now)

    monkeypatch.setattr(status, "current_list", current_list_after_a_concurrent_issue)
    award = issue(registrar, version, learner_email="ada@example.org")
    assert award.pk == concurrent[0].pk
    assert Award.objects.filter(version=version).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_issuing_with_the_same_key_make_one_award(settings) -> None:
    """A real race, on PostgreSQL: the row lock on the status lists serialises the two."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database has no row locks to race on")
    _, registrar, version = make_issuer()
    issue(registrar, make_version(version.microcredential.organisation))
    barrier = threading.Barrier(2)
    awards: list[Award] = []

    def issue_in_a_thread() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            awards.append(issue(registrar, version, learner_email="ada@example.org"))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(awards) == 2
    assert awards[0].pk == awards[1].pk
    assert Award.objects.filter(version=version).count() == 1


# -- status list indexes ---------------------------------------------------------------------


def test_indexes_are_handed_out_in_order_and_never_twice() -> None:
    organisation, registrar, version = make_issuer()
    awards = [issue(registrar, version, format=("ldp", "jwt")[n % 2]) for n in range(5)]
    indexes = sorted(StatusEntry.objects.values_list("index", flat=True))
    assert indexes == [0, 1, 2, 3, 4]
    assert list(
        StatusList.objects.filter(organisation=organisation).values_list("slug", "next_index")
    ) == [("suspension-1", 5)]
    assert all(services.verify_award(award).verified for award in awards)


def test_each_organisation_has_its_own_lists() -> None:
    _, registrar_a, version_a = make_issuer()
    _, registrar_b, version_b = make_issuer()
    a, b = issue(registrar_a, version_a), issue(registrar_b, version_b)
    list_a = {entry["url"] for entry in services.get_status_entries(a)}
    list_b = {entry["url"] for entry in services.get_status_entries(b)}
    assert not list_a & list_b
    assert StatusEntry.objects.filter(index=0).count() == 2


def test_a_full_list_is_followed_by_the_next_one() -> None:
    organisation, registrar, version = make_issuer()
    issue(registrar, version)
    StatusList.objects.filter(organisation=organisation, purpose="suspension").update(
        next_index=131_071
    )
    last = issue(registrar, version)
    after = issue(registrar, version)
    assert [
        (e["url"].rsplit("/", 1)[1], e["index"]) for e in services.get_status_entries(last)
    ] == [("suspension-1", 131_071)]
    assert [
        (e["url"].rsplit("/", 1)[1], e["index"]) for e in services.get_status_entries(after)
    ] == [("suspension-2", 0)]
    assert services.verify_award(after).verified


# -- bad input, failures and authorization ---------------------------------------------------


RESULT = "https://microcred.test/achievements/x#criterion-1"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"learner_email": None}, "learner_email"),
        ({"learner_email": "   "}, "learner_email"),
        ({"learner_email": "not an email"}, "learner_email"),
        ({"learner_email": None, "learner_did": "did:bad"}, "learner_did"),
        ({"learner_email": None, "learner_did": "https://example.org/me"}, "learner_did"),
        ({"format": "pdf"}, "format"),
        ({"result": {"grade": "A", "colour": "blue"}}, "result.colour"),
        ({"result": ["A"]}, "result"),
        ({"result": {"grade": "A" * 101}}, "result.grade"),
        ({"evidence": ["ftp://example.org/x"]}, "evidence[0].id"),
        ({"evidence": [{"name": "no URL, no narrative"}]}, "evidence[0]"),
        ({"evidence": [{"id": "https://example.org", "secret": 1}]}, "evidence[0].secret"),
        ({"evidence": "https://example.org"}, "evidence"),
        ({"evidence": [{"id": "https://example.org", "type": "Badge"}]}, "evidence[0].type"),
        (
            {"results": [{"resultDescription": "https://x.org/#c", "colour": 1}]},
            "results[0].colour",
        ),
        (
            {"results": [{"resultDescription": "https://x.org/#c", "status": "Passed"}]},
            "results[0].status",
        ),
        ({"results": [{"resultDescription": "https://x.org/#c", "value": 3}]}, "results[0].value"),
        ({"idempotency_key": "k" * 201}, "idempotency_key"),
        ({"learner_name": 42}, "learner_name"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(arguments: dict, field: str) -> None:
    _, registrar, version = make_issuer()
    events = AuditEvent.objects.count()
    arguments.setdefault("learner_email", "ada@example.org")
    with pytest.raises(InvalidInput) as raised:
        services.issue_award(actor=registrar, version=version, **arguments)
    assert raised.value.field == field
    assert Award.objects.count() == 0
    assert StatusList.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_only_published_versions_are_issued(status: str) -> None:
    organisation, registrar, _ = make_issuer()
    version = make_version(organisation, status=status)
    with pytest.raises(InvalidInput) as raised:
        issue(registrar, version)
    assert raised.value.code == "award.version_not_published"
    assert raised.value.field == "version"
    assert Award.objects.count() == 0


def test_an_unknown_version_is_bad_input() -> None:
    organisation, _, _ = make_issuer()
    _, _, elsewhere = make_issuer()
    for reference in (
        "9b2e8f4c-0000-4000-8000-000000000000",
        "not-a-uuid",
        elsewhere.achievement_uuid,
    ):
        with pytest.raises(InvalidInput) as raised:
            services.find_version(organisation_slug=organisation.slug, reference=reference)
        assert raised.value.field == "version"


def test_a_credential_that_does_not_verify_after_signing_is_not_stored(monkeypatch) -> None:
    organisation, registrar, version = make_issuer()
    issue(registrar, version)
    before = list(StatusList.objects.values_list("slug", "signed_credential"))
    events = AuditEvent.objects.count()
    without_keys = {**organisations.get_did_document(organisation), "verificationMethod": []}
    monkeypatch.setattr(organisations, "get_did_document", lambda organisation: without_keys)
    with pytest.raises(MicrocredError) as raised:
        issue(registrar, version)
    assert raised.value.code == "award.verification_failed"
    assert "proof.signature" in {failure["id"] for failure in raised.value.data["failures"]}
    assert Award.objects.count() == 1
    assert StatusEntry.objects.count() == 1
    # The index reserved for it stays a gap (its bit stays 0); the list is not signed again.
    assert list(StatusList.objects.values_list("slug", "signed_credential")) == before
    assert StatusList.objects.get().next_index == 2
    assert AuditEvent.objects.count() == events


def test_a_credential_that_breaks_open_badges_3_is_not_signed(monkeypatch) -> None:
    from microcred.catalogue import services as catalogue

    _, registrar, version = make_issuer()
    achievement = catalogue.get_achievement(version)
    del achievement["criteria"]
    monkeypatch.setattr(catalogue, "get_achievement", lambda version: achievement)
    with pytest.raises(InvalidInput) as raised:
        issue(registrar, version)
    assert raised.value.code == "award.invalid_credential"
    assert raised.value.field == "$.credentialSubject.achievement.criteria"
    assert Award.objects.count() == 0
    assert StatusEntry.objects.count() == 0


def test_only_registrars_owners_and_platform_admins_issue() -> None:
    organisation, _, version = make_issuer()
    owner = organisations.get_members(organisation)[0].user
    admin = make_user(is_staff=True)
    assert issue(owner, version).pk
    assert issue(admin, version).pk
    designer = add_member(organisation, make_user(), Role.DESIGNER)
    with pytest.raises(Forbidden):
        issue(designer, version)
    registrar_elsewhere = make_issuer()[1]
    with pytest.raises(NotFound):
        issue(registrar_elsewhere, version)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        issue(AnonymousUser(), version)
    assert Award.objects.count() == 2
