"""Invitations for tests: sent through the service, the token read back from the email."""

from __future__ import annotations

import re
from datetime import datetime

from django.core import mail
from django.test import TestCase

from microcred.accounts.models import User
from microcred.organisations import services
from microcred.organisations.models import Invitation, Organisation

LINK = re.compile(r"/invitations/(?P<token>[A-Za-z0-9_-]+)")


def invite(
    owner: User,
    organisation: Organisation,
    email: str = "new.teacher@example.org",
    roles: tuple[str, ...] = ("designer",),
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite ``email`` as ``owner`` and return the invitation with the token of its link."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = services.invite_member(
            actor=owner, organisation=organisation, email=email, roles=roles, now=now
        )
    return invitation, token_in(mail.outbox[-1].body)


def token_in(body: str) -> str:
    match = LINK.search(body)
    assert match, f"no invitation link in {body!r}"
    return match["token"]
