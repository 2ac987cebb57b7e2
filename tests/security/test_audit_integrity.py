"""Security: the audit log keeps up under concurrent writes and shows every edit, deletion and
truncation, and the platform's secrets and records are private to its user.

Run alone with ``pytest tests/security/test_audit_integrity.py``; the concurrency tests need
PostgreSQL (``DATABASE_URL=postgres://...``) and are skipped on SQLite, which serialises every
writer anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from microcred.accounts.models import User
from microcred.audit.models import AuditEvent
from microcred.audit.services import (
    GENESIS_HASH,
    ChainCheck,
    check_chain,
    event_hash,
    record_event,
    write_checkpoint,
)
from microcred.awards import services as awards
from microcred.awards.models import Award, AwardStatus
from microcred.datafiles import generated_secret
from microcred.organisations.models import Organisation
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL (set DATABASE_URL); SQLite runs one at a time",
)


@pytest.fixture(autouse=True)
def _public_url(settings) -> None:
    settings.PUBLIC_URL = "https://microcred.test"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_together(count: int, action: Callable[[int], Any]) -> list[Any]:
    """Run ``action(number)`` in ``count`` threads released at the same moment; return each
    result or the exception it raised."""
    start = threading.Barrier(count)

    def run(number: int) -> Any:
        try:
            start.wait()
            return action(number)
        except Exception as error:  # the test reports every failure it saw
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


# -- appending under concurrency ----------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_audited_actions_at_the_same_moment_all_append_to_one_intact_chain() -> None:
    record_event(actor=None, action="test.first")

    def append(number: int) -> AuditEvent:
        with transaction.atomic():
            return record_event(actor=None, action="test.concurrent", data={"n": number})

    outcomes = run_together(8, append)

    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert not failures, failures
    assert sorted(event.sequence for event in outcomes) == list(range(2, 10))
    chain = check_chain()
    assert (chain.events, chain.intact) == (9, True), chain.reason


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_and_revocations_all_succeed() -> None:
    _, registrar, version = make_issuer()
    to_revoke = [issue(registrar, version) for _ in range(10)]

    def issue_or_revoke(number: int) -> Any:
        if number % 2:
            return awards.revoke_award(
                actor=registrar, award=to_revoke[number // 2], reason="Issued in error."
            )
        return issue(registrar, version, learner_email=f"concurrent{number}@example.org")

    outcomes = run_together(20, issue_or_revoke)

    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert not failures, failures
    assert Award.objects.filter(status=AwardStatus.REVOKED).count() == 10
    assert Award.objects.filter(status=AwardStatus.ACTIVE).count() == 10
    for award in Award.objects.all():
        assert awards.verify_award(award).verified == (award.status == AwardStatus.ACTIVE)
    places = [
        (entry["url"], entry["index"])
        for award in Award.objects.all()
        for entry in awards.get_status_entries(award)
    ]
    assert len(places) == len(set(places)) == 20  # one status entry each (ADR 0008)
    chain = check_chain()
    assert chain.intact, chain.reason
    assert AuditEvent.objects.filter(action="award.issue").count() == 20
    assert AuditEvent.objects.filter(action="award.revoke").count() == 10


# -- what the keyed chain shows -----------------------------------------------------------------


@pytest.fixture
def checkpoints(tmp_path: Path, settings) -> Path:
    settings.AUDIT_CHECKPOINTS = tmp_path / "checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINTS


@pytest.fixture
def chain(checkpoints: Path) -> list[AuditEvent]:
    """Five events by a user, an organisation's owner."""
    owner = make_user(password=None)
    make_organisation(owner)
    for number in range(4):
        record_event(actor=owner, action="test.event", data={"n": number})
    return list(AuditEvent.objects.order_by("sequence"))


def rechain(settings, key: str) -> None:
    """Recompute every hash in order as a forger would, with the key they have."""
    settings.AUDIT_KEY = key
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("sequence"):
        event.previous_hash = previous
        event.hash = event_hash(event)
        event.save(update_fields=["previous_hash", "hash"])
        previous = event.hash


def broken(chain: ChainCheck) -> tuple[int | None, str]:
    return chain.broken_at, chain.reason


def test_an_untouched_chain_checks(chain: list[AuditEvent]) -> None:
    assert check_chain().intact
    assert check_chain().events == 5


def test_an_edited_event_with_every_hash_recomputed_without_the_key_is_detected(
    chain: list[AuditEvent], settings
) -> None:
    real_key = settings.AUDIT_KEY
    AuditEvent.objects.filter(sequence=3).update(data={"n": 99})
    rechain(settings, key="a guess at the key")
    settings.AUDIT_KEY = real_key
    assert broken(check_chain()) == (1, "its content was changed after it was written")


def test_the_unkeyed_recomputation_that_used_to_pass_is_detected(chain: list[AuditEvent]) -> None:
    """What audit_check accepted before the chain was keyed: plain SHA-256 over the event's
    fields, recomputed after an edit."""
    AuditEvent.objects.filter(sequence=2).update(action="test.harmless")
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("sequence"):
        fields = {
            "sequence": event.sequence,
            "created_at": event.created_at.isoformat(),
            "actor": event.actor_label,
            "actor_id": event.actor_id,
            "organisation": event.organisation_id,
            "action": event.action,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "data": event.data,
        }
        payload = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        event.previous_hash = previous
        event.hash = hashlib.sha256((previous + payload).encode()).hexdigest()
        event.save(update_fields=["previous_hash", "hash"])
        previous = event.hash
    assert broken(check_chain()) == (1, "its content was changed after it was written")


