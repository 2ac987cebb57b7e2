"""Writing and checking the audit log: a hash chain keyed with the platform's audit key.

Every state change that matters calls :func:`record_event` inside the same
transaction as the change, so an event exists exactly when the change does.

Each event's ``hash`` is HMAC-SHA256, under the audit key, of the previous
event's hash and the event's canonical JSON (who, which user id, which
organisation, what, to what, when, with what data). The key lives outside the
database (``MICROCRED_AUDIT_KEY``, or a file generated once in the data folder),
so someone who can write to the database but not read the key cannot edit,
insert, reorder or delete an event and recompute a chain that checks. Deleting
the newest events leaves a shorter chain that still checks; checkpoints of the
head, kept outside the database (:func:`write_checkpoint`), show that.
See docs/decisions/0006-keyed-audit-chain.md for what this proves and what not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction

from microcred.audit.models import AuditEvent
from microcred.datafiles import generated_secret, private_file

__all__ = [
    "ChainCheck",
    "Checkpoint",
    "NewEvent",
    "audit_key",
    "check_chain",
    "event_hash",
    "record_event",
    "record_events",
    "write_checkpoint",
]

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock's key for appending to the chain: any constant no other code uses.
APPEND_LOCK = 0x6D637265645F6175  # "mcred_au"


@cache
def _audit_key(configured: str, data_dir: str) -> bytes:
    if not configured:
        path = Path(data_dir) / "audit_key"
        configured = generated_secret(path, lambda: secrets.token_urlsafe(32))
    return configured.encode("utf-8")


def audit_key() -> bytes:
    """Return the key of the chain: ``MICROCRED_AUDIT_KEY``, or the one in the data folder."""
    return _audit_key(settings.AUDIT_KEY, str(settings.DATA_DIR))


def _mac(*parts: str) -> str:
    return hmac.new(audit_key(), "".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: AuditEvent) -> str:
    """Return the keyed hash that chains ``event`` to the one before it."""
    return _mac(event.previous_hash, _canonical(_payload(event)))


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor": event.actor_label,
        "actor_id": event.actor_id,
        "organisation": event.organisation_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
    }


@dataclass(frozen=True)
class NewEvent:
    """An event to append: who did what, in which organisation, to what, with what data."""

    actor: AbstractBaseUser | None
    action: str
    organisation: Any = None
    target: Any = None
    data: dict[str, Any] | None = None


def record_event(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    organisation: Any = None,
    target: Any = None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append an event to the chain; call it inside the transaction that makes the change,
    after any slow work such as signing (see :func:`record_events`)."""
    [event] = record_events(
        [NewEvent(actor, action, organisation=organisation, target=target, data=data)], now=now
    )
    return event


def record_events(events: Sequence[NewEvent], *, now: datetime | None = None) -> list[AuditEvent]:
    """Append ``events`` to the chain in order, in one locked step, and return them.

    Call it inside the transaction that makes the changes, after any slow work
    such as signing. Appends are serialised by a transaction-level advisory lock
    on PostgreSQL (SQLite takes its one write lock when the transaction begins).
    The lock is taken here, just before the newest event is read, and held until
    the caller's transaction ends, so the next writer reads these events once they
    are committed and chains after them: no hot row, no duplicate sequence.
    Everything the transaction does after this call delays every other audited
    write, hence "after signing". A batch pays for the lock, the read of the
    newest event and the insert once, whatever its size.
    """
    created_at = now or datetime.now(UTC)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
        sequence, previous_hash = (last.sequence, last.hash) if last else (0, GENESIS_HASH)
        appended = []
        for new in events:
            sequence += 1
            event = AuditEvent(
                sequence=sequence,
                created_at=created_at,
                actor_id=getattr(new.actor, "pk", None) or None,
                actor_label=_actor_label(new.actor),
                organisation=new.organisation,
                action=new.action,
                target_type=type(new.target).__name__ if new.target is not None else "",
                target_id=_target_id(new.target),
                data=new.data or {},
                previous_hash=previous_hash,
            )
            event.hash = previous_hash = event_hash(event)
            appended.append(event)
        return AuditEvent.objects.bulk_create(appended)


def _target_id(target: Any) -> str:
    if target is None:
        return ""
    return str(getattr(target, "uuid", None) or getattr(target, "pk", "") or "")


def _actor_label(actor: AbstractBaseUser | None) -> str:
    if actor is None:
        return "system"
    if getattr(actor, "pk", None):
        return f"{actor.pk}:{actor.get_username()}"
    return str(actor)


