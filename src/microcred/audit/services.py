"""Writing and checking the hash-chained audit log.

Every state change that matters calls :func:`record_event` inside the same
transaction as the change, so an event exists exactly when the change does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from microcred.audit.models import AuditEvent

__all__ = [
    "ChainCheck",
    "check_chain",
    "record_event",
]

GENESIS_HASH = "0" * 64


def _event_hash(previous_hash: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor": event.actor_label,
        "organisation": event.organisation_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
    }


def record_event(
    *,
    actor: Any,
    action: str,
    organisation: Any = None,
    target: Any = None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append an event to the chain; call it inside the transaction that makes the change.

    The last event is read under a row lock so concurrent writers chain one
    after the other instead of forking the chain.
    """
    with transaction.atomic():
        last = AuditEvent.objects.select_for_update().order_by("-sequence").first()
        event = AuditEvent(
            sequence=(last.sequence + 1) if last else 1,
            created_at=now or datetime.now(UTC),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_actor_label(actor),
            organisation=organisation,
            action=action,
            target_type=type(target).__name__ if target is not None else "",
            target_id=str(getattr(target, "uuid", None) or getattr(target, "pk", "") or "")
            if target is not None
            else "",
            data=data or {},
            previous_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = _event_hash(event.previous_hash, _payload(event))
        event.save()
        return event


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    if getattr(actor, "pk", None):
        return f"{actor.pk}:{actor.get_username()}"
    return str(actor)


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking the chain: how many events, and the first broken one if any."""

    events: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def check_chain() -> ChainCheck:
    """Recompute every hash in order; report how many events there are and the first that does
    not fit.

    An event changed, inserted or deleted in the middle breaks the chain; the
    count lets an operator compare with what they saw before, since dropping
    the newest events leaves a shorter chain that is still intact.
    """
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    count = 0
    broken: tuple[int, str] | None = None
    for event in AuditEvent.objects.order_by("sequence").iterator():
        count += 1
        if broken is None:
            broken = _break_in(event, expected_sequence, previous_hash)
        previous_hash = event.hash
        expected_sequence = event.sequence + 1
    if broken is None:
        return ChainCheck(count)
    return ChainCheck(count, *broken)


def _break_in(
    event: AuditEvent, expected_sequence: int, previous_hash: str
) -> tuple[int, str] | None:
    """Return the event's sequence and what is wrong with it, or None when it fits the chain."""
    if event.sequence != expected_sequence:
        return event.sequence, f"event #{expected_sequence} is missing"
    if event.previous_hash != previous_hash:
        return event.sequence, "it does not point at the previous event"
    if _event_hash(previous_hash, _payload(event)) != event.hash:
        return event.sequence, "its content was changed after it was written"
    return None
