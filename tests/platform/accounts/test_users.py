"""Accounts made by the platform, and the addresses and DIDs that tie awards to them."""

from __future__ import annotations

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps

from microcred.accounts.models import User
from microcred.accounts.services import (
    create_user,
    get_email_addresses,
    get_verified_addresses,
    get_verified_dids,
)
from microcred.errors import Conflict

pytestmark = pytest.mark.django_db


def test_an_account_gets_a_username_from_its_address():
    first = create_user(email="Ana@Example.org", password="a long passphrase", email_verified=True)
    second = create_user(email="ana@example.net", password=None, email_verified=True)

    assert (first.username, second.username) == ("Ana", "ana2")
    assert first.check_password("a long passphrase")
    assert not second.has_usable_password()


def test_one_account_per_address_whatever_its_case():
    create_user(email="ana@example.org", password=None, email_verified=True)

    with pytest.raises(Conflict) as refused:
        create_user(email="ANA@example.org", password=None, email_verified=True)

    assert refused.value.field == "email"


def test_the_account_address_and_did_are_the_verified_ones():
    user = create_user(email="Ana@Example.org", password=None, email_verified=True)
    user.did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

    assert get_verified_addresses(user) == ["ana@example.org"]
    assert get_verified_dids(user) == [user.did]


def test_an_unverified_address_is_recorded_but_does_not_count():
    user = create_user(email="Ben@Example.org", password=None, email_verified=False)

    assert get_verified_addresses(user) == []
    assert [(a.email, a.verified, a.primary) for a in get_email_addresses(user)] == [
        ("ben@example.org", False, True)
    ]


def test_an_address_another_account_has_verified_cannot_make_an_account():
    owner = create_user(email="ana@example.org", password=None, email_verified=True)
    EmailAddress.objects.create(user=owner, email="ana@example.net", verified=True)

    with pytest.raises(Conflict):
        create_user(email="Ana@Example.net", password=None, email_verified=False)


def test_existing_accounts_get_their_address_recorded_as_verified():
    old = User.objects.create(username="old", email="Old@Example.org")
    twin = User.objects.create(username="twin", email="old@example.org")
    kept = create_user(email="new@example.org", password=None, email_verified=False)
    migration = importlib.import_module(
        "microcred.accounts.migrations.0002_verified_addresses_for_existing_users"
    )

    migration.record_verified_addresses(apps, None)

    assert get_verified_addresses(old) == ["old@example.org"]
    assert get_verified_addresses(twin) == []
    assert get_verified_addresses(kept) == []
