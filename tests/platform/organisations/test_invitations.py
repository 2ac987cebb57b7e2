"""Staff invitations: an owner invites an email address to roles; the emailed link, used once
within seven days, creates or attaches the account and makes it a member."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from microcred.accounts.models import User
from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, Forbidden, InvalidInput
from microcred.organisations import services
from microcred.organisations.models import Invitation, Role
from tests.platform.accounts.factories import bearer
from tests.platform.factories import PASSWORD, add_member, make_organisation, make_user
from tests.platform.organisations.invitations import invite, token_in

NEW_PASSWORD = "a violet kestrel over Galway"


@pytest.fixture
def owner():
    return make_user("olive", password=None)


@pytest.fixture
def organisation(owner):
    return make_organisation(owner, name="Northfield Institute", slug="northfield")


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_an_invitation_emails_a_single_use_link_and_keeps_only_its_hash(owner, organisation):
    invitation, token = invite(owner, organisation, roles=("designer", "assessor"))
    [message] = mail.outbox
    assert message.to == ["new.teacher@example.org"]
    assert "Northfield Institute" in message.subject
    assert "Designer, Assessor" in message.body and f"/invitations/{token}" in message.body
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert services.get_pending_invitations(organisation) == [invitation]
    assert actions()[-1] == "invitation.create"


def test_only_owners_invite_and_bad_invitations_name_the_field(owner, organisation):
    designer = add_member(organisation, make_user(password=None), Role.DESIGNER)
    with pytest.raises(Forbidden):
        services.invite_member(
            actor=designer, organisation=organisation, email="a@example.org", roles=["designer"]
        )
    for email, roles, field in [
        ("", ["designer"], "email"),
        ("not an address", ["designer"], "email"),
        ("a@example.org", [], "roles"),
        ("a@example.org", ["dean"], "roles"),
    ]:
        with pytest.raises(InvalidInput) as error:
            services.invite_member(actor=owner, organisation=organisation, email=email, roles=roles)
        assert error.value.field == field
    with pytest.raises(Conflict, match="member already"):
        services.invite_member(
            actor=owner, organisation=organisation, email=owner.email, roles=["designer"]
        )
    invite(owner, organisation)
    with pytest.raises(Conflict, match="invited already"):
        services.invite_member(
            actor=owner,
            organisation=organisation,
            email="New.Teacher@example.org",
            roles=["registrar"],
        )
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_newcomer_creates_an_account_from_the_link_and_lands_in_the_studio(
    client: Client, owner, organisation
):
    _, token = invite(owner, organisation, roles=("designer", "assessor"))
    url = f"/invitations/{token}"
    page = client.get(url)
    assert page.status_code == 200
    assert "new.teacher@example.org" in page.content.decode() and "Create your account" in (
        page.content.decode()
    )

    differ = client.post(
        url, {"display_name": "Niamh", "password": NEW_PASSWORD, "password_again": "other"}
    )
    assert differ.status_code == 400
    assert "differ" in differ.context["form"].errors["password_again"][0]
    weak = client.post(
        url, {"display_name": "Niamh", "password": "12345678", "password_again": "12345678"}
    )
    assert weak.status_code == 400
    assert "too common" in weak.context["form"].errors["password"][0]
    assert not User.objects.filter(email="new.teacher@example.org").exists()

    joined = client.post(
        url, {"display_name": "Niamh", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert joined.status_code == 302 and joined["Location"] == "/studio/"
    person = User.objects.get(email="new.teacher@example.org")
    assert person.display_name == "Niamh" and person.check_password(NEW_PASSWORD)
    assert services.get_roles(person, organisation) == {"designer", "assessor"}
    assert client.get("/studio/").wsgi_request.user == person
    assert actions()[-2:] == ["membership.change", "invitation.accept"]
    assert services.get_pending_invitations(organisation) == []

    again = Client().get(url)
    assert again.status_code == 410
    assert "accepted already" in again.content.decode()


def test_an_existing_account_signs_in_first_then_joins(client: Client, owner, organisation):
    teacher = make_user("niamh", email="new.teacher@example.org")
    add_member(make_organisation(), teacher, Role.REGISTRAR)  # staff elsewhere already
    _, token = invite(owner, organisation, email="New.Teacher@Example.org")
    url = f"/invitations/{token}"
    response = client.get(url)
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/login") and "next=/invitations/" in response["Location"]
    )

    client.force_login(teacher)
    assert "Join Northfield Institute" in client.get(url).content.decode()
    assert services.get_roles(teacher, organisation) == set()
    joined = client.post(url, {"action": "accept"})
    assert joined.status_code == 302 and joined["Location"] == "/studio/"
    assert services.get_roles(teacher, organisation) == {"designer"}


def test_someone_signed_in_with_another_address_cannot_use_the_link(
    client: Client, owner, organisation
):
    _, token = invite(owner, organisation)
    someone = make_user("someone", password=None)
    client.force_login(someone)
    events = AuditEvent.objects.count()
    for response in (client.get(f"/invitations/{token}"), client.post(f"/invitations/{token}")):
        assert response.status_code == 403
        assert "This invitation is for new.teacher@example.org" in response.content.decode()
    with pytest.raises(Forbidden):
        services.accept_invitation(actor=someone, token=token)
    assert services.get_roles(someone, organisation) == set()
    assert AuditEvent.objects.count() == events


def test_used_expired_withdrawn_and_unknown_links_say_so(client: Client, owner, organisation):
    _, expired = invite(
        owner, organisation, email="late@example.org", now=timezone.now() - timedelta(days=8)
    )
    withdrawn_invitation, withdrawn = invite(owner, organisation, email="gone@example.org")
    services.withdraw_invitation(
        actor=owner, organisation=organisation, invitation_id=withdrawn_invitation.pk
    )
    assert actions()[-1] == "invitation.withdraw"
    assert services.get_pending_invitations(organisation) == []

    response = client.get(f"/invitations/{expired}")
    assert response.status_code == 410 and "expired on" in response.content.decode()
    response = client.post(
        f"/invitations/{withdrawn}",
        {"display_name": "Gone", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    assert not User.objects.filter(email="gone@example.org").exists()
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    with pytest.raises(Conflict, match="withdrawn already"):
        services.withdraw_invitation(
            actor=owner, organisation=organisation, invitation_id=withdrawn_invitation.pk
        )


def test_the_members_page_invites_an_address_without_an_account(
    client: Client, owner, organisation, django_capture_on_commit_callbacks
):
    """Adding new.teacher@example.org used to fail: "No one has the username or email address"."""
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/studio/orgs/northfield/members",
            {"email": "new.teacher@example.org", "roles": ["designer"]},
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["new.teacher@example.org"]
    page = client.get("/studio/orgs/northfield/members").content.decode()
    assert "Pending invitations" in page and "new.teacher@example.org" in page

    [invitation] = services.get_pending_invitations(organisation)
    withdrawn = client.post(f"/studio/orgs/northfield/invitations/{invitation.pk}/withdraw")
    assert withdrawn.status_code == 302
    assert services.get_pending_invitations(organisation) == []
    assert Client().get(f"/invitations/{token_in(mail.outbox[0].body)}").status_code == 410


def test_the_invitations_api_invites_lists_and_withdraws(client: Client, owner, organisation):
    url = "/api/v1/orgs/northfield/invitations"
    headers = bearer(owner)
    response = client.post(
        url,
        {"email": "new.teacher@example.org", "roles": ["registrar"]},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "pending" and created["roles"] == ["registrar"]
    assert "token" not in created and created["invited_by"] == "olive"
    assert [item["id"] for item in client.get(url, headers=headers).json()] == [created["id"]]
    bad = client.post(
        url,
        {"email": "nobody", "roles": ["registrar"]},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    gone = client.delete(f"{url}/{created['id']}", headers=headers)
    assert gone.status_code == 204
    assert client.get(url, headers=headers).json() == []
    assert client.delete(f"{url}/{created['id']}", headers=headers).status_code == 409


def test_a_signed_in_visitor_with_the_address_accepts_and_keeps_other_roles(owner, organisation):
    teacher = add_member(organisation, make_user("niamh", password=PASSWORD), Role.ASSESSOR)
    services.remove_member(actor=owner, organisation=organisation, user="niamh")
    _, token = invite(owner, organisation, email=teacher.email, roles=("registrar",))
    add_member(organisation, teacher, Role.ASSESSOR)
    member = services.accept_invitation(actor=teacher, token=token)
    assert member.roles == ("assessor", "registrar")