def test_a_changed_actor_id_is_detected(chain: list[AuditEvent]) -> None:
    other = make_user(password=None)
    AuditEvent.objects.filter(sequence=4).update(actor_id=other.pk)
    assert broken(check_chain()) == (4, "its content was changed after it was written")


def test_a_deleted_event_in_the_middle_is_detected(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(sequence=2).delete()
    assert broken(check_chain()) == (3, "event #2 is missing")


def test_deleting_the_newest_events_is_detected_against_a_checkpoint(
    chain: list[AuditEvent], checkpoints: Path
) -> None:
    assert write_checkpoint(check_chain()) is not None
    AuditEvent.objects.filter(sequence__gte=4).delete()
    at, reason = broken(check_chain())
    assert at == 4
    assert reason.startswith("events #4 to #5 are missing: the checkpoint of ")


def test_replacing_the_newest_events_after_a_checkpoint_is_detected(
    chain: list[AuditEvent], settings
) -> None:
    """Deleting the newest events and writing others in their place gives a chain that
    checks, but not the one the checkpoint saw."""
    assert write_checkpoint(check_chain()) is not None
    AuditEvent.objects.filter(sequence__gte=4).delete()
    record_event(actor=None, action="test.replacement")
    record_event(actor=None, action="test.replacement")
    at, reason = broken(check_chain())
    assert at == 5
    assert reason.startswith("it is not the event the checkpoint of ")


def test_a_forged_checkpoint_is_detected(chain: list[AuditEvent], checkpoints: Path) -> None:
    head = write_checkpoint(check_chain())
    forged = json.loads(head.as_line()) | {"sequence": 2}
    checkpoints.write_text(json.dumps(forged) + "\n")
    assert broken(check_chain()) == (
        2,
        "checkpoint 1 is not tagged with the audit key (it was forged or changed)",
    )


def test_what_the_chain_does_not_prove_events_dropped_after_the_last_checkpoint(
    chain: list[AuditEvent],
) -> None:
    """Documented limit: without a checkpoint that saw them, the newest events can be
    dropped and the shorter chain still checks (docs/decisions: keyed audit chain)."""
    AuditEvent.objects.filter(sequence__gte=4).delete()
    assert check_chain().intact
    assert check_chain().events == 3


def test_deleting_a_user_or_organisation_keeps_their_ids_and_the_chain(
    chain: list[AuditEvent],
) -> None:
    event = chain[-1]
    user_id = event.actor_id
    User.objects.filter(pk=user_id).delete()
    Organisation.objects.filter(pk=chain[0].organisation_id).delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_id == user_id
    assert check_chain().intact


def test_audit_check_checkpoints_and_then_reports_a_truncation(chain: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit_check", "--checkpoint", stdout=out)
    first, checkpoint = out.getvalue().splitlines()
    assert first == "5 audit events: intact"
    assert checkpoint.startswith('checkpoint {"created_at":')
    AuditEvent.objects.filter(sequence=5).delete()
    with pytest.raises(CommandError) as raised:
        call_command("audit_check", stdout=StringIO())
    assert raised.value.returncode == 1
    assert "the chain is broken at event #5: events #5 to #5 are missing" in str(raised.value)


# -- private files --------------------------------------------------------------------------------

FIRST_START = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from microcred.audit.services import audit_key
from microcred.organisations.keystore import encrypt_secret
connection.ensure_connection()
encrypt_secret(b"secret")
audit_key()
storages["evidence"].save("2026/12/evidence.pdf", ContentFile(b"%PDF-1.4"))
"""


def test_a_first_start_creates_the_database_secrets_and_evidence_private(tmp_path: Path) -> None:
    """Started with the common umask 022, the platform still creates its data folder 0700 and
    the database, every generated secret and evidence files 0600."""
    data = tmp_path / "data"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "MICROCRED_SECRET_KEY", "MICROCRED_AUDIT_KEY"}
    }
    environment |= {
        "MICROCRED_DATA_DIR": str(data),
        "MICROCRED_KEY_ENCRYPTION_KEYS": "",
        "DJANGO_SETTINGS_MODULE": "microcred.site.settings",
    }
    subprocess.run(
        [sys.executable, "-c", FIRST_START],
        env=environment,
        check=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    modes = {
        str(path.relative_to(data)): stat.S_IMODE(path.stat().st_mode)
        for path in [data, *data.rglob("*")]
    }
    assert modes == {
        ".": 0o700,
        "microcred.sqlite3": 0o600,
        "secret_key": 0o600,
        "key_encryption_key": 0o600,
        "audit_key": 0o600,
        "evidence": 0o700,
        "evidence/2026": 0o700,
        "evidence/2026/12": 0o700,
        "evidence/2026/12/evidence.pdf": 0o600,
    } | {name: 0o600 for name in modes if name.startswith("microcred.sqlite3-")}


def test_a_generated_secret_is_private_and_written_once(tmp_path: Path) -> None:
    path = tmp_path / "new" / "secret"
    assert generated_secret(path, lambda: "first") == "first"
    assert generated_secret(path, lambda: "second") == "first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [item.name for item in path.parent.iterdir()] == ["secret"]
