"""Accounts made by the platform, and the addresses and DIDs that tie awards to them."""

from __future__ import annotations

import pytest

from microcred.accounts.services import (
    create_user,
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