# -- checking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as it was at ``created_at``, tagged with the audit key."""

    sequence: int
    hash: str
    created_at: str
    tag: str

    @classmethod
    def of(cls, sequence: int, hash: str, created_at: datetime) -> Checkpoint:
        when = created_at.astimezone(UTC).isoformat()
        return cls(sequence, hash, when, _checkpoint_tag(sequence, hash, when))

    def as_line(self) -> str:
        return _canonical(
            {
                "sequence": self.sequence,
                "hash": self.hash,
                "created_at": self.created_at,
                "tag": self.tag,
            }
        )

    @property
    def authentic(self) -> bool:
        expected = _checkpoint_tag(self.sequence, self.hash, self.created_at)
        return hmac.compare_digest(self.tag, expected)


def _checkpoint_tag(sequence: int, hash: str, created_at: str) -> str:
    return _mac("checkpoint\n", _canonical([sequence, hash, created_at]))


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking the chain: how many events, its head, and the first break if any.

    ``broken_at`` is the sequence number of the first event that does not fit, or, when
    events a checkpoint saw are gone, the first missing one.
    """

    events: int
    broken_at: int | None = None
    reason: str = ""
    head: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def check_chain(checkpoints: Path | None = None) -> ChainCheck:
    """Recompute every keyed hash in order, then hold the chain against the checkpoints.

    An event changed (any field, its user id included), inserted, reordered or deleted
    breaks the chain; so does an event whose hash was recomputed without the key.
    Deleting the newest events breaks it only against a checkpoint that saw them:
    ``checkpoints`` is the file :func:`write_checkpoint` appends to (by default
    ``settings.AUDIT_CHECKPOINTS``; a missing file holds none).
    """
    seen = list(_read_checkpoints(checkpoints or settings.AUDIT_CHECKPOINTS))
    wanted = {checkpoint.sequence for checkpoint in seen if checkpoint.authentic}
    hashes: dict[int, str] = {}
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    count = 0
    broken: tuple[int, str] | None = None
    last: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("sequence").iterator():
        count += 1
        if broken is None:
            broken = _break_in(event, expected_sequence, previous_hash)
        if event.sequence in wanted:
            hashes[event.sequence] = event.hash
        previous_hash = event.hash
        expected_sequence = event.sequence + 1
        last = event
    if broken is None:
        broken = _against_checkpoints(seen, hashes, count)
    head = Checkpoint.of(last.sequence, last.hash, datetime.now(UTC)) if last else None
    if broken is None:
        return ChainCheck(count, head=head)
    return ChainCheck(count, *broken, head=head)


def _break_in(
    event: AuditEvent, expected_sequence: int, previous_hash: str
) -> tuple[int, str] | None:
    """Return the event's sequence and what is wrong with it, or None when it fits the chain."""
    if event.sequence != expected_sequence:
        return event.sequence, f"event #{expected_sequence} is missing"
    if event.previous_hash != previous_hash:
        return event.sequence, "it does not point at the previous event"
    if not hmac.compare_digest(event_hash(event), event.hash):
        return event.sequence, "its content was changed after it was written"
    return None


def _against_checkpoints(
    checkpoints: list[Checkpoint], hashes: dict[int, str], count: int
) -> tuple[int, str] | None:
    """Return where the chain departs from a checkpoint, or None when it holds every one."""
    for number, checkpoint in enumerate(checkpoints, start=1):
        if not checkpoint.authentic:
            return (
                checkpoint.sequence,
                f"checkpoint {number} is not tagged with the audit key (it was forged or changed)",
            )
        if checkpoint.sequence > count:
            return (
                count + 1,
                f"events #{count + 1} to #{checkpoint.sequence} are missing: the checkpoint of "
                f"{checkpoint.created_at} saw {checkpoint.sequence} events",
            )
        if not hmac.compare_digest(hashes.get(checkpoint.sequence, ""), checkpoint.hash):
            return (
                checkpoint.sequence,
                f"it is not the event the checkpoint of {checkpoint.created_at} saw",
            )
    return None


def _read_checkpoints(path: Path) -> Iterator[Checkpoint]:
    if not path.exists():
        return
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            yield Checkpoint(
                sequence=int(item["sequence"]),
                hash=str(item["hash"]),
                created_at=str(item["created_at"]),
                tag=str(item["tag"]),
            )
        except (ValueError, KeyError, TypeError):
            # A line that is not a checkpoint fails the tag check and is reported as such.
            yield Checkpoint(sequence=0, hash="", created_at="", tag="")


def write_checkpoint(chain: ChainCheck, path: Path | None = None) -> Checkpoint | None:
    """Append the head of an intact ``chain`` to the checkpoints file and return it.

    The file is outside the database (private, 0600); copy its lines somewhere the
    database's users cannot write (a log server, an email) to make truncation evident
    even to someone who holds the data folder too. Nothing is written for an empty
    chain or one that does not check.
    """
    if not chain.intact or chain.head is None:
        return None
    path = private_file(path or settings.AUDIT_CHECKPOINTS)
    with path.open("a", encoding="utf-8") as file:
        file.write(chain.head.as_line() + "\n")
    return chain.head
