"""Factories for platform tests: users, organisations with members in roles."""

from __future__ import annotations

import itertools
from typing import Any

from microcred.accounts.models import User
from microcred.accounts.services import mark_email_verified
from microcred.organisations import services as organisations
from microcred.organisations.models import Membership, Organisation

_numbers = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(username: str | None = None, **fields: Any) -> User:
    username = username or f"user{next(_numbers)}"
    fields.setdefault("email", f"{username}@example.org")
    password = fields.pop("password", PASSWORD)
    user = User.objects.create(username=username, **fields)
    user.set_password(password)
    user.save()
    if user.email:
        # As an account that verified its address: sign-in asks for one.
        mark_email_verified(user)
    return user


def make_organisation(owner: User | None = None, **fields: Any) -> Organisation:
    number = next(_numbers)
    fields.setdefault("name", f"Organisation {number}")
    fields.setdefault("slug", f"org-{number}")
    fields.setdefault("type", "university")
    fields.setdefault("country", "NL")
    owner = owner or make_user()
    return organisations.create_organisation(actor=owner, **fields)


def add_member(organisation: Organisation, user: User, *roles: str) -> User:
    for role in roles:
        Membership.objects.get_or_create(organisation=organisation, user=user, role=role)
    return user
