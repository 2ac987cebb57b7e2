"""Issuing in batches (issue_awards): every credential verifies, indexes are never shared, keys
are idempotent, a failure stores nothing, and the audit chain stays intact."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection

from microcred.audit.models import AuditEvent
from microcred.audit.services import check_chain
from microcred.awards import services
from microcred.awards.models import Award, StatusEntry, StatusList
from microcred.errors import Conflict, Forbidden, InvalidInput, MicrocredError
from microcred.organisations import services as organisations
from microcred.organisations.models import Role
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.awards.verifying import verify_offline
from tests.platform.factories import add_member, make_user


def requests_for(version: Any, count: int, *, prefix: str = "row", **fields: Any) -> list[Any]:
    return [
        services.check_award_request(
            version=version,
            learner_email=f"{prefix}{number}@example.org",
            learner_name=f"Learner {prefix} {number}",
            idempotency_key=f"{prefix}:{number}",
            **fields,
        )
        for number in range(count)
    ]


def stored() -> tuple[int, int, int]:
    return Award.objects.count(), StatusEntry.objects.count(), AuditEvent.objects.count()


def test_every_award_of_a_batch_verifies_with_its_own_index_and_event() -> None:
    _, registrar, version = make_issuer()
    requests = [
        services.check_award_request(
            version=version,
            learner_email=f"learner{number}@example.org",
            learner_did="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
            if number == 3
            else None,
            learner_name=f"Learner {number}",
            result={"grade": "B"} if number % 2 else None,
            evidence=["https://example.org/portfolio"] if number == 4 else None,
            narrative="Presented a data management plan." if number == 5 else None,
            format="jwt" if number in (2, 7) else "ldp",
        )
        for number in range(10)
    ]

    awards = services.issue_awards(actor=registrar, version=version, requests=requests)

    assert [award.learner_email for award in awards] == [r.learner.email for r in requests]
    assert [award.format for award in awards] == [r.format for r in requests]
    for award in awards:
        report = services.verify_award(award)
        assert report.verified, [check.as_dict() for check in report.failures]
    assert verify_offline(awards[0]).verified and verify_offline(awards[2]).verified
    entries = StatusEntry.objects.filter(award__in=awards)
    assert sorted(entries.values_list("index", flat=True)) == list(range(10))
    assert [services.get_status_entries(award)[0]["index"] for award in awards] == list(range(10))
    for award in awards:
        credential = services.get_credential_document(award)
        assert credential["id"] == services.credential_url(award)
        assert credential["credentialStatus"]["statusListIndex"] == str(
            services.get_status_entries(award)[0]["index"]
        )
    events = list(AuditEvent.objects.filter(action="award.issue").order_by("sequence"))
    assert [event.target_id for event in events] == [str(award.uuid) for award in awards]
    assert [event.data["statusListIndexes"] for event in events] == [
        {"suspension": str(number)} for number in range(10)
    ]
    assert {event.actor_id for event in events} == {registrar.pk}
    assert check_chain().intact


def test_the_proof_configuration_is_canonicalized_once_per_batch(monkeypatch) -> None:
    """Signing and verifying a batch canonicalize each credential once, and its proof
    configuration once, instead of four times per credential."""
    from microcred.vc.suites import eddsa_rdfc_2022

    _, registrar, version = make_issuer()
    issue(registrar, version)  # the lists exist: creating one signs it
    calls: list[str] = []
    original = eddsa_rdfc_2022.rdfc.canonicalize

    def counting(document: Any, **arguments: Any) -> str:
        calls.append(document.get("type") if isinstance(document, dict) else "")
        return original(document, **arguments)

    monkeypatch.setattr(eddsa_rdfc_2022.rdfc, "canonicalize", counting)
    services.issue_awards(actor=registrar, version=version, requests=requests_for(version, 8))
    proofs = [kind for kind in calls if kind == "DataIntegrityProof"]
    # 8 credentials, 1 proof configuration, and the status list credential (verified once).
    assert len(proofs) == 2
    assert len(calls) == 8 + 2 + 1


def test_issuing_the_same_batch_again_returns_the_same_awards_and_stores_nothing() -> None:
    _, registrar, version = make_issuer()
    first = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 5)
    )
    before = stored()
    again = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 5)
    )
    assert [award.pk for award in again] == [award.pk for award in first]
    assert stored() == before


def test_a_batch_of_old_and_new_keys_issues_only_the_new_ones() -> None:
    _, registrar, version = make_issuer()
    first = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 3)
    )
    awards = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 6)
    )
    assert [award.pk for award in awards[:3]] == [award.pk for award in first]
    assert len({award.pk for award in awards}) == 6
    assert Award.objects.count() == 6
    assert sorted(StatusEntry.objects.values_list("index", flat=True)) == list(range(6))
    assert all(services.verify_award(award).verified for award in awards[3:])


def test_a_key_repeated_in_one_batch_with_the_same_data_is_one_award() -> None:
    _, registrar, version = make_issuer()
    [ada, grace] = requests_for(version, 2)
    awards = services.issue_awards(actor=registrar, version=version, requests=[ada, grace, ada])
    assert awards[0].pk == awards[2].pk != awards[1].pk
    assert Award.objects.count() == 2


def test_a_key_repeated_in_one_batch_with_other_data_is_a_conflict() -> None:
    _, registrar, version = make_issuer()
    [ada, grace] = requests_for(version, 2)
    other = services.check_award_request(
        version=version, learner_email="someone@example.org", idempotency_key=ada.idempotency_key
    )
    with pytest.raises(Conflict) as raised:
        services.issue_awards(actor=registrar, version=version, requests=[ada, grace, other])
    assert raised.value.field == "requests[2].idempotency_key"
    assert stored() == (0, 0, AuditEvent.objects.count())
    assert Award.objects.count() == 0


def test_a_key_issued_before_for_other_data_is_a_conflict_and_nothing_is_stored() -> None:
    _, registrar, version = make_issuer()
    [first] = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 1)
    )
    before = stored()
    changed = requests_for(version, 3, result={"grade": "A"})
    with pytest.raises(Conflict) as raised:
        services.issue_awards(actor=registrar, version=version, requests=changed)
    assert raised.value.code == "award.idempotency_conflict"
    assert raised.value.field == "requests[0].idempotency_key"
    assert raised.value.data == {"award": str(first.uuid)}
    assert stored() == before


def test_a_request_that_breaks_the_batch_stores_nothing_of_it(monkeypatch) -> None:
    """The credential of the third request cannot be built: no award of the batch is stored."""
    from microcred.awards import credential

    _, registrar, version = make_issuer()
    issue(registrar, version)
    before = stored()
    requests = requests_for(version, 4)
    original = credential.build_credential
    built: list[int] = []

    def breaking(**arguments: Any) -> dict[str, Any]:
        built.append(1)
        if len(built) == 3:
            arguments["achievement"] = {
                key: value for key, value in arguments["achievement"].items() if key != "criteria"
            }
        return original(**arguments)

    monkeypatch.setattr(services, "build_credential", breaking)
    with pytest.raises(InvalidInput) as raised:
        services.issue_awards(actor=registrar, version=version, requests=requests)
    assert raised.value.code == "award.invalid_credential"
    assert raised.value.field == "requests[2].credentialSubject.achievement.criteria"
    assert stored() == before
    assert check_chain().intact


def test_a_batch_whose_credentials_do_not_verify_stores_nothing(monkeypatch) -> None:
    organisation, registrar, version = make_issuer()
    issue(registrar, version)
    before = stored()
    lists = list(StatusList.objects.values_list("slug", "signed_credential"))
    without_keys = {**organisations.get_did_document(organisation), "verificationMethod": []}
    monkeypatch.setattr(organisations, "get_did_document", lambda organisation: without_keys)
    with pytest.raises(MicrocredError) as raised:
        services.issue_awards(actor=registrar, version=version, requests=requests_for(version, 3))
    assert raised.value.code == "award.verification_failed"
    assert str(raised.value).startswith("requests[0]: ")
    assert stored() == before
    assert list(StatusList.objects.values_list("slug", "signed_credential")) == lists


@pytest.mark.parametrize(
    ("requests", "field"),
    [
        ("not a list", "requests"),
        ({"learner_email": "ada@example.org"}, "requests"),
        ([{"learner_email": "ada@example.org"}], "requests[0]"),
        ([None], "requests[0]"),
    ],
)
def test_requests_that_are_not_checked_requests_are_bad_input(requests: Any, field: str) -> None:
    _, registrar, version = make_issuer()
    with pytest.raises(InvalidInput) as raised:
        services.issue_awards(actor=registrar, version=version, requests=requests)
    assert raised.value.field == field
    assert Award.objects.count() == 0


def test_a_request_checked_for_another_version_is_bad_input() -> None:
    organisation, registrar, version = make_issuer()
    other = make_version(organisation)
    requests = [*requests_for(version, 1), *requests_for(other, 1, prefix="other")]
    with pytest.raises(InvalidInput) as raised:
        services.issue_awards(actor=registrar, version=version, requests=requests)
    assert raised.value.code == "award.other_version"
    assert raised.value.field == "requests[1]"
    assert stored() == (0, 0, AuditEvent.objects.count())


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_only_published_versions_are_issued_in_batches(status: str) -> None:
    organisation, registrar, _ = make_issuer()
    version = make_version(organisation, status=status)
    with pytest.raises(InvalidInput) as raised:
        services.issue_awards(actor=registrar, version=version, requests=requests_for(version, 2))
    assert raised.value.code == "award.version_not_published"
    assert Award.objects.count() == 0


def test_only_issuers_issue_batches() -> None:
    organisation, _, version = make_issuer()
    designer = add_member(organisation, make_user(), Role.DESIGNER)
    with pytest.raises(Forbidden):
        services.issue_awards(actor=designer, version=version, requests=requests_for(version, 2))
    assert Award.objects.count() == 0


def test_an_empty_batch_issues_nothing() -> None:
    _, registrar, version = make_issuer()
    assert services.issue_awards(actor=registrar, version=version, requests=[]) == []
    assert StatusList.objects.count() == 0


def test_a_batch_emails_no_learner(mailoutbox, django_capture_on_commit_callbacks) -> None:
    _, registrar, version = make_issuer()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_awards(actor=registrar, version=version, requests=requests_for(version, 3))
    assert mailoutbox == []


def test_a_batch_that_fills_a_list_continues_in_the_next_one() -> None:
    organisation, registrar, version = make_issuer()
    issue(registrar, version)
    StatusList.objects.filter(organisation=organisation).update(next_index=131_070)
    awards = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 4)
    )
    where = [
        (entry["url"].rsplit("/", 1)[1], entry["index"])
        for award in awards
        for entry in services.get_status_entries(award)
    ]
    assert where == [
        ("suspension-1", 131_070),
        ("suspension-1", 131_071),
        ("suspension-2", 0),
        ("suspension-2", 1),
    ]
    assert all(services.verify_award(award).verified for award in awards)
    assert json.loads(StatusList.objects.get(slug="suspension-2").signed_credential)["proof"]


# -- concurrency, on PostgreSQL -------------------------------------------------------------


def _in_threads(count: int, work: Any) -> list[Any]:
    """Run ``work(number)`` in ``count`` threads started together; return results in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(number: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[number] = work(number)
        except BaseException as error:  # handed to the test below, not swallowed
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_never_share_an_index() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database has no row locks to race on")
    _, registrar, version = make_issuer()
    batches = _in_threads(
        2,
        lambda number: [
            services.issue_awards(
                actor=registrar,
                version=version,
                requests=requests_for(version, 15, prefix=f"t{number}b{batch}"),
            )
            for batch in range(3)
        ],
    )
    awards = [award for batch in batches for awards in batch for award in awards]
    assert len(awards) == Award.objects.count() == 90
    indexes = list(StatusEntry.objects.values_list("index", flat=True))
    assert sorted(indexes) == list(range(90))
    assert check_chain().intact
    assert all(services.verify_award(award).verified for award in awards[::9])


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_with_the_same_keys_issue_each_key_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database has no row locks to race on")
    _, registrar, version = make_issuer()
    issue(registrar, make_version(version.microcredential.organisation))  # the lists exist
    results = _in_threads(
        2,
        lambda number: services.issue_awards(
            actor=registrar, version=version, requests=requests_for(version, 20)
        ),
    )
    assert [award.pk for award in results[0]] == [award.pk for award in results[1]]
    assert Award.objects.filter(version=version).count() == 20
    assert StatusEntry.objects.filter(award__version=version).count() == 20
    assert AuditEvent.objects.filter(action="award.issue").count() == 21
    assert check_chain().intact


def test_a_signed_credential_is_stored_as_indented_json_whatever_its_text_holds() -> None:
    """The stored text is what json.dumps(indent=2, ensure_ascii=False) writes, for names and
    narratives with quotes, backslashes, tabs, line separators and letters beyond ASCII."""
    _, registrar, version = make_issuer()
    texts = ['Zoë "Z" O\'Brien', "back\\slash\tand tab", "line\u2028separator 😀", "ĳ ∑ ✓"]
    requests = [
        services.check_award_request(
            version=version,
            learner_email=f"text{number}@example.org",
            learner_name=text,
            narrative=f"Narrative: {text}",
        )
        for number, text in enumerate(texts)
    ]
    awards = services.issue_awards(actor=registrar, version=version, requests=requests)
    for award, text in zip(awards, texts, strict=True):
        stored_text = Award.objects.get(pk=award.pk).signed_credential
        document = json.loads(stored_text)
        assert stored_text == json.dumps(document, indent=2, ensure_ascii=False)
        assert json.dumps(f"Narrative: {text}", ensure_ascii=False) in stored_text
        assert services.verify_award(award).verified


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Django's UNNEST is PostgreSQL's")
def test_a_batch_inserts_its_signed_credentials_as_parameters_not_an_escaped_array() -> None:
    """Django inserts many rows on PostgreSQL as one array per column, which psycopg writes by
    escaping every quote of every signed credential: the awards' insert must not be one."""
    from django.test.utils import CaptureQueriesContext

    _, registrar, version = make_issuer()
    with CaptureQueriesContext(connection) as queries:
        services.issue_awards(actor=registrar, version=version, requests=requests_for(version, 3))
    [insert] = [
        q["sql"] for q in queries.captured_queries if 'INSERT INTO "awards_award"' in q["sql"]
    ]
    assert "UNNEST" not in insert


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compression methods are PostgreSQL's"
)
def test_signed_credentials_are_compressed_with_lz4_where_the_server_offers_it() -> None:
    """pglz, PostgreSQL's own method, took as much of the server's CPU as the rest of an
    award's statements: each signed credential is compressed with lz4."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL was built without lz4")
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = 'awards_award'::regclass "
            "AND attname = 'signed_credential'"
        )
        assert cursor.fetchone()[0] == "l"
    _, registrar, version = make_issuer()
    [award] = services.issue_awards(
        actor=registrar, version=version, requests=requests_for(version, 1)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(signed_credential) FROM awards_award WHERE id = %s",
            [award.pk],
        )
        assert cursor.fetchone()[0] == "lz4"
    award.refresh_from_db()
    assert services.verify_award(award).verified
