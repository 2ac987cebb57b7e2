"""Deleting one's account: what goes, and what stays (issued credentials, the audit log)."""

from __future__ import annotations

from django.test import Client

from microcred.accounts.models import ApiToken, User
from microcred.accounts.services import (
    create_api_token,
    delete_account,
    find_user,
    get_verified_addresses,
)
from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import PASSWORD, make_user


def test_the_page_says_what_goes_and_what_stays(client: Client) -> None:
    client.force_login(make_user())

    page = client.get("/account/delete").content.decode()

    for words in (
        "Your sessions",
        "personal API tokens",
        "Your profile",
        "stay valid and verifiable",
        "audit records",
        "cannot be undone",
    ):
        assert words in page, words


def test_a_wrong_password_deletes_nothing(client: Client) -> None:
    user = make_user()
    client.force_login(user)

    response = client.post("/account/delete", {"password": "wrong"})

    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["This is not your password."]
    user.refresh_from_db()
    assert user.is_active and client.session["_auth_user_id"] == str(user.pk)


def test_an_account_without_password_confirms_with_a_word(client: Client) -> None:
    user = make_user(password=None)
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    refused = client.post("/account/delete", {"confirmation": "yes"})
    assert "confirmation" in refused.context["form"].errors
    assert client.post("/account/delete", {"confirmation": "Delete"})["Location"] == "/"

    user.refresh_from_db()
    assert not user.is_active


def test_deleting_signs_out_and_frees_the_address_while_credentials_stay_valid(
    client: Client,
) -> None:
    _, registrar, version = make_issuer()
    learner = make_user(email="ada@example.org", display_name="Ada", did="did:key:z6Mkexample")
    award = issue(registrar, version, learner_email="ada@example.org", learner_name="Ada")
    create_api_token(actor=learner, name="sync")
    other_browser = Client()
    other_browser.force_login(learner)
    client.force_login(learner)

    response = client.post("/account/delete", {"password": PASSWORD})

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert other_browser.get("/account/")["Location"].startswith("/login")
    learner.refresh_from_db()
    assert not learner.is_active and not learner.has_usable_password()
    assert (learner.display_name, learner.did, learner.first_name) == ("", "", "")
    assert "ada" not in learner.email and learner.username == f"deleted-{learner.pk}"
    assert get_verified_addresses(learner) == []
    assert not ApiToken.objects.filter(user=learner).exists()
    assert find_user("ada@example.org") is None
    assert not client.post("/login", {"login": "ada@example.org", "password": PASSWORD}).get(
        "Location"
    )
    # The address can make a new account.
    client.post(
        "/signup", {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert User.objects.filter(email="ada@example.org", is_active=True).exists()
    # What others rely on stays.
    assert awards.verify_award(award).verified
    assert AuditEvent.objects.filter(action="account.delete", actor=learner).exists()


def test_the_service_deletes_only_the_actors_account() -> None:
    ada, ben = make_user(), make_user()

    delete_account(actor=ada)

    ben.refresh_from_db()
    assert ben.is_active and get_verified_addresses(ben) == [ben.email]
