"""``microcred manage audit_check``: intact, or the first broken event and why."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from microcred.audit.models import AuditEvent
from microcred.audit.services import check_chain, record_event
from microcred.organisations import services
from tests.platform.factories import make_organisation, make_user


def audit_check() -> str:
    out = StringIO()
    call_command("audit_check", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def events() -> None:
    """Write five events: an organisation, a member, a key rotation and two more."""
    owner = make_user(password=None)
    organisation = make_organisation(owner)
    services.add_member(
        actor=owner,
        organisation=organisation,
        user=make_user(password=None).username,
        roles=["designer"],
    )
    services.rotate_signing_key(actor=owner, organisation=organisation)
    record_event(actor=None, action="test.one")
    record_event(actor=owner, action="test.two", data={"n": 2})


def test_an_empty_log_is_intact() -> None:
    assert audit_check() == "0 audit events: intact"


def test_an_untouched_chain_is_intact(events: None) -> None:
    assert audit_check() == "5 audit events: intact"


@pytest.mark.parametrize(
    ("tamper", "broken_at", "reason"),
    [
        (
            lambda: AuditEvent.objects.filter(sequence=2).update(data={"user": "mallory"}),
            2,
            "its content was changed after it was written",
        ),
        (lambda: AuditEvent.objects.filter(sequence=3).delete(), 4, "event #3 is missing"),
        (
            lambda: AuditEvent.objects.filter(sequence=4).update(previous_hash="0" * 64),
            4,
            "it does not point at the previous event",
        ),
        (
            lambda: AuditEvent.objects.filter(sequence=1).update(actor_label="system"),
            1,
            "its content was changed after it was written",
        ),
    ],
)
def test_a_tampered_chain_names_the_first_broken_event_and_exits_1(
    events: None, tamper, broken_at: int, reason: str
) -> None:
    tamper()
    total = AuditEvent.objects.count()
    with pytest.raises(CommandError) as raised:
        audit_check()
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        f"{total} audit events: the chain is broken at event #{broken_at}: {reason}"
    )
    chain = check_chain()
    assert (chain.events, chain.broken_at, chain.reason) == (total, broken_at, reason)


def test_membership_and_key_changes_are_in_the_chain(events: None) -> None:
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "organisation.create",
        "membership.change",
        "key.rotate",
        "test.one",
        "test.two",
    ]
